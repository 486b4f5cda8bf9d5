//! Discovery: finds the pages, parts and assets of a book on disk and reads the pages.
//!
//! Input: the content folder. Output: a [`Folder`] tree of page sources (text read, checked
//! to be UTF-8) and asset paths. Hidden entries (a leading `.` or `_`, except `_index.md`) are
//! skipped; a folder with no page at any depth is not a part, and its files are assets.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context as _;
use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::paths::{Bounds, FileStamp, Stamped, absolute, resolved};
pub(crate) use crate::paths::{INDEX_FILE, is_hidden, is_hidden_path, is_markdown};

/// One Markdown file, read.
#[derive(Debug, Clone)]
pub(crate) struct SourceFile {
    /// Path relative to the content folder.
    pub rel: PathBuf,
    /// Path relative to the book folder, for messages.
    pub display: PathBuf,
    /// The file's text.
    pub text: Arc<str>,
}

/// A folder of the content tree.
#[derive(Debug, Clone, Default)]
pub(crate) struct Folder {
    /// Path relative to the content folder (empty for the content folder itself).
    pub rel: PathBuf,
    /// Its `_index.md`, if any.
    pub index: Option<SourceFile>,
    /// Its other pages, sorted by file name.
    pub pages: Vec<SourceFile>,
    /// Sub-folders that hold pages (parts), sorted by name.
    pub parts: Vec<Folder>,
    /// Every other file under it (including those of page-less sub-folders), relative to the
    /// content folder, sorted.
    pub assets: Vec<PathBuf>,
}

impl Folder {
    /// Whether the folder holds a page at any depth.
    fn has_pages(&self) -> bool {
        self.index.is_some() || !self.pages.is_empty() || self.parts.iter().any(Folder::has_pages)
    }

    /// Number of pages in the tree.
    #[cfg(test)]
    fn page_count(&self) -> usize {
        usize::from(self.index.is_some())
            + self.pages.len()
            + self.parts.iter().map(Folder::page_count).sum::<usize>()
    }
}

/// The content tree, and warnings about files left out.
#[derive(Debug)]
pub(crate) struct Discovered {
    /// The tree of parts, pages and assets.
    pub(crate) tree: Folder,
    /// Files left out (links to files outside the book).
    pub(crate) warnings: Diagnostics,
}

/// Walks the content folder of the book configured by `config`. The build folder, `static/`
/// and `templates/` are skipped when they sit inside it (`content-dir = "."`), and so are
/// files reached through links to somewhere outside the book.
pub(crate) fn discover(
    config: &Config,
    remembered: Option<&mut ReadMemo>,
) -> anyhow::Result<Result<Discovered, Diagnostics>> {
    let root = &config.root;
    let content_dir = &config.build.content_dir;
    let display_dir = config.display_content_dir().to_path_buf();
    if !content_dir.is_dir() {
        let mut diags = Diagnostics::new();
        diags.push(
            Diagnostic::error(format!(
                "the content folder `{}` does not exist",
                display_dir.display()
            ))
            .in_file(crate::config::CONFIG_FILE)
            .hint("create it and add a chapter such as `01-introduction.md`, or set `content-dir` under `[build]`"),
        );
        return Ok(Err(diags));
    }
    // Each as written and resolved (`..` and links), so `build-dir = "../book/out"` is
    // recognised when the walk reaches `out/`.
    // The walk asks about every entry of the content folder: by name first, which rules
    // out nearly all of them without making their path absolute.
    let skipped: std::collections::HashSet<PathBuf> = [
        config.build.build_dir.clone(),
        config.build.configured_build_dir.clone(),
        config.build.static_dir.clone(),
        config.build.templates_dir.clone(),
        root.join(crate::config::CONFIG_FILE),
    ]
    .iter()
    .flat_map(|p| [absolute(p), resolved(p)])
    .collect();
    let skipped_names: std::collections::HashSet<&std::ffi::OsStr> =
        skipped.iter().filter_map(|p| p.file_name()).collect();
    let allowed = Bounds::new(&[root, content_dir]);
    let mut warnings = Diagnostics::new();
    let mut markdown = Vec::new();
    let mut others = Vec::new();
    let mut linked_folders: Vec<PathBuf> = Vec::new();
    let walker = WalkDir::new(content_dir)
        .min_depth(1)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name();
            let skip = is_hidden(&name.to_string_lossy())
                || (skipped_names.contains(name) && skipped.contains(&absolute(e.path())));
            !skip
        });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => match unreadable_link(&error, content_dir, &display_dir) {
                Some(warning) => {
                    warnings.push(warning);
                    continue;
                }
                None => {
                    return Err(error)
                        .with_context(|| format!("could not read `{}`", content_dir.display()));
                }
            },
        };
        // Only a file reached through a symbolic link can lead outside the book: resolve
        // those (resolving every file would cost a system call per page).
        let through_link =
            entry.path_is_symlink() || linked_folders.iter().any(|f| entry.path().starts_with(f));
        if !entry.file_type().is_file() {
            if entry.path_is_symlink() {
                linked_folders.push(entry.path().to_path_buf());
            }
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(content_dir)
            .unwrap_or(entry.path())
            .to_path_buf();
        if through_link && !allowed.contains(entry.path()) {
            warnings.push(outside_the_book(&display_dir.join(&rel)));
            continue;
        }
        if is_markdown(&rel) {
            markdown.push(rel);
        } else {
            others.push(rel);
        }
    }

    let read: Vec<StampedRead> = markdown
        .par_iter()
        .map(|rel| match remembered.as_deref() {
            Some(memo) => memo.read(content_dir, &display_dir, rel),
            None => (None, read_page(content_dir, &display_dir, rel)),
        })
        .collect();
    if let Some(memo) = remembered {
        memo.keep(&read);
    }
    let read = read.into_iter().map(|(_, result)| result);
    let mut diags = Diagnostics::new();
    let mut files = Vec::with_capacity(read.len());
    for result in read {
        match result? {
            Ok(file) => files.push(file),
            Err(diag) => diags.push(diag),
        }
    }
    if markdown.is_empty() {
        diags.push(
            Diagnostic::error(format!("no pages in `{}`", display_dir.display()))
                .in_file(crate::config::CONFIG_FILE)
                .hint(format!(
                    "add a Markdown chapter such as `{}/01-introduction.md`",
                    display_dir.display()
                )),
        );
    }
    if diags.has_errors() {
        diags.extend(warnings);
        return Ok(Err(diags));
    }
    Ok(Ok(Discovered {
        tree: build_tree(files, others),
        warnings,
    }))
}

impl Diagnostic {
    /// Points the diagnostic at `range` of a page's file.
    pub(crate) fn in_source(self, file: &SourceFile, range: std::ops::Range<usize>) -> Self {
        self.in_file(&file.display).at(&file.text, range)
    }
}

/// The warning for a file (shown as `shown`) that is a link to somewhere outside the book.
pub(crate) fn outside_the_book(shown: &Path) -> Diagnostic {
    Diagnostic::warning(format!(
        "`{}` links to a file outside the book; it is left out",
        shown.display()
    ))
    .in_file(shown)
    .hint("copy the file into the book instead of linking to it")
}

/// The pages read by an earlier run (the preview), with the size and modification time each
/// had: a file whose size and time are unchanged is not read again, so an edit to one page
/// costs one read, not one per page.
#[derive(Debug, Default)]
pub(crate) struct ReadMemo {
    files: Stamped<SourceFile>,
}

/// A page read (or its error), with the stamp its file had just before.
type StampedRead = (
    Option<FileStamp>,
    anyhow::Result<Result<SourceFile, Diagnostic>>,
);

impl ReadMemo {
    /// Reads page `rel`, or reuses the earlier text when the file is unchanged. The stamp is
    /// taken before reading, so a change made while reading is read by the next run.
    fn read(&self, content_dir: &Path, display_dir: &Path, rel: &Path) -> StampedRead {
        let (stamp, kept) = self.files.lookup(rel, &content_dir.join(rel));
        if let Some(file) = kept {
            return (stamp, Ok(Ok(file.clone())));
        }
        (stamp, read_page(content_dir, display_dir, rel))
    }

    /// Remembers this run's pages (and forgets pages that are gone).
    fn keep(&mut self, read: &[StampedRead]) {
        self.files = read
            .iter()
            .filter_map(|(stamp, result)| {
                let file = result.as_ref().ok()?.as_ref().ok()?;
                Some((file.rel.clone(), (*stamp)?, file.clone()))
            })
            .collect();
    }
}

/// The warning for a symbolic link that leads nowhere (its target is missing) or in a
/// circle, found while walking `dir` (shown as `shown`); `None` for any other error.
pub(crate) fn unreadable_link(
    error: &walkdir::Error,
    dir: &Path,
    shown: &Path,
) -> Option<Diagnostic> {
    let path = error.path()?;
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let dangling = is_link && std::fs::metadata(path).is_err();
    if !dangling && error.loop_ancestor().is_none() {
        return None;
    }
    let rel = path.strip_prefix(dir).unwrap_or(path);
    let shown = shown.join(rel);
    let why = if dangling {
        "leads to nothing (its target is missing)"
    } else {
        "leads back into a folder that contains it"
    };
    Some(
        Diagnostic::warning(format!(
            "the symbolic link `{}` {why}; it is left out",
            crate::paths::printable(&shown.display().to_string())
        ))
        .in_file(&shown)
        .hint("fix or remove the link"),
    )
}

/// Reads one page of the content folder: its text, or the not-UTF-8 error.
pub(crate) fn read_page(
    content_dir: &Path,
    display_dir: &Path,
    rel: &Path,
) -> anyhow::Result<Result<SourceFile, Diagnostic>> {
    let path = content_dir.join(rel);
    let bytes =
        std::fs::read(&path).with_context(|| format!("could not read `{}`", path.display()))?;
    let display = display_dir.join(rel);
    Ok(match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile {
            rel: rel.to_path_buf(),
            display,
            text: Arc::from(crate::text::normalize(text)),
        }),
        Err(e) => Err(crate::text::not_utf8(&display, e.as_bytes())),
    })
}

/// Arranges files into folders: part folders hold pages; page-less folders become assets.
fn build_tree(files: Vec<SourceFile>, others: Vec<PathBuf>) -> Folder {
    let mut root = Folder::default();
    for file in files {
        let folder = folder_mut(&mut root, file.rel.parent().unwrap_or(Path::new("")));
        if file.rel.file_name().is_some_and(|n| n == INDEX_FILE) {
            folder.index = Some(file);
        } else {
            folder.pages.push(file);
        }
    }
    for asset in others {
        // An asset belongs to the deepest ancestor folder that is a part (or the root).
        let parent = asset.parent().unwrap_or(Path::new(""));
        let owner = deepest_existing(&root, parent);
        folder_mut(&mut root, &owner).assets.push(asset);
    }
    prune(&mut root);
    root
}

fn folder_mut<'a>(root: &'a mut Folder, rel: &Path) -> &'a mut Folder {
    let mut folder = root;
    let mut path = PathBuf::new();
    for part in rel.components() {
        path.push(part);
        let index = match folder.parts.iter().position(|f| f.rel == path) {
            Some(i) => i,
            None => {
                folder.parts.push(Folder {
                    rel: path.clone(),
                    ..Folder::default()
                });
                folder.parts.sort_by(|a, b| a.rel.cmp(&b.rel));
                folder
                    .parts
                    .iter()
                    .position(|f| f.rel == path)
                    .expect("just added")
            }
        };
        folder = &mut folder.parts[index];
    }
    folder
}

/// The deepest folder on the way to `rel` that already exists in the tree.
fn deepest_existing(root: &Folder, rel: &Path) -> PathBuf {
    let mut folder = root;
    let mut path = PathBuf::new();
    for part in rel.components() {
        let mut next = path.clone();
        next.push(part);
        match folder.parts.iter().find(|f| f.rel == next) {
            Some(f) => {
                folder = f;
                path = next;
            }
            None => break,
        }
    }
    path
}

/// Removes folders without pages (their assets were placed in an ancestor).
fn prune(folder: &mut Folder) {
    folder.parts.retain(Folder::has_pages);
    for part in &mut folder.parts {
        prune(part);
    }
    folder.assets.sort();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(rel: &str) -> SourceFile {
        SourceFile {
            rel: rel.into(),
            display: Path::new("content").join(rel),
            text: Arc::from(""),
        }
    }

    #[test]
    fn folders_with_pages_are_parts_others_are_assets() {
        let tree = build_tree(
            vec![
                file("_index.md"),
                file("01-intro.md"),
                file("02-apis/_index.md"),
                file("02-apis/01-rest.md"),
                file("03-deep/nested/01-x.md"),
            ],
            vec![
                "img/logo.png".into(),
                "02-apis/diagram.svg".into(),
                "02-apis/img/a.png".into(),
            ],
        );
        assert!(tree.index.is_some());
        assert_eq!(tree.pages.len(), 1);
        let parts: Vec<&Path> = tree.parts.iter().map(|p| p.rel.as_path()).collect();
        assert_eq!(parts, [Path::new("02-apis"), Path::new("03-deep")]);
        assert_eq!(tree.assets, [PathBuf::from("img/logo.png")]);
        assert_eq!(
            tree.parts[0].assets,
            [
                PathBuf::from("02-apis/diagram.svg"),
                PathBuf::from("02-apis/img/a.png")
            ]
        );
        assert_eq!(tree.parts[1].parts[0].pages.len(), 1);
        assert_eq!(tree.page_count(), 5);
    }
}
