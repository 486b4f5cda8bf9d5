//! HTML elements written in MDX (lowercase JSX: `<br />`, `<img>`, `<details>`, `<div>`) →
//! Markdown where Markdown has the construct (images, links, headings, lists, details),
//! plain HTML our build passes through for inline markup, tables and embeds, and the
//! children alone for layout wrappers.

use markdown::mdast::{AttributeContent, AttributeValue, Node};

use super::esm::{Attr, attr, text_attr};
use super::{Element, Walker, code_fence, container, one_line, span};

/// Elements that have no closing tag.
const VOID: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Layout wrappers: their children are what counts.
const WRAPPERS: [&str; 14] = [
    "div", "span", "section", "article", "main", "header", "footer", "nav", "figure", "center",
    "font", "aside", "label", "p",
];

/// Inline markup kept as HTML.
const INLINE: [&str; 20] = [
    "kbd", "sub", "sup", "b", "i", "em", "strong", "code", "u", "mark", "s", "del", "ins", "small",
    "abbr", "var", "samp", "q", "cite", "dfn",
];

/// Tables and embeds kept as HTML, with their plain attributes.
const KEPT: [&str; 16] = [
    "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "colgroup", "iframe", "video",
    "audio", "source", "picture", "object", "dl",
];

/// Whether `name` is an HTML element without a closing tag.
pub(crate) fn is_void(name: &str) -> bool {
    VOID.contains(&name.to_ascii_lowercase().as_str())
}

/// Text escaped for an HTML attribute value.
pub(super) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A tag of a page read as plain Markdown (MDX could not be parsed): a component's tag
/// (`<Note>`, `</Tabs>`) is dropped, HTML is kept.
pub(super) fn plain_tag(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let is_component = after
            .trim_start_matches('/')
            .starts_with(|c: char| c.is_ascii_uppercase());
        let close = after.find('>').map_or(after.len(), |i| i + 1);
        if !is_component {
            out.push('<');
            out.push_str(&after[..close]);
        }
        rest = &after[close..];
    }
    out.push_str(rest);
    out
}

/// The attributes with plain values, as HTML (`className` → `class`).
fn plain_attributes(attributes: &[AttributeContent]) -> String {
    let mut out = String::new();
    for attribute in attributes {
        let AttributeContent::Property(property) = attribute else {
            continue;
        };
        let name = match property.name.as_str() {
            "className" => "class".to_string(),
            "htmlFor" => "for".to_string(),
            other => other.to_ascii_lowercase(),
        };
        match &property.value {
            None => out.push_str(&format!(" {name}")),
            Some(AttributeValue::Literal(value)) => {
                out.push_str(&format!(" {name}=\"{}\"", escape(value)));
            }
            Some(AttributeValue::Expression(e)) => {
                if let Some(value) = super::esm::literal(&e.value) {
                    out.push_str(&format!(" {name}=\"{}\"", escape(&value)));
                }
            }
        }
    }
    out
}

impl Walker<'_> {
    /// Converts an HTML element.
    pub(super) fn html(&mut self, el: Element<'_>) -> String {
        let name = el.name;
        match name {
            "br" => "<br>".into(),
            "hr" => "<hr>".into(),
            "img" => self.image(el),
            "a" => {
                let text = self.inline(el);
                match text_attr(el.attributes, &["href"]) {
                    Some(href) if !text.is_empty() => format!("[{text}]({href})"),
                    Some(href) => format!("<{href}>"),
                    None => text,
                }
            }
            "details" => self.html_details(el),
            "summary" => format!("**{}**", self.inline(el)),
            "figcaption" => format!("*{}*", self.inline(el)),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level: usize = name[1..].parse().unwrap_or(2);
                let text = self.inline(el);
                if el.flow {
                    format!("{} {text}", "#".repeat(level))
                } else {
                    format!("**{text}**")
                }
            }
            "ul" | "ol" => self.html_list(el),
            "li" => format!("- {}", self.inner(el)),
            "pre" => {
                let (Some(first), Some(last)) = (el.children.first(), el.children.last()) else {
                    return String::new();
                };
                let text = self.src[span(first).0..span(last).1].to_string();
                let text = strip_tags(&text);
                code_fence("", &super::dedent(&text))
            }
            "script" | "style" => {
                self.note(el.start, format!("`<{name}>` left out"));
                String::new()
            }
            _ if WRAPPERS.contains(&name) => self.inner(el),
            _ if INLINE.contains(&name) => {
                let text = self.inline(el);
                let title = text_attr(el.attributes, &["title"])
                    .map(|t| format!(" title=\"{}\"", escape(&t)))
                    .unwrap_or_default();
                format!("<{name}{title}>{text}</{name}>")
            }
            _ if KEPT.contains(&name) => {
                let attributes = plain_attributes(el.attributes);
                let inner = self.inner(el);
                if is_void(name) {
                    format!("<{name}{attributes}>")
                } else if el.flow && !matches!(name, "td" | "th") {
                    format!("<{name}{attributes}>\n{inner}\n</{name}>")
                } else {
                    format!("<{name}{attributes}>{}</{name}>", one_line(&inner))
                }
            }
            _ => self.unknown(el),
        }
    }

    /// `<img src alt>` as a Markdown image, so its file is found and copied.
    fn image(&mut self, el: Element<'_>) -> String {
        let alt = text_attr(el.attributes, &["alt"]).unwrap_or_default();
        let src = match attr(el.attributes, "src") {
            Attr::Text(src) => Some(src),
            Attr::Script(code) => required_path(&code),
            _ => None,
        };
        match src {
            Some(src) => {
                let src = if src.contains([' ', '(', ')']) {
                    format!("<{src}>")
                } else {
                    src
                };
                format!("![{}]({src})", alt.replace(['[', ']'], ""))
            }
            None => {
                self.note(el.start, "an image whose source is JavaScript was left out");
                String::new()
            }
        }
    }

    /// `<details><summary>Title</summary>…</details>` as `:::details Title`.
    fn html_details(&mut self, el: Element<'_>) -> String {
        let mut title = String::new();
        let mut rest: Vec<Node> = Vec::new();
        for child in el.children {
            match summary_of(child) {
                Some(summary) if title.is_empty() => {
                    title = one_line(&self.inline(summary));
                }
                _ => rest.push(child.clone()),
            }
        }
        let body = if el.flow {
            self.block(&rest)
        } else {
            let (Some(first), Some(last)) = (rest.first(), rest.last()) else {
                return container(&format!("details {title}"), "");
            };
            self.splice(span(first).0, span(last).1, &rest)
        };
        self.mapped("<details>", ":::details");
        let open = if attr(el.attributes, "open").is_true() {
            " {open}"
        } else {
            ""
        };
        let title = if title.is_empty() {
            "Details".to_string()
        } else {
            title
        };
        container(&format!("details {title}{open}"), &body)
    }

    /// `<ul>`/`<ol>` with `<li>` children as a Markdown list.
    fn html_list(&mut self, el: Element<'_>) -> String {
        let ordered = el.name == "ol";
        let mut items = Vec::new();
        for child in el.children {
            let item = match child {
                Node::MdxJsxFlowElement(li) if li.name.as_deref() == Some("li") => {
                    self.block(&li.children)
                }
                Node::MdxJsxTextElement(li) if li.name.as_deref() == Some("li") => {
                    let (Some(first), Some(last)) = (li.children.first(), li.children.last())
                    else {
                        continue;
                    };
                    self.splice(span(first).0, span(last).1, &li.children)
                }
                _ => continue,
            };
            let marker = if ordered {
                format!("{}. ", items.len() + 1)
            } else {
                "- ".into()
            };
            let pad = " ".repeat(marker.len());
            let text: Vec<String> = item
                .trim()
                .split('\n')
                .enumerate()
                .map(|(i, l)| {
                    if i == 0 || l.is_empty() {
                        l.to_string()
                    } else {
                        format!("{pad}{l}")
                    }
                })
                .collect();
            items.push(format!("{marker}{}", text.join("\n")));
        }
        items.join("\n")
    }
}

/// The `<summary>` element a child is, or holds as its only content.
fn summary_of(node: &Node) -> Option<Element<'_>> {
    match node {
        Node::MdxJsxFlowElement(e) if e.name.as_deref() == Some("summary") => Some(Element {
            name: "summary",
            attributes: &e.attributes,
            children: &e.children,
            start: span(node).0,
            flow: true,
        }),
        Node::MdxJsxTextElement(e) if e.name.as_deref() == Some("summary") => Some(Element {
            name: "summary",
            attributes: &e.attributes,
            children: &e.children,
            start: span(node).0,
            flow: false,
        }),
        Node::Paragraph(p) => match p.children.as_slice() {
            [only] => summary_of(only),
            _ => None,
        },
        _ => None,
    }
}

/// The path of `require('./a.png')` or `require('./a.png').default`.
fn required_path(code: &str) -> Option<String> {
    let rest = code.trim().strip_prefix("require(")?;
    let end = rest.find(')')?;
    super::esm::literal(&rest[..end])
}

/// Text with its HTML tags removed (the `<code>` inside a `<pre>`).
fn strip_tags(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        match rest[open..].find('>') {
            Some(close) => rest = &rest[open + close + 1..],
            None => {
                rest = &rest[open..];
                break;
            }
        }
    }
    out.push_str(rest);
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}
