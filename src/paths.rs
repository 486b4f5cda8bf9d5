//! File-system paths, a leaf every stage may use.
//!
//! Input: paths as the user or the file system gives them. Output: absolute and resolved
//! forms, "inside the book" checks, which names are hidden or editor junk, and the site path
//! (with `/`) of a relative path.

use std::path::{Component, Path, PathBuf};

/// The name of a folder's own page (its part page, or the home page at the top).
pub(crate) const INDEX_FILE: &str = "_index.md";

/// `path` made absolute (from the working folder), without touching the file system.
pub(crate) fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// An absolute path with `.` and `..` resolved as text, symbolic links left as they are.
pub(crate) fn lexical(path: &Path) -> PathBuf {
    let absolute = absolute(path);
    let mut lexical = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            other => lexical.push(other),
        }
    }
    lexical
}

/// An absolute path with `.` and `..` resolved and symbolic links followed as far as the
/// path exists.
pub(crate) fn resolved(path: &Path) -> PathBuf {
    let lexical = lexical(path);
    let mut existing = lexical.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(ToOwned::to_owned),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => return lexical,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    out.extend(rest.iter().rev());
    out
}

/// The folders a published file must be inside once symbolic links are followed (each
/// resolved once, not per file).
pub(crate) struct Bounds(Vec<PathBuf>);

impl Bounds {
    /// The folders, resolved now.
    pub(crate) fn new(folders: &[&Path]) -> Self {
        Self(
            folders
                .iter()
                .filter_map(|f| f.canonicalize().ok())
                .collect(),
        )
    }

    /// Whether `path` (which must exist) is inside one of the folders.
    pub(crate) fn contains(&self, path: &Path) -> bool {
        path.canonicalize()
            .is_ok_and(|real| self.0.iter().any(|folder| real.starts_with(folder)))
    }
}

/// Whether a file or folder name is hidden from the book.
pub(crate) fn is_hidden(name: &str) -> bool {
    (name.starts_with('.') || name.starts_with('_')) && name != INDEX_FILE
}

/// Whether any part of a relative path is hidden.
pub(crate) fn is_hidden_path(rel: &Path) -> bool {
    rel.components()
        .any(|c| is_hidden(&c.as_os_str().to_string_lossy()))
}

/// Whether a path names a Markdown page.
pub(crate) fn is_markdown(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md"))
}

/// Editors' temporary, lock and backup files, by their own name: never part of a book. In
/// `static/`, where other dot files (`.nojekyll`, `.well-known/`) are published, only these
/// are left out.
pub(crate) fn is_editor_scratch(name: &str) -> bool {
    name.starts_with(".#")
        || name.starts_with(".goutputstream-")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.starts_with('#')
        || (!name.is_empty() && name.bytes().all(|b| b.is_ascii_digit()))
}

/// Files of `static/` that are never published: version control folders, the Finder's
/// `.DS_Store`, and editor scratch files. (Other dot files such as `.well-known/` are
/// published: `static/` is copied as it is.)
pub(crate) fn is_junk(rel: &Path) -> bool {
    let mut components = rel.components().peekable();
    while let Some(component) = components.next() {
        let name = component.as_os_str().to_string_lossy();
        if matches!(name.as_ref(), ".git" | ".DS_Store" | ".hg" | ".svn") {
            return true;
        }
        // Scratch names count for the file itself, not for its folders (a folder `2024`).
        if components.peek().is_none() && is_editor_scratch(&name) {
            return true;
        }
    }
    false
}

/// A relative path as a site path with `/` separators.
pub(crate) fn path_to_url(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Where a path is shown in messages: relative to the current folder when inside it.
pub(crate) fn display_path(path: &Path) -> String {
    let shown = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf());
    let text = shown.display().to_string();
    let text = text.strip_prefix("./").unwrap_or(&text);
    if text.is_empty() {
        ".".into()
    } else {
        printable(text).into_owned()
    }
}

/// A path or name fit for a terminal: control characters (which could move the cursor,
/// change colours or clear the screen) written as `\u{..}` escapes.
pub(crate) fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_unicode().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// Like [`printable`], keeping line breaks (for messages that span lines).
pub(crate) fn printable_lines(text: &str) -> String {
    text.split('\n')
        .map(printable)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The relative path from the folder `from_dir` to `to` (both relative to the same root),
/// with `/` separators.
pub(crate) fn relative(from_dir: &Path, to: &Path) -> String {
    let from: Vec<_> = from_dir.components().collect();
    let to_parts: Vec<_> = to.components().collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<String> = vec!["..".to_string(); from.len() - common];
    parts.extend(
        to_parts[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_names() {
        assert!(is_hidden(".git"));
        assert!(is_hidden("_drafts"));
        assert!(!is_hidden("_index.md"));
        assert!(!is_hidden("01-intro.md"));
    }

    #[test]
    fn junk_in_static() {
        assert!(is_junk(Path::new(".git/config")));
        assert!(is_junk(Path::new("css/.site.css.swp")));
        assert!(is_junk(Path::new("css/site.css~")));
        assert!(is_junk(Path::new("4913")));
        assert!(!is_junk(Path::new("2024/slides.pdf")));
        assert!(!is_junk(Path::new(".nojekyll")));
        assert!(!is_junk(Path::new(".well-known/security.txt")));
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(printable("plain/name.md"), "plain/name.md");
        assert_eq!(printable("a\u{1b}[2Jb.md"), "a\\u{1b}[2Jb.md");
        assert_eq!(printable("tab\there"), "tab\\u{9}here");
    }
}

/// What identifies a file's version without reading it: its size and modification time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FileStamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl FileStamp {
    /// The stamp of the file at `path`, when it can be read.
    pub(crate) fn of(path: &Path) -> Option<Self> {
        let metadata = std::fs::metadata(path).ok()?;
        Some(Self {
            len: metadata.len(),
            modified: metadata.modified().ok(),
        })
    }

    /// Whether the file system gave a modification time (without one, a stamp cannot tell
    /// two versions of the same size apart).
    pub(crate) fn is_dated(&self) -> bool {
        self.modified.is_some()
    }
}

/// Values made from files, each kept with the stamp its file had just before it was read:
/// a later run reuses a value while its file is unchanged (the preview's memos of pages and
/// copied files).
#[derive(Debug)]
pub(crate) struct Stamped<V> {
    files: std::collections::HashMap<PathBuf, (FileStamp, V)>,
}

impl<V> Default for Stamped<V> {
    fn default() -> Self {
        Self {
            files: std::collections::HashMap::new(),
        }
    }
}

impl<V> Stamped<V> {
    /// The stamp `file` has now, and the value kept under `key` when it is unchanged. The
    /// stamp is `None` when the file system gives no modification time: such a stamp cannot
    /// tell two versions of the same size apart, so nothing is kept or reused by it.
    pub(crate) fn lookup(&self, key: &Path, file: &Path) -> (Option<FileStamp>, Option<&V>) {
        let stamp = FileStamp::of(file).filter(FileStamp::is_dated);
        let kept = stamp.and_then(|stamp| match self.files.get(key) {
            Some((known, value)) if *known == stamp => Some(value),
            _ => None,
        });
        (stamp, kept)
    }

    /// Keeps `value`, made from a file that had `stamp`.
    pub(crate) fn insert(&mut self, key: PathBuf, stamp: FileStamp, value: V) {
        self.files.insert(key, (stamp, value));
    }

    /// Forgets the values whose key `keep` refuses.
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(&Path) -> bool) {
        self.files.retain(|key, _| keep(key));
    }

    #[cfg(test)]
    pub(crate) fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

impl<V> FromIterator<(PathBuf, FileStamp, V)> for Stamped<V> {
    fn from_iter<I: IntoIterator<Item = (PathBuf, FileStamp, V)>>(iter: I) -> Self {
        Self {
            files: iter
                .into_iter()
                .map(|(key, stamp, value)| (key, (stamp, value)))
                .collect(),
        }
    }
}
