//! The attribute block that may end a line, as in `:::war-story Mongo audit {#mongo-audit}`.
//!
//! Input: one line of text (or the end of one). Output: the trailing `{…}` block, if there is
//! one, with each attribute and its byte range. A leaf module: the Markdown stage reads opening
//! fences with it, and the importer can read other tools' attribute blocks with the same rules.
//!
//! The grammar, Pandoc's and Starlight's in small: items separated by spaces, each one of
//! `#id`, `.class`, a bare word (a flag such as `open`), or `key="value"` (also `key='value'`
//! and `key=value`). A block is only an attribute block when it ends the line, starts the text
//! or follows a space, is not escaped (`\{`), and holds nothing but such items: `{a, b}` or
//! `{}` stay text, so braces in a title survive unless they look exactly like attributes.

use std::ops::Range;

/// One item of an attribute block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Attribute {
    /// `#id`.
    Id(String),
    /// `.class`.
    Class(String),
    /// A bare word: `open`.
    Flag(String),
    /// `key="value"`.
    Pair {
        /// The key.
        key: String,
        /// The value, unquoted and unescaped.
        value: String,
    },
}

impl Attribute {
    /// How the item is named in messages: `#id`, `.class`, `open`, `icon`.
    pub(crate) fn name(&self) -> String {
        match self {
            Self::Id(_) => "#id".into(),
            Self::Class(class) => format!(".{class}"),
            Self::Flag(flag) => flag.clone(),
            Self::Pair { key, .. } => key.clone(),
        }
    }
}

/// An item with where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Item {
    /// The item.
    pub attribute: Attribute,
    /// Its byte range in the text given to [`trailing`] (the whole `key="value"`).
    pub range: Range<usize>,
}

/// A trailing attribute block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Block {
    /// From the `{` to the `}`, inclusive, in the text given to [`trailing`].
    pub range: Range<usize>,
    /// The items, in order.
    pub items: Vec<Item>,
}

impl Block {
    /// The same block with every range moved by `offset` bytes.
    pub(crate) fn shifted(mut self, offset: usize) -> Self {
        self.range = self.range.start + offset..self.range.end + offset;
        for item in &mut self.items {
            item.range = item.range.start + offset..item.range.end + offset;
        }
        self
    }
}

/// The attribute block that ends `text` (trailing spaces aside), if there is one.
pub(crate) fn trailing(text: &str) -> Option<Block> {
    let end = text.trim_end_matches([' ', '\t', '\r']).len();
    if !text[..end].ends_with('}') {
        return None;
    }
    // Try each `{` from the left: the first one whose block runs to the end of the line wins,
    // so `Use {a} {#x}` keeps `{a}` in the title.
    let bytes = text.as_bytes();
    (0..end)
        .filter(|&i| bytes[i] == b'{')
        .filter(|&i| i == 0 || matches!(bytes[i - 1], b' ' | b'\t'))
        .filter(|&i| !escaped(bytes, i))
        .find_map(|open| parse_block(text, open).filter(|block| block.range.end == end))
}

/// Whether the byte at `i` follows an odd number of backslashes.
fn escaped(bytes: &[u8], i: usize) -> bool {
    bytes[..i].iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 1
}

/// Reads the block whose `{` is at `open`; `None` when it is not made of attributes only.
fn parse_block(text: &str, open: usize) -> Option<Block> {
    let mut lexer = Lexer { text, at: open + 1 };
    let mut items = Vec::new();
    loop {
        let spaces = lexer.skip_spaces();
        match lexer.peek()? {
            '}' => {
                lexer.at += 1;
                break;
            }
            _ if !items.is_empty() && spaces == 0 => return None,
            _ => items.push(lexer.item()?),
        }
    }
    (!items.is_empty()).then_some(Block {
        range: open..lexer.at,
        items,
    })
}

struct Lexer<'a> {
    text: &'a str,
    at: usize,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.text[self.at..].chars().next()
    }

    fn skip_spaces(&mut self) -> usize {
        let count = self.text[self.at..]
            .bytes()
            .take_while(|b| matches!(b, b' ' | b'\t'))
            .count();
        self.at += count;
        count
    }

    /// Takes characters while `keep` holds; returns them.
    fn take_while(&mut self, keep: impl Fn(char) -> bool) -> &str {
        let start = self.at;
        let len: usize = self.text[start..]
            .chars()
            .take_while(|&c| keep(c))
            .map(char::len_utf8)
            .sum();
        self.at += len;
        &self.text[start..self.at]
    }

    fn item(&mut self) -> Option<Item> {
        let start = self.at;
        let attribute = match self.peek()? {
            '#' => {
                self.at += 1;
                Attribute::Id(self.take_while(is_id_char).to_string())
            }
            '.' => {
                self.at += 1;
                Attribute::Class(self.take_while(is_key_char).to_string())
            }
            c if c.is_ascii_alphabetic() => {
                let key = self.take_while(is_key_char).to_string();
                if self.peek() == Some('=') {
                    self.at += 1;
                    let value = self.value()?;
                    Attribute::Pair { key, value }
                } else {
                    Attribute::Flag(key)
                }
            }
            _ => return None,
        };
        let empty = match &attribute {
            Attribute::Id(s) | Attribute::Class(s) => s.is_empty(),
            Attribute::Flag(_) | Attribute::Pair { .. } => false,
        };
        (!empty).then_some(Item {
            attribute,
            range: start..self.at,
        })
    }

    /// A quoted value (`"…"` with `\"` and `\\` escapes, or `'…'`) or a bare one.
    fn value(&mut self) -> Option<String> {
        let quote = self.peek()?;
        if quote != '"' && quote != '\'' {
            let bare = self.take_while(|c| !c.is_whitespace() && !"{}\"'".contains(c));
            return (!bare.is_empty()).then(|| bare.to_string());
        }
        self.at += 1;
        let mut value = String::new();
        let mut chars = self.text[self.at..].char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' if quote == '"' => {
                    let (_, next) = chars.next()?;
                    value.push(next);
                }
                c if c == quote => {
                    self.at += i + 1;
                    return Some(value);
                }
                '\n' => return None,
                c => value.push(c),
            }
        }
        None
    }
}

/// Characters of an id: anything but spaces, quotes, braces and `#`.
fn is_id_char(c: char) -> bool {
    !c.is_whitespace() && !"{}\"'#".contains(c)
}

/// Characters of a key, flag or class: ASCII letters, digits, `-` and `_`.
fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attributes(text: &str) -> Option<Vec<Attribute>> {
        trailing(text).map(|b| b.items.into_iter().map(|i| i.attribute).collect())
    }

    fn pair(key: &str, value: &str) -> Attribute {
        Attribute::Pair {
            key: key.into(),
            value: value.into(),
        }
    }

    #[test]
    fn reads_ids_flags_classes_and_pairs() {
        assert_eq!(
            attributes(r#"Title {#mongo-audit open .wide icon="heart" n=3 t='a b'}"#),
            Some(vec![
                Attribute::Id("mongo-audit".into()),
                Attribute::Flag("open".into()),
                Attribute::Class("wide".into()),
                pair("icon", "heart"),
                pair("n", "3"),
                pair("t", "a b"),
            ])
        );
    }

    #[test]
    fn ranges_point_into_the_text() {
        let text = r#"Why? {open icon="🔥"}  "#;
        let block = trailing(text).unwrap();
        assert_eq!(&text[block.range.clone()], r#"{open icon="🔥"}"#);
        assert_eq!(&text[block.items[1].range.clone()], r#"icon="🔥""#);
        assert_eq!(block.shifted(10).range.start, 15);
    }

    #[test]
    fn quoted_values_may_hold_braces_spaces_and_escapes() {
        assert_eq!(
            attributes(r#"{title="a } \"b\" \\"}"#),
            Some(vec![pair("title", r#"a } "b" \"#)])
        );
    }

    #[test]
    fn braces_that_are_not_attributes_stay_text() {
        for text in [
            "Use {a, b} here",
            "Use {a, b}",
            "Set {}",
            "Use { }",
            "Map {x: 1}",
            r"Escaped \{#id}",
            "Glued{#id}",
            "Open {#id",
            "Unclosed {k=\"v}",
            "{#}",
            "{a=}",
            "{#a#b}",
            "{a}{b}",
            "{props.x}",
        ] {
            assert_eq!(trailing(text), None, "{text}");
        }
    }

    #[test]
    fn only_the_block_that_ends_the_line_counts() {
        let text = "Use {a} and {#x}";
        let block = trailing(text).unwrap();
        assert_eq!(&text[block.range], "{#x}");
        assert_eq!(trailing("{#x} then text"), None);
        assert!(trailing("{#x}").is_some(), "a block may start the text");
        assert!(trailing("\t{#x}\r").is_some());
    }
}
