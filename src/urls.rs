//! Site URLs: relative hrefs between pages, percent-encoding, absolute URLs.
//!
//! Input: site-relative paths such as `apis/rest/` (a page) or `apis/diagram.svg` (a file).
//! Output: hrefs relative to the page that contains them, so the site works under any path
//! prefix and when opened from disk (directory URLs get an explicit `index.html`).

use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};

/// Characters escaped in a URL path segment.
const PATH_SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\')
    .add(b'^')
    .add(b'|')
    .add(b'[')
    .add(b']');

/// Characters escaped in a fragment.
const FRAGMENT: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'<').add(b'>').add(b'`');

/// Percent-encodes a site-relative path, keeping its `/` separators.
pub(crate) fn encode_path(path: &str) -> String {
    path.split('/')
        .map(|segment| utf8_percent_encode(segment, PATH_SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// Percent-encodes a query parameter's value (everything but unreserved characters).
pub(crate) fn encode_query_value(value: &str) -> String {
    const UNRESERVED: &AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    utf8_percent_encode(value, UNRESERVED).to_string()
}

/// Percent-encodes a fragment (a heading id).
pub(crate) fn encode_fragment(fragment: &str) -> String {
    utf8_percent_encode(fragment, FRAGMENT).to_string()
}

/// Decodes `%xx` escapes (invalid UTF-8 is replaced).
pub(crate) fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// The href from the page whose URL is `from` (a directory such as `apis/rest/`) to the
/// site path `to`. A directory target gets `index.html`, so links work from disk.
pub(crate) fn relative(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').collect();
    // `to` is a directory when it ends with `/` (its last part is then empty).
    let (to_dirs, file) = to_parts.split_at(to_parts.len() - 1);
    let to_dirs: Vec<&str> = to_dirs.iter().copied().filter(|s| !s.is_empty()).collect();
    let file = if file[0].is_empty() {
        "index.html"
    } else {
        file[0]
    };
    let common = from_dirs
        .iter()
        .zip(&to_dirs)
        .take_while(|(a, b)| a == b)
        .count();
    let mut href = "../".repeat(from_dirs.len() - common);
    for dir in &to_dirs[common..] {
        href.push_str(dir);
        href.push('/');
    }
    href.push_str(file);
    encode_path(&href)
}

/// How one page writes links to other site paths.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Linker<'a> {
    /// Relative to the page whose URL is given (`apis/rest/`): works from disk and under any
    /// path prefix.
    From(&'a str),
    /// From a fixed base (`/` or the book's base URL), for a page served at any path (the
    /// 404 page).
    Base(&'a str),
}

impl Linker<'_> {
    /// The href of site path `to` (a page URL such as `apis/` or a file such as `a/b.svg`).
    pub(crate) fn href(&self, to: &str) -> String {
        match self {
            Self::From(from) => relative(from, to),
            Self::Base(base) => format!("{base}{}", encode_path(to)),
        }
    }

    /// The path to the site root: `""`, `"../../"`, or the base.
    pub(crate) fn root(&self) -> String {
        match self {
            Self::From(from) => to_root(from),
            Self::Base(base) => (*base).to_string(),
        }
    }
}

/// The path from the page `from` to the site root: `""` or `"../../"`.
pub(crate) fn to_root(from: &str) -> String {
    "../".repeat(from.split('/').filter(|s| !s.is_empty()).count())
}

/// The URL of a site path from a base that ends with `/` (the book's base URL, or `/`).
pub(crate) fn absolute(base_url: &str, path: &str) -> String {
    format!("{base_url}{}", encode_path(path))
}

/// `href` with the `?query` of the link destination `original` (if it has one) inserted
/// before its `#fragment`: rewritten links keep their query.
pub(crate) fn with_query_of(href: String, original: &str) -> String {
    let before_fragment = original.split('#').next().unwrap_or(original);
    let Some((_, query)) = before_fragment.split_once('?') else {
        return href;
    };
    match href.split_once('#') {
        Some((path, fragment)) => format!("{path}?{query}#{fragment}"),
        None => format!("{href}?{query}"),
    }
}

/// Whether `dest` is an external URL (`https:`, `mailto:`, `//host`), not a site path.
pub(crate) fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    let Some(colon) = dest.find(':') else {
        return false;
    };
    let scheme = &dest[..colon];
    !scheme.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// GitHub's heading slug: lowercase; letters, digits, `-` and `_` kept (any script); spaces
/// become `-`; all other punctuation and symbols removed.
pub(crate) fn slugify(text: &str) -> String {
    text.trim()
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                Some(c)
            } else if c.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_hrefs() {
        assert_eq!(relative("", "apis/rest/"), "apis/rest/index.html");
        assert_eq!(relative("apis/rest/", ""), "../../index.html");
        assert_eq!(
            relative("apis/rest/", "apis/graphql/"),
            "../graphql/index.html"
        );
        assert_eq!(relative("apis/rest/", "apis/rest/"), "index.html");
        assert_eq!(relative("apis/rest/", "apis/diagram.svg"), "../diagram.svg");
        assert_eq!(relative("intro/", "assets/site.css"), "../assets/site.css");
        assert_eq!(relative("a/", "my file.png"), "../my%20file.png");
    }

    #[test]
    fn root_paths() {
        assert_eq!(to_root(""), "");
        assert_eq!(to_root("apis/rest/"), "../../");
    }

    #[test]
    fn external_detection() {
        assert!(is_external("https://example.com"));
        assert!(is_external("mailto:me@example.com"));
        assert!(is_external("//cdn.example.com/x"));
        assert!(!is_external("../os/basics.md"));
        assert!(!is_external("#anchor"));
        assert!(!is_external("img/a:b.png"));
    }

    #[test]
    fn decoding() {
        assert_eq!(decode("caf%C3%A9"), "café");
        assert_eq!(encode_fragment("café"), "caf%C3%A9");
    }
}
