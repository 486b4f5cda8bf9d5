//! MDX's JavaScript: `import` and `export` statements, `{…}` expressions and attribute
//! values. Nothing is executed: imports of snippet files are followed (their default export
//! is inlined where used, their exported constants are values), string, number and boolean
//! literals are read, and everything else is left out with a note.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use markdown::mdast::{AttributeContent, AttributeValue};

use super::Walker;

/// Imports of these modules bring in components we map (or drop on purpose): no note.
const KNOWN_MODULES: [&str; 5] = [
    "@theme/",
    "@docusaurus/",
    "@astrojs/starlight/components",
    "@site/src/components/",
    "mintlify",
];

/// An attribute's value as far as it can be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Attr {
    /// Not given.
    Missing,
    /// Given without a value (`defaultOpen`): true.
    Flag,
    /// A string, or a literal expression read as one (`{"a"}`, `{3}`, `{true}`).
    Text(String),
    /// An expression that is not a literal.
    Script(String),
}

impl Attr {
    /// The text, when it has one.
    pub(super) fn text(&self) -> Option<&str> {
        match self {
            Self::Text(text) => Some(text),
            _ => None,
        }
    }

    /// True for a flag, `"true"` or `{true}`.
    pub(super) fn is_true(&self) -> bool {
        matches!(self, Self::Flag) || matches!(self, Self::Text(t) if t == "true")
    }
}

/// The attribute `name` of a list of attributes.
pub(super) fn attr(attributes: &[AttributeContent], name: &str) -> Attr {
    for attribute in attributes {
        let AttributeContent::Property(property) = attribute else {
            continue;
        };
        if property.name != name {
            continue;
        }
        return match &property.value {
            None => Attr::Flag,
            Some(AttributeValue::Literal(text)) => Attr::Text(text.clone()),
            Some(AttributeValue::Expression(expression)) => match literal(&expression.value) {
                Some(text) => Attr::Text(text),
                None => Attr::Script(expression.value.clone()),
            },
        };
    }
    Attr::Missing
}

/// The first of `names` that has text.
pub(super) fn text_attr(attributes: &[AttributeContent], names: &[&str]) -> Option<String> {
    names
        .iter()
        .find_map(|name| attr(attributes, name).text().map(str::to_string))
}

/// Every attribute with a readable value, by name.
pub(super) fn props(
    attributes: &[AttributeContent],
    vars: &HashMap<String, String>,
) -> HashMap<String, String> {
    let mut props = HashMap::new();
    for attribute in attributes {
        let AttributeContent::Property(property) = attribute else {
            continue;
        };
        let value = match &property.value {
            None => Some("true".to_string()),
            Some(AttributeValue::Literal(text)) => Some(text.clone()),
            Some(AttributeValue::Expression(e)) => {
                literal(&e.value).or_else(|| vars.get(e.value.trim()).cloned())
            }
        };
        if let Some(value) = value {
            props.insert(property.name.clone(), value);
        }
    }
    props
}

/// A JavaScript literal read as text: a string without substitutions, a number, a boolean.
pub(super) fn literal(code: &str) -> Option<String> {
    let code = code.trim().trim_end_matches(';').trim();
    if code == "true" || code == "false" || code == "null" {
        return Some(code.to_string());
    }
    if !code.is_empty() && code.parse::<f64>().is_ok() {
        return Some(code.to_string());
    }
    let quote = code.chars().next()?;
    if !matches!(quote, '"' | '\'' | '`') || code.len() < 2 || !code.ends_with(quote) {
        return None;
    }
    let inner = &code[1..code.len() - 1];
    if quote == '`' && inner.contains("${") {
        return None;
    }
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == quote {
            // An unescaped quote inside: more than one literal (`"a" + "b"`).
            return None;
        }
        if c == '\\' {
            match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                other => out.push(other),
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

/// Whether an expression holds only comments (`{/* vale off */}`).
fn is_comment(code: &str) -> bool {
    let mut rest = code.trim();
    loop {
        if rest.is_empty() {
            return true;
        }
        if let Some(r) = rest.strip_prefix("/*") {
            match r.find("*/") {
                Some(i) => rest = r[i + 2..].trim_start(),
                None => return false,
            }
        } else if let Some(r) = rest.strip_prefix("//") {
            rest = r.find('\n').map_or("", |i| &r[i..]).trim_start();
        } else {
            return false;
        }
    }
}

/// One statement of an ESM block.
#[derive(Debug, PartialEq, Eq)]
enum Statement {
    /// `import default, { a, b as c } from 'spec'`.
    Import {
        default: Option<String>,
        named: Vec<(String, String)>,
        spec: String,
    },
    /// `export const NAME = …` (the value's code).
    Const { name: String, value: String },
    /// Any other export (a function, a component).
    Other(String),
}

/// The statements of an ESM block: each starts at a line beginning with `import` or `export`.
fn statements(code: &str) -> Vec<Statement> {
    let mut chunks: Vec<String> = Vec::new();
    for line in code.lines() {
        if line.starts_with("import ")
            || line.starts_with("import{")
            || line.starts_with("export ")
            || chunks.is_empty()
        {
            chunks.push(String::new());
        }
        let chunk = chunks.last_mut().expect("one chunk at least");
        chunk.push_str(line);
        chunk.push('\n');
    }
    chunks.iter().filter_map(|c| statement(c.trim())).collect()
}

/// Reads one statement.
fn statement(code: &str) -> Option<Statement> {
    if let Some(rest) = code.strip_prefix("import") {
        let (clause, spec) = match rest.rfind(" from") {
            Some(i) => (&rest[..i], &rest[i + 5..]),
            None => ("", rest),
        };
        let spec = literal(spec.trim().trim_end_matches(';'))?;
        let clause = clause.trim().trim_start_matches("type ").trim();
        let (default, named) = match clause.find('{') {
            Some(open) => {
                let close = clause[open..].find('}').map_or(clause.len(), |i| open + i);
                (
                    clause[..open].trim().trim_end_matches(',').trim(),
                    &clause[open + 1..close],
                )
            }
            None => (clause, ""),
        };
        let default =
            (!default.is_empty() && !default.starts_with('*')).then(|| default.to_string());
        let named = named
            .split(',')
            .filter_map(|item| {
                let item = item.trim();
                if item.is_empty() {
                    return None;
                }
                Some(match item.split_once(" as ") {
                    Some((name, local)) => (name.trim().to_string(), local.trim().to_string()),
                    None => (item.to_string(), item.to_string()),
                })
            })
            .collect();
        return Some(Statement::Import {
            default,
            named,
            spec,
        });
    }
    let rest = code.strip_prefix("export")?.trim_start();
    for keyword in ["const ", "let ", "var "] {
        if let Some(decl) = rest.strip_prefix(keyword)
            && let Some((name, value)) = decl.split_once('=')
        {
            let name = name.trim();
            if name
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
            {
                return Some(Statement::Const {
                    name: name.to_string(),
                    value: value.trim().to_string(),
                });
            }
        }
    }
    let name: String = rest
        .trim_start_matches("default ")
        .trim_start_matches("function ")
        .trim_start_matches("async function ")
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '$')
        .collect();
    Some(Statement::Other(name))
}

/// The constants a snippet file exports as literals.
fn exported_constants(text: &str) -> HashMap<String, String> {
    let mut found = HashMap::new();
    for statement in statements(text) {
        if let Statement::Const { name, value } = statement
            && let Some(value) = literal(&value)
        {
            found.insert(name, value);
        }
    }
    found
}

impl Walker<'_> {
    /// Reads an ESM block: imports of snippets and constants are remembered, the rest noted.
    pub(super) fn esm(&mut self, code: &str, at: usize) {
        for statement in statements(code) {
            match statement {
                Statement::Import {
                    default,
                    named,
                    spec,
                } => self.import(default, named, &spec, at),
                Statement::Const { name, value } => match literal(&value) {
                    Some(value) => {
                        self.vars.insert(name, value);
                    }
                    None => {
                        self.scripts
                            .insert(name.clone(), "an `export` of this page".into());
                        self.note(at, format!("JavaScript `export const {name}` left out"));
                    }
                },
                Statement::Other(name) => {
                    self.scripts
                        .insert(name.clone(), "an `export` of this page".into());
                    self.note(at, format!("JavaScript `export` {name} left out"));
                }
            }
        }
    }

    /// Reads one import.
    fn import(
        &mut self,
        default: Option<String>,
        named: Vec<(String, String)>,
        spec: &str,
        at: usize,
    ) {
        let is_text = spec.ends_with(".mdx") || spec.ends_with(".md");
        if is_text && let Some(path) = self.resolve(spec) {
            if let Some(name) = default {
                self.snippets.insert(name, path.clone());
            }
            if !named.is_empty() {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                let constants = exported_constants(&text);
                for (name, local) in named {
                    match constants.get(&name) {
                        Some(value) => {
                            self.vars.insert(local, value.clone());
                        }
                        None => {
                            self.scripts.insert(local, format!("`{spec}`"));
                        }
                    }
                }
            }
            return;
        }
        if is_text {
            self.note(
                at,
                format!("the imported file `{spec}` was not found: its content is missing"),
            );
        }
        let known = KNOWN_MODULES.iter().any(|m| spec.starts_with(m));
        for name in default
            .into_iter()
            .chain(named.into_iter().map(|(_, local)| local))
        {
            if !known && !is_text {
                self.scripts.insert(name, format!("`{spec}`"));
            }
        }
    }

    /// The file an import names: from the docs root (`/snippets/a.mdx`), the site folder
    /// (`@site/…`) or the importing file (`./a.mdx`).
    pub(super) fn resolve(&self, spec: &str) -> Option<PathBuf> {
        let base: PathBuf = if let Some(rest) = spec.strip_prefix("@site/") {
            self.options.site_root.join(rest)
        } else if let Some(rest) = spec.strip_prefix('/') {
            self.options.docs_root.join(rest)
        } else if spec.starts_with('.') {
            self.file.parent().unwrap_or(Path::new("")).join(spec)
        } else {
            self.options.docs_root.join(spec)
        };
        let candidates = [
            base.clone(),
            base.with_extension("mdx"),
            base.with_extension("md"),
        ];
        candidates.into_iter().find(|p| p.is_file())
    }

    /// A `{…}` expression as text: literals and known names give their value, comments and
    /// everything else nothing (the latter with a note).
    pub(super) fn expression(&mut self, code: &str, at: usize) -> String {
        let trimmed = code.trim();
        if is_comment(trimmed) {
            return String::new();
        }
        if let Some(id) = trimmed.strip_prefix('#')
            && !id.is_empty()
            && id
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        {
            // Docusaurus's heading id `## Title {#id}`: ours too.
            return format!("{{#{id}}}");
        }
        if let Some(text) = literal(trimmed) {
            return text;
        }
        let name = trimmed
            .trim_start_matches("props.")
            .trim_start_matches("props?.");
        if let Some(value) = self.vars.get(name) {
            return value.clone();
        }
        let shown: String = trimmed.chars().take(40).collect();
        let more = if trimmed.chars().count() > 40 {
            "…"
        } else {
            ""
        };
        self.note(
            at,
            format!("JavaScript expression `{{{shown}{more}}}` left out"),
        );
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals() {
        assert_eq!(literal("'a\\'b'"), Some("a'b".into()));
        assert_eq!(literal("\"x\""), Some("x".into()));
        assert_eq!(literal("`t`"), Some("t".into()));
        assert_eq!(literal("`${a}`"), None);
        assert_eq!(literal("42"), Some("42".into()));
        assert_eq!(literal("a + b"), None);
        assert_eq!(literal("\"a\" + \"b\""), None);
    }

    #[test]
    fn import_statements() {
        let got = statements(
            "import Tabs from '@theme/Tabs';\nimport X, { a, b as c } from \"/snippets/x.mdx\";\nexport const name = 'Ada';\nexport function F() {\n  return 1\n}\n",
        );
        assert_eq!(
            got,
            [
                Statement::Import {
                    default: Some("Tabs".into()),
                    named: vec![],
                    spec: "@theme/Tabs".into()
                },
                Statement::Import {
                    default: Some("X".into()),
                    named: vec![("a".into(), "a".into()), ("b".into(), "c".into())],
                    spec: "/snippets/x.mdx".into()
                },
                Statement::Const {
                    name: "name".into(),
                    value: "'Ada';".into()
                },
                Statement::Other("F".into()),
            ]
        );
    }

    #[test]
    fn comments() {
        assert!(is_comment("/* vale off */"));
        assert!(is_comment(" // a\n /* b */ "));
        assert!(!is_comment("a /* b */"));
    }
}
