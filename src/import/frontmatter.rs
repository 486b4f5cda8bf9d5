//! Front matter of other tools → ours.
//!
//! Input: the YAML (`---`) or TOML (`+++`) block at the top of a source page. Output: its
//! keys as JSON, then our TOML block: `title`, `description`, `draft` and the `weight` the
//! layout gives; the tools' order keys (`sidebar_position`, `order`, `sidebar.order`,
//! `weight`) become that weight; every other key goes under `extra`, so nothing is dropped
//! silently (a key with a null value, which TOML cannot hold, is reported).

use std::path::Path;

use serde_json::{Map, Value};

use super::Report;

/// A split page: its front matter as JSON and where its body starts.
#[derive(Debug, Default)]
pub(crate) struct Split {
    /// The keys, in the order written.
    pub front: Map<String, Value>,
    /// Byte offset where the body starts.
    pub body_offset: usize,
    /// The body's first line (1-based).
    pub first_line: usize,
}

/// Splits the front matter off `text`. A block that does not parse is reported and left out.
pub(crate) fn split(text: &str, file: &Path, report: &mut Report) -> Split {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[start..];
    let delimiter = if rest.starts_with("---") && is_delimiter(first_line(rest), "---") {
        "---"
    } else if rest.starts_with("+++") && is_delimiter(first_line(rest), "+++") {
        "+++"
    } else {
        return Split {
            front: Map::new(),
            body_offset: start,
            first_line: 1,
        };
    };
    let open_end = start + line_len(rest);
    let mut offset = open_end;
    let mut close = None;
    while offset < text.len() {
        let line = first_line(&text[offset..]);
        if is_delimiter(line, delimiter) || (delimiter == "---" && line.trim_end() == "...") {
            close = Some((offset, offset + line_len(&text[offset..])));
            break;
        }
        offset += line_len(&text[offset..]);
    }
    let Some((close_start, close_end)) = close else {
        // Not closed: the tool would not read it as front matter either.
        return Split {
            front: Map::new(),
            body_offset: start,
            first_line: 1,
        };
    };
    let block = &text[open_end..close_start];
    let parsed: Result<Value, String> = if delimiter == "---" {
        if block.trim().is_empty() {
            Ok(Value::Object(Map::new()))
        } else {
            serde_saphyr::from_str::<Value>(block).map_err(|e| e.to_string())
        }
    } else {
        toml::from_str::<Value>(block).map_err(|e| e.message().to_string())
    };
    let front = match parsed {
        Ok(Value::Object(map)) => map,
        Ok(Value::Null) => Map::new(),
        Ok(_) => {
            report.not_mapped(
                file,
                (1, 1),
                "the front matter is not a table of keys: left out",
            );
            Map::new()
        }
        Err(error) => {
            let first = error.lines().next().unwrap_or_default().to_string();
            report.not_mapped(
                file,
                (1, 1),
                format!("the front matter could not be read ({first}): left out"),
            );
            Map::new()
        }
    };
    let first_line = text[..close_end].matches('\n').count() + 1;
    Split {
        front,
        body_offset: close_end,
        first_line,
    }
}

fn first_line(text: &str) -> &str {
    text.split_inclusive('\n').next().unwrap_or("")
}

fn line_len(text: &str) -> usize {
    first_line(text).len()
}

fn is_delimiter(line: &str, delimiter: &str) -> bool {
    line.trim_end() == delimiter
}

/// Our front matter for a page, built from the source's keys.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Ours {
    /// `title`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `weight`.
    pub weight: Option<i64>,
    /// `draft`.
    pub draft: bool,
    /// `extra`: every other key.
    pub extra: toml::Table,
}

/// The keys whose value orders pages in the source's sidebar.
const ORDER_KEYS: [&str; 4] = ["sidebar_position", "order", "weight", "position"];

/// Where a page's order key puts it, when the source has one (`sidebar_position`, `order`,
/// `weight`, Starlight's `sidebar.order`).
pub(crate) fn source_order(front: &Map<String, Value>) -> Option<f64> {
    ORDER_KEYS
        .iter()
        .find_map(|key| front.get(*key).and_then(number))
        .or_else(|| front.get("sidebar")?.get("order").and_then(number))
}

fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Maps the source's keys to ours, counting each mapping in the report.
pub(crate) fn map(front: &Map<String, Value>, file: &Path, report: &mut Report) -> Ours {
    let mut ours = Ours::default();
    for (key, value) in front {
        match key.as_str() {
            "title" if scalar_text(value).is_some() => {
                ours.title = scalar_text(value);
                report.mapped("front matter `title`", "`title`");
            }
            "description" if scalar_text(value).is_some() => {
                ours.description = scalar_text(value);
                report.mapped("front matter `description`", "`description`");
            }
            "draft" if value.is_boolean() => {
                ours.draft = value.as_bool() == Some(true);
                report.mapped("front matter `draft`", "`draft`");
            }
            key if ORDER_KEYS.contains(&key) && number(value).is_some() => {
                report.mapped(
                    format!("front matter `{key}`"),
                    "`weight` (navigation order)",
                );
            }
            "sidebar" if value.is_object() => {
                let mut rest = value.as_object().cloned().unwrap_or_default();
                if rest.remove("order").is_some() {
                    report.mapped(
                        "front matter `sidebar.order`",
                        "`weight` (navigation order)",
                    );
                }
                if !rest.is_empty() {
                    put_extra(&mut ours.extra, key, &Value::Object(rest), file, report);
                }
            }
            "extra" if value.is_object() => {
                for (key, value) in value.as_object().into_iter().flatten() {
                    put_extra(&mut ours.extra, key, value, file, report);
                }
            }
            _ => put_extra(&mut ours.extra, key, value, file, report),
        }
    }
    ours
}

/// A title or description: a string, or a number or boolean written as one.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn put_extra(extra: &mut toml::Table, key: &str, value: &Value, file: &Path, report: &mut Report) {
    match to_toml(value) {
        Some(value) => {
            extra.insert(key.to_string(), value);
            report.mapped(format!("front matter `{key}`"), format!("`extra.{key}`"));
        }
        None => report.not_mapped(
            file,
            (1, 1),
            format!("front-matter key `{key}` has no value (null): left out"),
        ),
    }
}

/// JSON → TOML; `None` for null (TOML has none). Nulls inside arrays and tables are left out.
fn to_toml(value: &Value) -> Option<toml::Value> {
    Some(match value {
        Value::Null => return None,
        Value::Bool(b) => toml::Value::Boolean(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => toml::Value::Integer(i),
            None => toml::Value::Float(n.as_f64().unwrap_or_default()),
        },
        Value::String(s) => toml::Value::String(s.clone()),
        Value::Array(items) => toml::Value::Array(items.iter().filter_map(to_toml).collect()),
        Value::Object(map) => toml::Value::Table(
            map.iter()
                .filter_map(|(k, v)| Some((k.clone(), to_toml(v)?)))
                .collect(),
        ),
    })
}

/// Our front matter as a TOML block between `+++` lines; empty when there is nothing to say.
pub(crate) fn render(ours: &Ours) -> String {
    let mut top = toml::Table::new();
    if let Some(title) = &ours.title {
        top.insert("title".into(), toml::Value::String(title.clone()));
    }
    if let Some(description) = &ours.description {
        top.insert(
            "description".into(),
            toml::Value::String(description.clone()),
        );
    }
    if let Some(weight) = ours.weight {
        top.insert("weight".into(), toml::Value::Integer(weight));
    }
    if ours.draft {
        top.insert("draft".into(), toml::Value::Boolean(true));
    }
    if !ours.extra.is_empty() {
        top.insert("extra".into(), toml::Value::Table(ours.extra.clone()));
    }
    if top.is_empty() {
        return String::new();
    }
    // Top-level keys first, in our order; `extra` last (a table).
    let mut out = String::from("+++\n");
    for key in ["title", "description", "weight", "draft"] {
        if let Some(value) = top.get(key) {
            out.push_str(&format!("{key} = {value}\n"));
        }
    }
    if let Some(extra) = top.get("extra") {
        let mut wrapper = toml::Table::new();
        wrapper.insert("extra".into(), extra.clone());
        out.push('\n');
        out.push_str(&toml::to_string(&wrapper).unwrap_or_default());
    }
    out.push_str("+++\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapped(yaml: &str) -> (Ours, Report) {
        let text = format!("---\n{yaml}---\nBody\n");
        let mut report = Report::default();
        let split = split(&text, Path::new("a.md"), &mut report);
        assert_eq!(&text[split.body_offset..], "Body\n");
        let ours = map(&split.front, Path::new("a.md"), &mut report);
        (ours, report)
    }

    #[test]
    fn maps_every_key_to_ours_or_extra() {
        let (ours, report) = mapped(
            "title: Intro\ndescription: First steps\nsidebar_position: 3\nsidebar_label: Start\n\
             tags: [a, b]\nhide_title: true\nsidebar:\n  order: 2\n  label: Go\n\
             hero:\n  name: X\n  actions:\n    - text: Go\n      link: /a\nnothing: null\n",
        );
        assert_eq!(ours.title.as_deref(), Some("Intro"));
        assert_eq!(ours.description.as_deref(), Some("First steps"));
        assert_eq!(ours.weight, None, "the layout sets the weight");
        let extra = toml::Value::Table(ours.extra.clone()).to_string();
        for key in ["sidebar_label", "tags", "hide_title", "hero", "label"] {
            assert!(extra.contains(key), "{key} missing from {extra}");
        }
        assert!(!extra.contains("order"), "{extra}");
        assert!(!extra.contains("sidebar_position"), "{extra}");
        assert_eq!(report.count(super::super::EntryKind::NotMapped), 1);
        assert!(
            report
                .mapped
                .contains_key("front matter `sidebar_position`")
        );
    }

    #[test]
    fn source_order_reads_each_tools_key() {
        for (yaml, order) in [
            ("sidebar_position: 2\n", 2.0),
            ("order: 5\n", 5.0),
            ("sidebar:\n  order: 7\n", 7.0),
        ] {
            let mut report = Report::default();
            let text = format!("---\n{yaml}---\n");
            let split = split(&text, Path::new("a.md"), &mut report);
            assert_eq!(source_order(&split.front), Some(order), "{yaml}");
        }
    }

    #[test]
    fn renders_toml_that_our_front_matter_reads() {
        let (mut ours, _) = mapped("title: 'Quote \" here'\ntags: [x]\nsidebar_label: S\n");
        ours.weight = Some(4);
        let block = render(&ours);
        assert!(block.starts_with("+++\ntitle = "), "{block}");
        let inner = block.trim_start_matches("+++\n").trim_end_matches("+++\n");
        let table: toml::Table = inner.parse().unwrap();
        assert_eq!(table["title"].as_str(), Some("Quote \" here"));
        assert_eq!(table["weight"].as_integer(), Some(4));
        assert_eq!(table["extra"]["tags"][0].as_str(), Some("x"));
    }

    #[test]
    fn toml_front_matter_and_none() {
        let mut report = Report::default();
        let split = split(
            "+++\ntitle = \"T\"\n+++\n# Body\n",
            Path::new("a.md"),
            &mut report,
        );
        assert_eq!(split.front["title"], "T");
        assert_eq!(split.first_line, 4);
        let none = super::split("# Just text\n---\n", Path::new("a.md"), &mut report);
        assert!(none.front.is_empty());
        assert_eq!(none.body_offset, 0);
    }

    #[test]
    fn unreadable_front_matter_is_reported() {
        let mut report = Report::default();
        let split = split(
            "---\ntitle: [unclosed\n---\nBody\n",
            Path::new("a.md"),
            &mut report,
        );
        assert!(split.front.is_empty());
        assert_eq!(report.count(super::super::EntryKind::NotMapped), 1);
    }
}
