//! Syntax highlighting: the one seam between guidebook and syntect.
//!
//! Input: a code block's text and language name. Output: HTML spans with CSS classes (no
//! inline colours), and one stylesheet holding a light and a dark theme. Syntaxes (syntect's
//! and two-face's extra grammars) and themes are loaded once per process and shared.

mod lines;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::{Mutex, OnceLock};

use syntect::highlighting::Theme;
use syntect::html::{ClassStyle, css_for_theme_with_class_style, line_tokens_to_classed_spans};
use syntect::parsing::{ParseState, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;
use two_face::theme::EmbeddedThemeName;

pub(crate) use self::lines::LineMemo;

/// The prefix of every highlighting class, so they never clash with the theme's own.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Language names that mean "no highlighting", without a warning.
const PLAIN: &[&str] = &["text", "txt", "plain", "plaintext", "none", "output"];

/// Whether `lang` names plain text (no highlighting, no warning).
pub(crate) fn is_plain(lang: &str) -> bool {
    PLAIN.contains(&lang.to_ascii_lowercase().as_str())
}

/// Common names that the grammars do not know under that name.
const ALIASES: &[(&str, &str)] = &[
    ("shell", "bash"),
    ("sh", "bash"),
    ("zsh", "bash"),
    ("console", "bash"),
    ("terminal", "bash"),
    ("golang", "go"),
    ("c++", "cpp"),
    ("py3", "python"),
    ("jsonc", "json"),
    ("json5", "json"),
    ("yml", "yaml"),
    ("tsx", "typescriptreact"),
    ("jsx", "js"),
    ("docker", "dockerfile"),
    ("psql", "sql"),
    ("postgres", "sql"),
    ("postgresql", "sql"),
    ("mysql", "sql"),
    ("proto", "protobuf"),
];

/// How many highlighted blocks the live preview remembers.
const MEMO_LIMIT: usize = 20_000;

/// Syntaxes and the two themes, loaded once.
pub(crate) struct Highlighter {
    syntaxes: SyntaxSet,
    light: Theme,
    dark: Theme,
    /// Highlighted blocks by (language, code): the live preview keeps them, so editing the prose
    /// of a page full of code does not highlight its code again.
    memo: Option<Mutex<HashMap<(String, String), Highlighted>>>,
    /// The generated stylesheet, made once.
    stylesheet: OnceLock<String>,
}

/// The outcome of highlighting one block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Highlighted {
    /// Highlighted HTML.
    Html(String),
    /// Plain text was asked for (or no language given).
    Plain,
    /// The language is unknown: render plain, and warn once.
    UnknownLanguage,
}

impl Highlighter {
    /// Loads the syntaxes and themes (tens of milliseconds: do it once).
    pub(crate) fn new() -> Self {
        let themes = two_face::theme::extra();
        Self {
            syntaxes: two_face::syntax::extra_newlines(),
            light: themes.get(EmbeddedThemeName::ColdarkCold).clone(),
            dark: themes.get(EmbeddedThemeName::ColdarkDark).clone(),
            memo: None,
            stylesheet: OnceLock::new(),
        }
    }

    /// A highlighter that remembers every block it highlighted (for the live preview).
    pub(crate) fn remembering() -> Self {
        Self {
            memo: Some(Mutex::new(HashMap::new())),
            ..Self::new()
        }
    }

    fn find(&self, lang: &str) -> Option<&SyntaxReference> {
        let lower = lang.to_ascii_lowercase();
        let name = ALIASES
            .iter()
            .find(|(alias, _)| *alias == lower)
            .map_or(lower.as_str(), |(_, name)| name);
        self.syntaxes
            .find_syntax_by_token(name)
            .or_else(|| self.syntaxes.find_syntax_by_name(lang))
    }

    /// The grammar's own name for `lang` ("Python" for `py`), when the language is known.
    pub(crate) fn language_name(&self, lang: &str) -> Option<&str> {
        self.find(lang).map(|syntax| syntax.name.as_str())
    }

    /// Highlights `code` written in `lang`.
    #[cfg(test)]
    pub(crate) fn code_to_html(&self, code: &str, lang: Option<&str>) -> Highlighted {
        self.code_to_html_with(code, lang, &mut LineMemo::default())
    }

    /// Highlights `code` written in `lang`, taking the parse of lines seen before from
    /// `lines` (and adding the others to it).
    pub(crate) fn code_to_html_with(
        &self,
        code: &str,
        lang: Option<&str>,
        lines: &mut LineMemo,
    ) -> Highlighted {
        let Some(memo) = &self.memo else {
            return self.highlight(code, lang, lines);
        };
        let key = (lang.unwrap_or_default().to_string(), code.to_string());
        if let Some(found) = memo.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return found.clone();
        }
        let result = self.highlight(code, lang, lines);
        let mut memo = memo.lock().unwrap_or_else(|e| e.into_inner());
        // A long preview session forgets everything now and then rather than grow forever.
        if memo.len() >= MEMO_LIMIT {
            memo.clear();
        }
        memo.insert(key, result.clone());
        result
    }

    fn highlight(&self, code: &str, lang: Option<&str>, lines: &mut LineMemo) -> Highlighted {
        let Some(lang) = lang else {
            return Highlighted::Plain;
        };
        if is_plain(lang) {
            return Highlighted::Plain;
        }
        let Some(syntax) = self.find(lang) else {
            return Highlighted::UnknownLanguage;
        };
        match self.classed_html(syntax, code, lines) {
            Some(html) => Highlighted::Html(html),
            // A grammar failure should not fail the build: fall back to plain text.
            None => Highlighted::Plain,
        }
    }

    /// What syntect's `ClassedHTMLGenerator` makes of `code`, with each line's parse taken
    /// from the line memo when it was seen before in the same state.
    fn classed_html(
        &self,
        syntax: &SyntaxReference,
        code: &str,
        lines: &mut LineMemo,
    ) -> Option<String> {
        let mut state = ParseState::new(syntax);
        let mut scopes = ScopeStack::new();
        let mut html = String::with_capacity(code.len() * 4);
        let mut open_spans = 0isize;
        for line in LinesWithEndings::from(code) {
            let ops = lines.parse(&mut state, line, &self.syntaxes)?;
            let (formatted, delta) =
                line_tokens_to_classed_spans(line, &ops, CLASS_STYLE, &mut scopes).ok()?;
            open_spans += delta;
            html.push_str(&formatted);
        }
        for _ in 0..open_spans {
            html.push_str("</span>");
        }
        Some(html)
    }

    /// The stylesheet: the light theme by default, the dark one under `data-theme="dark"` and,
    /// unless the reader chose light, when the system prefers dark.
    pub(crate) fn stylesheet(&self) -> &str {
        self.stylesheet.get_or_init(|| self.make_stylesheet())
    }

    fn make_stylesheet(&self) -> String {
        let light = css_for_theme_with_class_style(&self.light, CLASS_STYLE).unwrap_or_default();
        let dark = css_for_theme_with_class_style(&self.dark, CLASS_STYLE).unwrap_or_default();
        let mut css = String::from(
            "/* Code highlighting: generated by guidebook from the Coldark themes. */\n",
        );
        css.push_str(&strip_comments(&light));
        css.push_str(&scope_rules(&dark, ":root[data-theme=\"dark\"]"));
        let _ = write!(
            css,
            "@media (prefers-color-scheme: dark) {{\n{}}}\n",
            scope_rules(&dark, ":root:not([data-theme=\"light\"])")
        );
        css
    }
}

fn strip_comments(css: &str) -> String {
    let mut out = String::new();
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        match rest[start..].find("*/") {
            Some(end) => rest = &rest[start + end + 2..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

/// Prefixes every selector of `css` with `scope`.
fn scope_rules(css: &str, scope: &str) -> String {
    let css = strip_comments(css);
    let mut out = String::with_capacity(css.len() * 2);
    for rule in css.split_inclusive('}') {
        let Some((selectors, body)) = rule.split_once('{') else {
            continue;
        };
        let scoped: Vec<String> = selectors
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| format!("{scope} {s}"))
            .collect();
        if scoped.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{} {{{}", scoped.join(", "), body.trim_end());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use syntect::highlighting::Color;

    /// WCAG relative luminance of a colour.
    fn luminance(c: Color) -> f64 {
        let channel = |v: u8| {
            let v = f64::from(v) / 255.0;
            if v <= 0.039_28 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)
    }

    /// WCAG contrast ratio between two colours.
    fn contrast(a: Color, b: Color) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
        (hi + 0.05) / (lo + 0.05)
    }

    #[test]
    fn highlights_known_languages_with_classes() {
        let h = Highlighter::new();
        let Highlighted::Html(html) = h.code_to_html("fn main() {}\n", Some("rust")) else {
            panic!("rust is known")
        };
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="), "{html}");
    }

    #[test]
    fn aliases_plain_and_unknown() {
        let h = Highlighter::new();
        assert!(matches!(
            h.code_to_html("ls\n", Some("shell")),
            Highlighted::Html(_)
        ));
        assert!(matches!(
            h.code_to_html("x = 1\n", Some("TOML")),
            Highlighted::Html(_)
        ));
        assert!(matches!(
            h.code_to_html("const a = 1\n", Some("ts")),
            Highlighted::Html(_)
        ));
        assert_eq!(h.code_to_html("x\n", Some("text")), Highlighted::Plain);
        assert_eq!(h.code_to_html("x\n", None), Highlighted::Plain);
        assert_eq!(
            h.code_to_html("x\n", Some("klingon")),
            Highlighted::UnknownLanguage
        );
    }

    /// The line memo must not change a byte of what syntect's own generator makes, whether
    /// a line is parsed or remembered, in any state (a line inside a block comment and the
    /// same line outside it are coloured differently).
    #[test]
    fn remembered_lines_highlight_as_syntect_does() {
        let h = Highlighter::new();
        let mut lines = LineMemo::default();
        let blocks = [
            ("rust", "fn main() {\n    let x = 1; // one\n}\n"),
            (
                "rust",
                "/*\nfn main() {\n    let x = 1; // one\n*/\nfn main() {\n}\n",
            ),
            ("rust", "fn main() {\n    let x = 1; // one\n}\n"),
            (
                "python",
                "def f():\n    \"\"\"\n    x = 1\n    \"\"\"\n    x = 1\n",
            ),
            ("rust", "let s = \"unterminated\n    let x = 1; // one\n"),
        ];
        for (lang, code) in blocks {
            let syntax = h.find(lang).unwrap();
            let mut generator = syntect::html::ClassedHTMLGenerator::new_with_class_style(
                syntax,
                &h.syntaxes,
                CLASS_STYLE,
            );
            for line in LinesWithEndings::from(code) {
                generator
                    .parse_html_for_line_which_includes_newline(line)
                    .unwrap();
            }
            let expected = generator.finalize();
            // Twice: the second time every line comes from the memo.
            for _ in 0..2 {
                assert_eq!(
                    h.code_to_html_with(code, Some(lang), &mut lines),
                    Highlighted::Html(expected.clone()),
                    "{code}"
                );
            }
        }
        // Nine different line texts, some of them seen in several states.
        assert_eq!(lines.len(), 9);
    }

    #[test]
    fn remembering_gives_the_same_result() {
        let h = Highlighter::remembering();
        let first = h.code_to_html("let x = 1;\n", Some("rust"));
        assert_eq!(h.code_to_html("let x = 1;\n", Some("rust")), first);
        assert_eq!(h.memo.as_ref().unwrap().lock().unwrap().len(), 1);
    }

    #[test]
    fn stylesheet_has_both_themes() {
        let highlighter = Highlighter::new();
        let css = highlighter.stylesheet();
        assert!(css.contains(".hl-code"));
        assert!(css.contains(":root[data-theme=\"dark\"] .hl-code"));
        assert!(css.contains("@media (prefers-color-scheme: dark)"));
    }

    /// Every token colour must be readable on its theme's background (WCAG AA for text).
    #[test]
    fn theme_colours_meet_contrast() {
        let h = Highlighter::new();
        for theme in [&h.light, &h.dark] {
            let bg = theme.settings.background.expect("themes set a background");
            let fg = theme.settings.foreground.expect("themes set a foreground");
            assert!(contrast(fg, bg) >= 4.5, "{:?} foreground", theme.name);
            for item in &theme.scopes {
                if let Some(colour) = item.style.foreground {
                    let ratio = contrast(colour, bg);
                    assert!(
                        ratio >= 4.5,
                        "{:?}: {:?} has contrast {ratio:.2}",
                        theme.name,
                        item.scope
                    );
                }
            }
        }
    }
}
