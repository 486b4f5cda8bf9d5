//! Components of Mintlify, Docusaurus and Starlight → our constructs: callouts, steps,
//! details, tabs (code groups too), cards and fields as lists, frames as image and caption.
//! A component with no equivalent keeps its children as Markdown, with a note.

use std::collections::HashMap;

use markdown::mdast::Node;

use super::esm::{Attr, attr, props, text_attr};
use super::{Element, Walker, code_fence, container, one_line, span};

/// Components whose children are kept as they are, wrappers with nothing else to say.
const TRANSPARENT: [&str; 12] = [
    "AccordionGroup",
    "CardGroup",
    "Columns",
    "CardGrid",
    "Panel",
    "Color",
    "Visibility",
    "Highlight",
    "BrowserWindow",
    "Latex",
    "Fragment",
    "FileTree",
];

/// Components left out on purpose: they show what our build makes anyway (a table of
/// contents, the part's list of pages) or nothing a reader needs.
const DROPPED: [&str; 4] = ["TOCInline", "DocCardList", "Icon", "DocCardLink"];

impl Walker<'_> {
    /// Converts a component (or an HTML element, see [`super::html`]).
    pub(super) fn component(&mut self, el: Element<'_>) -> String {
        let name = el.name;
        if let Some(path) = self.snippets.get(name).cloned() {
            let props = props(el.attributes, &self.vars);
            self.mapped(format!("<{name}> (imported snippet)"), "its text, inlined");
            return self.snippet(&path, props, el.start);
        }
        if name.is_empty() {
            return self.inner(el);
        }
        if name.starts_with(|c: char| c.is_ascii_lowercase()) {
            return self.html(el);
        }
        match name {
            "Note" | "Tip" | "Info" | "Warning" | "Danger" | "Check" => {
                let kind = name.to_ascii_lowercase();
                self.callout(el, &kind)
            }
            "Callout" => self.callout(el, "note"),
            "Aside" | "Admonition" => {
                let kind = match attr(el.attributes, "type").text() {
                    Some("tip" | "success") => "tip",
                    Some("caution" | "warning") => "caution",
                    Some("danger" | "error") => "danger",
                    Some("info") => "info",
                    Some("important") => "important",
                    _ => "note",
                };
                self.callout(el, kind)
            }
            "Steps" => self.steps(el),
            "Step" => {
                let body = self.step(el.children, text_attr(el.attributes, &["title"]), 1);
                self.mapped("<Step>", ":::steps");
                container("steps", &body)
            }
            "Accordion" | "Expandable" => self.details(el),
            "Tabs" => self.tabs(el),
            "CodeGroup" | "RequestExample" | "ResponseExample" => self.code_group(el),
            "Card" | "LinkCard" => self.card(el),
            "Frame" => self.frame(el),
            "Tooltip" => self.tooltip(el),
            "Badge" => {
                let text = match text_attr(el.attributes, &["text"]) {
                    Some(text) => text,
                    None => self.inline(el),
                };
                self.mapped("<Badge>", "bold text");
                if text.is_empty() {
                    text
                } else {
                    format!("**{text}**")
                }
            }
            "Tree" => {
                self.mapped("<Tree>", "nested list");
                let mut lines = Vec::new();
                self.tree(el.children, 0, &mut lines);
                lines.join("\n")
            }
            "ParamField" | "ResponseField" => self.field(el),
            "Update" => self.update(el),
            "CodeBlock" => self.code_block(el),
            "Snippet" => {
                let file = text_attr(el.attributes, &["file"]).unwrap_or_default();
                match self.resolve(&format!("/snippets/{file}")) {
                    Some(path) => {
                        self.mapped("<Snippet file>", "its text, inlined");
                        let props = props(el.attributes, &self.vars);
                        self.snippet(&path, props, el.start)
                    }
                    None => {
                        self.note(
                            el.start,
                            format!("the snippet `{file}` was not found: left out"),
                        );
                        String::new()
                    }
                }
            }
            "Tab" | "TabItem" => {
                // A tab outside a `<Tabs>`: its content.
                self.inner(el)
            }
            _ if TRANSPARENT.contains(&name) => {
                self.mapped(format!("<{name}>"), "its content");
                self.inner(el)
            }
            _ if DROPPED.contains(&name) => {
                self.mapped(format!("<{name}>"), "left out");
                String::new()
            }
            _ => self.unknown(el),
        }
    }

    /// A component with no equivalent: its children, and a note.
    pub(super) fn unknown(&mut self, el: Element<'_>) -> String {
        let name = el.name;
        let from = self
            .scripts
            .get(name)
            .map(|from| format!(" (from {from})"))
            .unwrap_or_default();
        let text = self.inner(el);
        let what = if text.trim().is_empty() {
            "left out".to_string()
        } else {
            "its text is kept".to_string()
        };
        self.note(
            el.start,
            format!("`<{name}>`{from} has no equivalent: {what}"),
        );
        text
    }

    /// `:::kind Title {icon="…"}` around the children.
    fn callout(&mut self, el: Element<'_>, kind: &str) -> String {
        let title = text_attr(el.attributes, &["title"]).map(|t| one_line(&t));
        let icon = text_attr(el.attributes, &["icon"]).filter(|i| crate::icons::exists(i));
        let body = self.inner(el);
        self.mapped(format!("<{}>", el.name), format!(":::{kind}"));
        let mut line = kind.to_string();
        if let Some(title) = title.filter(|t| !t.is_empty()) {
            line.push(' ');
            line.push_str(&title);
        }
        if let Some(icon) = icon {
            line.push_str(&format!(" {{icon=\"{icon}\"}}"));
        }
        container(&line, &body)
    }

    /// `<Steps>`: Mintlify's `<Step title>` children, or Starlight's ordered list.
    fn steps(&mut self, el: Element<'_>) -> String {
        let mut body = String::new();
        let mut number = 0;
        for child in el.children {
            match child {
                Node::MdxJsxFlowElement(step) if step.name.as_deref() == Some("Step") => {
                    number += 1;
                    let title = text_attr(&step.attributes, &["title"]);
                    body.push_str(&self.step(&step.children, title, number));
                    body.push_str("\n\n");
                }
                Node::List(list) if list.ordered => {
                    for item in &list.children {
                        number += 1;
                        let children = item.children().map(Vec::as_slice).unwrap_or_default();
                        let (title, rest) = match children.split_first() {
                            Some((Node::Paragraph(_), rest)) => {
                                let title = self.block(&children[..1]);
                                (Some(one_line(&title)), rest)
                            }
                            _ => (None, children),
                        };
                        body.push_str(&self.step(rest, title, number));
                        body.push_str("\n\n");
                    }
                }
                _ => {
                    let text = self.block(std::slice::from_ref(child));
                    if !text.trim().is_empty() {
                        body.push_str(&text);
                        body.push_str("\n\n");
                    }
                }
            }
        }
        self.mapped(format!("<{}>", el.name), ":::steps");
        container("steps", &body)
    }

    /// One step: `### Title` and its body, whose own `###` headings move one level down.
    fn step(&mut self, children: &[Node], title: Option<String>, number: usize) -> String {
        let title = title
            .map(|t| one_line(&t))
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| format!("Step {number}"));
        self.step_depth += 1;
        let body = self.block(children);
        self.step_depth -= 1;
        format!("### {title}\n\n{body}")
    }

    /// `<Accordion>`, `<Expandable>`: `:::details Title`, `{open}` when open by default.
    fn details(&mut self, el: Element<'_>) -> String {
        let title = text_attr(el.attributes, &["title"])
            .map(|t| one_line(&t))
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| {
                if el.name == "Expandable" {
                    "Properties".into()
                } else {
                    "Details".into()
                }
            });
        let open = attr(el.attributes, "defaultOpen").is_true();
        let body = self.inner(el);
        self.mapped(format!("<{}>", el.name), ":::details");
        let line = if open {
            format!("details {title} {{open}}")
        } else {
            format!("details {title}")
        };
        container(&line, &body)
    }

    /// `<Tabs>` with `<Tab title>` (Mintlify) or `<TabItem value label>` (Docusaurus,
    /// Starlight): `::::tabs` holding `:::tab Label`.
    fn tabs(&mut self, el: Element<'_>) -> String {
        let labels = match attr(el.attributes, "values") {
            Attr::Script(code) => tab_values(&code),
            _ => HashMap::new(),
        };
        let mut body = String::new();
        let mut number = 0;
        for child in el.children {
            let tab = match child {
                Node::MdxJsxFlowElement(tab)
                    if matches!(tab.name.as_deref(), Some("Tab" | "TabItem")) =>
                {
                    tab
                }
                _ => {
                    let text = self.block(std::slice::from_ref(child));
                    if !text.trim().is_empty() {
                        body.push_str(&text);
                        body.push('\n');
                    }
                    continue;
                }
            };
            number += 1;
            let value = text_attr(&tab.attributes, &["value"]);
            let label = text_attr(&tab.attributes, &["title", "label"])
                .or_else(|| value.as_ref().and_then(|v| labels.get(v).cloned()))
                .or(value)
                .map(|l| one_line(&l))
                .filter(|l| !l.is_empty())
                .unwrap_or_else(|| format!("Tab {number}"));
            let inner = self.block(&tab.children);
            body.push_str(&container(&format!("tab {label}"), &inner));
            body.push('\n');
        }
        self.mapped(format!("<{}>", el.name), "::::tabs");
        container("tabs", &body)
    }

    /// `<CodeGroup>`: a tab per code block, labelled with the block's title.
    fn code_group(&mut self, el: Element<'_>) -> String {
        let mut body = String::new();
        let mut number = 0;
        for child in el.children {
            match child {
                Node::Code(code) => {
                    number += 1;
                    let lang = code.lang.clone().unwrap_or_default();
                    let label = code_label(code.meta.as_deref(), &lang, number);
                    let lang = lang.split(['{', ':']).next().unwrap_or_default();
                    let fence = code_fence(lang, &code.value);
                    body.push_str(&container(&format!("tab {label}"), &fence));
                    body.push('\n');
                }
                _ => {
                    let text = self.block(std::slice::from_ref(child));
                    if !text.trim().is_empty() {
                        body.push_str(&text);
                        body.push('\n');
                    }
                }
            }
        }
        self.mapped(format!("<{}>", el.name), "::::tabs");
        container("tabs", &body)
    }

    /// `<Card>`, `<LinkCard>`: a list item with the title as a link and the text after it.
    fn card(&mut self, el: Element<'_>) -> String {
        let title = text_attr(el.attributes, &["title"]).map(|t| one_line(&t));
        let href = text_attr(el.attributes, &["href"]);
        let description = text_attr(el.attributes, &["description"]);
        let body = self.inner(el);
        self.mapped(format!("<{}>", el.name), "list item with a link");
        let head = match (&title, &href) {
            (Some(t), Some(h)) => format!("**[{t}]({})**", link_destination(h)),
            (Some(t), None) => format!("**{t}**"),
            (None, Some(h)) => format!("[{h}]({})", link_destination(h)),
            (None, None) => String::new(),
        };
        let text: Vec<String> = [description, Some(body)]
            .into_iter()
            .flatten()
            .filter(|t| !t.trim().is_empty())
            .collect();
        list_item(&head, &text.join("\n\n"))
    }

    /// `<Frame caption>`: the children (an image), then the caption in italics.
    fn frame(&mut self, el: Element<'_>) -> String {
        let caption = text_attr(el.attributes, &["caption"]);
        let body = self.inner(el);
        self.mapped("<Frame>", "image and caption");
        match caption.filter(|c| !c.trim().is_empty()) {
            Some(caption) => format!("{body}\n\n*{}*", one_line(&caption)),
            None => body,
        }
    }

    /// `<Tooltip tip>`: the text, with the tip as its `title` (an `<abbr>`).
    fn tooltip(&mut self, el: Element<'_>) -> String {
        let tip = text_attr(el.attributes, &["tip", "content", "headline"]);
        let text = self.inline(el);
        self.mapped("<Tooltip>", "<abbr title>");
        match tip {
            Some(tip) => format!(
                "<abbr title=\"{}\">{text}</abbr>",
                super::html::escape(&tip)
            ),
            None => text,
        }
    }

    /// Mintlify's `<Tree.Folder name>`/`<Tree.File name>` as a nested list.
    fn tree(&mut self, children: &[Node], depth: usize, lines: &mut Vec<String>) {
        for child in children {
            let (name, attributes, inner) = match child {
                Node::MdxJsxFlowElement(e) => (e.name.as_deref(), &e.attributes, &e.children),
                Node::MdxJsxTextElement(e) => (e.name.as_deref(), &e.attributes, &e.children),
                Node::Paragraph(p) => {
                    self.tree(&p.children, depth, lines);
                    continue;
                }
                _ => continue,
            };
            let label = text_attr(attributes, &["name"]).unwrap_or_default();
            let indent = "  ".repeat(depth);
            match name.unwrap_or("").trim_start_matches("Tree.") {
                "Folder" => {
                    lines.push(format!("{indent}- **{label}/**"));
                    self.tree(inner, depth + 1, lines);
                }
                _ => lines.push(format!("{indent}- `{label}`")),
            }
        }
    }

    /// `<ParamField>`, `<ResponseField>`: a list item naming the field, its type and whether
    /// it is required, then its description.
    fn field(&mut self, el: Element<'_>) -> String {
        let locations = ["query", "path", "body", "header", "cookie", "name", "param"];
        let (location, name) = locations
            .iter()
            .find_map(|l| attr(el.attributes, l).text().map(|n| (*l, n.to_string())))
            .unwrap_or(("name", String::new()));
        let mut facts = Vec::new();
        if let Some(kind) = text_attr(el.attributes, &["type"]) {
            facts.push(format!("`{kind}`"));
        }
        if !matches!(location, "name" | "param") {
            facts.push(location.to_string());
        }
        if attr(el.attributes, "required").is_true() {
            facts.push("required".into());
        }
        if let Some(default) = text_attr(el.attributes, &["default"]) {
            facts.push(format!("default: `{default}`"));
        }
        if attr(el.attributes, "deprecated").is_true() {
            facts.push("deprecated".into());
        }
        let body = self.inner(el);
        self.mapped(format!("<{}>", el.name), "list item");
        let mut head = if name.is_empty() {
            String::new()
        } else {
            format!("**`{name}`**")
        };
        if !facts.is_empty() {
            head.push_str(&format!(" ({})", facts.join(", ")));
        }
        list_item(head.trim(), &body)
    }

    /// `<Update label description>` (a changelog entry): a heading, then its text.
    fn update(&mut self, el: Element<'_>) -> String {
        let label =
            text_attr(el.attributes, &["label", "title"]).unwrap_or_else(|| "Update".into());
        let description = text_attr(el.attributes, &["description"]);
        let body = self.inner(el);
        self.mapped("<Update>", "## heading");
        let mut out = format!("## {}", one_line(&label));
        if let Some(description) = description.filter(|d| !d.trim().is_empty()) {
            out.push_str(&format!("\n\n*{}*", one_line(&description)));
        }
        if !body.trim().is_empty() {
            out.push_str("\n\n");
            out.push_str(&body);
        }
        out
    }

    /// Docusaurus's `<CodeBlock language title>{`code`}</CodeBlock>`: a fenced block.
    fn code_block(&mut self, el: Element<'_>) -> String {
        let lang = text_attr(el.attributes, &["language", "lang"]).unwrap_or_default();
        let code = match el.children {
            [Node::MdxFlowExpression(e)] => super::esm::literal(&e.value),
            [Node::Paragraph(p)] => match p.children.as_slice() {
                [Node::MdxTextExpression(e)] => super::esm::literal(&e.value),
                _ => None,
            },
            _ => None,
        };
        let code = match code {
            Some(code) => code,
            None => {
                let (Some(first), Some(last)) = (el.children.first(), el.children.last()) else {
                    return String::new();
                };
                super::dedent(&self.copy(span(first).0, span(last).1))
            }
        };
        self.mapped("<CodeBlock>", "fenced code");
        let fence = code_fence(&lang, code.trim_matches('\n'));
        match text_attr(el.attributes, &["title"]) {
            Some(title) => format!("**{}**\n\n{fence}", one_line(&title)),
            None => fence,
        }
    }
}

/// A list item: `- head`, then `text` on the same line when it is one line, else indented
/// below.
fn list_item(head: &str, text: &str) -> String {
    let text = text.trim_matches('\n');
    if text.is_empty() {
        return format!("- {head}");
    }
    if head.is_empty() {
        return format!("- {}", indent(text, 2).trim_start());
    }
    if !text.contains('\n') && !text.starts_with([':', '`', '#', '-', '*', '>', '!', '|']) {
        return format!("- {head}: {text}");
    }
    format!("- {head}\n\n{}", indent(text, 2))
}

/// Every non-blank line indented by `width` spaces.
fn indent(text: &str, width: usize) -> String {
    let pad = " ".repeat(width);
    text.split('\n')
        .map(|l| {
            if l.trim().is_empty() {
                String::new()
            } else {
                format!("{pad}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A link destination that survives spaces and parentheses.
fn link_destination(href: &str) -> String {
    if href.contains([' ', '(', ')']) {
        format!("<{href}>")
    } else {
        href.to_string()
    }
}

/// A code block's tab label: its `title="…"`, else its meta text (Mintlify's
/// ```` ```js file.js ````), else its language.
fn code_label(meta: Option<&str>, lang: &str, number: usize) -> String {
    let meta = meta.unwrap_or("");
    for key in ["title=", "filename="] {
        if let Some(at) = meta.find(key) {
            let rest = &meta[at + key.len()..];
            let value = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
                _ => rest.split_whitespace().next().unwrap_or(""),
            };
            if !value.is_empty() {
                return value.to_string();
            }
        }
    }
    // Words of the meta that are not `{1,3}` ranges or `key=value` options.
    let mut words = Vec::new();
    let mut depth = 0usize;
    for word in meta.split_whitespace() {
        if word.starts_with('{') || depth > 0 {
            depth += word.matches('{').count();
            depth = depth.saturating_sub(word.matches('}').count());
            continue;
        }
        if word.contains('=') {
            continue;
        }
        words.push(word);
    }
    let label = words.join(" ");
    if !label.is_empty() {
        label
    } else if !lang.is_empty() {
        lang.split(['{', ':']).next().unwrap_or(lang).to_string()
    } else {
        format!("Code {number}")
    }
}

/// Docusaurus's `values={[{label: 'A', value: 'a'}, …]}`: value → label.
fn tab_values(code: &str) -> HashMap<String, String> {
    let mut labels = HashMap::new();
    for object in code.split('{').skip(1) {
        let object = object.split('}').next().unwrap_or("");
        let mut label = None;
        let mut value = None;
        for pair in object.split(',') {
            let Some((key, text)) = pair.split_once(':') else {
                continue;
            };
            let key = key.trim().trim_matches(['"', '\'']);
            let text = super::esm::literal(text.trim());
            match key {
                "label" => label = text,
                "value" => value = text,
                _ => {}
            }
        }
        if let (Some(label), Some(value)) = (label, value) {
            labels.insert(value, label);
        }
    }
    labels
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_labels() {
        assert_eq!(code_label(Some("title=\"app.js\""), "js", 1), "app.js");
        assert_eq!(
            code_label(Some("server.py {1,3}"), "python", 1),
            "server.py"
        );
        assert_eq!(
            code_label(Some("Install with npm"), "bash", 1),
            "Install with npm"
        );
        assert_eq!(code_label(None, "ts", 1), "ts");
        assert_eq!(code_label(None, "", 2), "Code 2");
    }

    #[test]
    fn docusaurus_tab_values() {
        let labels =
            tab_values("[{label: 'Apple', value: 'apple'}, {value: \"pear\", label: \"Pear\"}]");
        assert_eq!(labels.get("apple").map(String::as_str), Some("Apple"));
        assert_eq!(labels.get("pear").map(String::as_str), Some("Pear"));
    }
}
