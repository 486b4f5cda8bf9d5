//! Text files as every stage reads them, a leaf.
//!
//! Input: the bytes of a page, a template or book.toml. Output: the text the parsers see
//! (line ends and NUL as CommonMark asks), or a diagnostic pointing at the first byte that
//! is not UTF-8.

use std::path::Path;
use std::sync::Arc;

use crate::diagnostics::Diagnostic;

/// The text of a page as the parser should see it: a lone carriage return (old Mac line
/// ends) is a line end, and NUL becomes U+FFFD, as CommonMark asks. Line numbers and byte
/// offsets before the first NUL are unchanged.
pub(crate) fn normalize(text: String) -> String {
    if !text.contains(['\r', '\0']) {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() != Some(&'\n') => out.push('\n'),
            '\0' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// The diagnostic for a file that is not UTF-8, pointing at the first bad byte.
pub(crate) fn not_utf8(display: &Path, bytes: &[u8]) -> Diagnostic {
    let valid = match std::str::from_utf8(bytes) {
        Ok(_) => bytes.len(),
        Err(e) => e.valid_up_to(),
    };
    let text: Arc<str> = Arc::from(String::from_utf8_lossy(bytes).into_owned());
    let bad = bytes.get(valid).copied().unwrap_or(0);
    // The lossy text has U+FFFD (three bytes) where the bad byte was.
    Diagnostic::error("the file is not valid UTF-8")
        .in_file(display)
        .at(&text, valid..valid + '\u{fffd}'.len_utf8())
        .label(format!("byte 0x{bad:02X} cannot start a UTF-8 character"))
        .hint("save the file as UTF-8 (in most editors: \"Save with encoding\" → UTF-8)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_carriage_returns_end_lines_and_nul_is_replaced() {
        assert_eq!(normalize("a\rb\r\nc\r".into()), "a\nb\r\nc\n");
        assert_eq!(normalize("x\0y".into()), "x\u{fffd}y");
        assert_eq!(normalize("plain\n".into()), "plain\n");
    }

    #[test]
    fn not_utf8_points_at_the_bad_byte() {
        let d = not_utf8(Path::new("content/a.md"), b"ok\nab\xffc");
        assert_eq!(d.span.unwrap().line_col(), (2, 3));
    }
}
