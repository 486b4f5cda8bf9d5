//! Output: writes the site atomically.
//!
//! Input: the generated files (in memory) and the files to copy (content assets, the book's
//! `static/`). Output: the site folder, replaced in one step. Everything is written into a
//! temporary folder next to the target and swapped in only when all of it was written, so a
//! failed build leaves the previous site untouched.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use rayon::prelude::*;

use crate::render::SiteFile;

/// A file copied into the site.
#[derive(Debug, Clone)]
pub(crate) struct Copy {
    /// The file on disk.
    pub(crate) from: PathBuf,
    /// Its path in the site, with `/`.
    pub(crate) to: String,
    /// A file of `static/` (which may replace generated files) rather than of the content.
    pub(crate) from_static: bool,
}

/// What was written.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Written {
    /// Number of files.
    pub(crate) files: usize,
    /// Total bytes.
    pub(crate) bytes: u64,
}

/// Refuses targets that would destroy the book itself: the book folder or a folder above it,
/// the content folder or one above it, `static/`, `templates/`, a folder holding a
/// book.toml, or a folder with files in it that is not a site (no `index.html`). A target
/// inside the content folder must be one discovery skips (the book's own `build-dir`, or
/// a hidden folder such as `_site`): any other would be read as chapters by the next build.
pub(crate) fn check_target(
    target: &Path,
    book_root: &Path,
    content_dir: &Path,
    configured_build_dir: &Path,
) -> anyhow::Result<()> {
    let shown = target.display();
    // Symbolic links are judged both followed and as written: the site replaces the link.
    let targets = [resolved(target), lexical(target)];
    let root = resolved(book_root);
    let contents = [resolved(content_dir), lexical(content_dir)];
    let build_dirs = [
        resolved(configured_build_dir),
        lexical(configured_build_dir),
    ];
    let read_as_content = targets.iter().any(|t| {
        contents.iter().any(|c| {
            t.strip_prefix(c).is_ok_and(|rel| {
                !rel.as_os_str().is_empty()
                    && !crate::discover::is_hidden_path(rel)
                    && !build_dirs.iter().any(|b| t.starts_with(b))
            })
        })
    });
    if read_as_content {
        bail!(
            "refusing to write the site to `{shown}`: it is inside the content folder, so the next build would read the site as chapters; choose a folder outside the content folder, or make this one the book's `build-dir`"
        );
    }
    let target = &targets[0];
    let content = &contents[0];
    let guarded = [root.join("static"), root.join("templates")];
    let holds_the_book = root.starts_with(target) || content.starts_with(target);
    let inside_a_source = guarded.iter().any(|g| target.starts_with(g));
    if holds_the_book || inside_a_source {
        bail!(
            "refusing to write the site to `{shown}`: the book's own files are there; choose a separate folder such as `site`"
        );
    }
    if target.join(crate::config::CONFIG_FILE).exists() {
        bail!(
            "refusing to replace `{shown}`: it contains a book.toml; choose a separate folder for the site"
        );
    }
    if holds_other_files(target) {
        bail!(
            "refusing to replace `{shown}`: it holds files but no index.html, so it is not a site guidebook built; move those files away or choose another folder"
        );
    }
    Ok(())
}

/// Whether `dir` is a folder with visible files in it but no `index.html`, which every
/// site guidebook writes.
fn holds_other_files(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    let mut visible = entries
        .filter_map(Result::ok)
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .peekable();
    visible.peek().is_some() && !dir.join("index.html").exists()
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

/// An absolute path with `.` and `..` resolved as text, symbolic links left as they are.
fn lexical(path: &Path) -> PathBuf {
    let absolute = absolute(path);
    let mut lexical = PathBuf::new();
    for component in absolute.components() {
        match component {
            std::path::Component::ParentDir => {
                lexical.pop();
            }
            std::path::Component::CurDir => {}
            other => lexical.push(other),
        }
    }
    lexical
}

/// `path` made absolute (from the working folder), without touching the file system.
pub(crate) fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Writes `files` and `copies` into a fresh folder and swaps it in at `target`.
pub(crate) fn write_site(
    target: &Path,
    files: &[SiteFile],
    copies: &[Copy],
) -> anyhow::Result<Written> {
    let target = absolute(target);
    let parent = target
        .parent()
        .context("the build folder has no parent folder")?;
    std::fs::create_dir_all(parent)
        .with_context(|| format!("could not create `{}`", parent.display()))?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".into());
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.tmp-"))
        .tempdir_in(parent)
        .with_context(|| {
            format!(
                "could not create a temporary folder in `{}`",
                parent.display()
            )
        })?;
    let written = fill(staging.path(), files, copies)?;
    swap_in(staging.keep(), &target, &name)?;
    Ok(written)
}

/// Writes everything into `dir`.
fn fill(dir: &Path, files: &[SiteFile], copies: &[Copy]) -> anyhow::Result<Written> {
    let generated: anyhow::Result<Vec<u64>> = files
        .par_iter()
        .map(|file| {
            let path = dir.join(&file.path);
            create_parent(&path)?;
            std::fs::write(&path, &file.contents)
                .with_context(|| format!("could not write `{}`", path.display()))?;
            Ok(file.contents.len() as u64)
        })
        .collect();
    let mut bytes: u64 = generated?.into_iter().sum();
    let mut count = files.len();
    // Copies run in order: later ones (the book's static/) replace earlier ones.
    for copy in copies {
        let path = dir.join(&copy.to);
        create_parent(&path)?;
        bytes += std::fs::copy(&copy.from, &path)
            .with_context(|| format!("could not copy `{}`", copy.from.display()))?;
        count += 1;
    }
    Ok(Written {
        files: count,
        bytes,
    })
}

fn create_parent(path: &Path) -> anyhow::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("could not create `{}`", parent.display()))?;
    }
    Ok(())
}

/// Replaces `target` with `staged`: rename the old site aside, rename the new one in, then
/// delete the old one.
fn swap_in(staged: PathBuf, target: &Path, name: &str) -> anyhow::Result<()> {
    let result = (|| {
        if target.exists() {
            if !target.is_dir() {
                bail!("`{}` exists and is not a folder", target.display());
            }
            let parent = target.parent().unwrap_or(Path::new("."));
            let old = tempfile::Builder::new()
                .prefix(&format!(".{name}.old-"))
                .tempdir_in(parent)?
                .keep();
            // `old` now exists as an empty folder: rename the site into its place.
            std::fs::remove_dir(&old)?;
            std::fs::rename(target, &old).with_context(|| {
                format!("could not move the old site `{}` aside", target.display())
            })?;
            if let Err(e) = std::fs::rename(&staged, target) {
                let _ = std::fs::rename(&old, target);
                return Err(e).with_context(|| {
                    format!("could not move the new site into `{}`", target.display())
                });
            }
            let _ = std::fs::remove_dir_all(&old);
        } else {
            std::fs::rename(&staged, target).with_context(|| {
                format!("could not move the new site into `{}`", target.display())
            })?;
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staged);
    }
    result
}

/// The folders a published file must be inside once symbolic links are followed (each
/// resolved once, not per file).
pub(crate) struct Bounds(Vec<PathBuf>);

impl Bounds {
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

/// Files of `static/` that are never published: version control and editor leftovers. (Dot
/// files such as `.well-known/` are published: `static/` is copied as it is.)
pub(crate) fn is_junk(rel: &Path) -> bool {
    rel.components().any(|c| {
        let name = c.as_os_str().to_string_lossy();
        matches!(name.as_ref(), ".git" | ".DS_Store" | ".hg" | ".svn")
            || name.ends_with('~')
            || name.ends_with(".swp")
    })
}

/// The files under a folder (recursively), as copies into the site root, sorted.
pub(crate) fn folder_copies(dir: &Path) -> anyhow::Result<Vec<Copy>> {
    let mut copies = Vec::new();
    if !dir.is_dir() {
        return Ok(copies);
    }
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
    {
        let entry = entry.with_context(|| format!("could not read `{}`", dir.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        if is_junk(rel) {
            continue;
        }
        copies.push(Copy {
            from: entry.path().to_path_buf(),
            to: crate::model::path_to_url(rel),
            from_static: true,
        });
    }
    Ok(copies)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> SiteFile {
        SiteFile {
            path: path.into(),
            contents: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn replaces_the_old_site_in_one_step() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("site");
        write_site(
            &target,
            &[file("index.html", "one"), file("a/b.html", "x")],
            &[],
        )
        .unwrap();
        write_site(&target, &[file("index.html", "two")], &[]).unwrap();
        assert_eq!(
            std::fs::read_to_string(target.join("index.html")).unwrap(),
            "two"
        );
        assert!(!target.join("a").exists(), "files of the old site are gone");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary folders left behind");
    }

    #[test]
    fn a_failed_write_leaves_the_old_site() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("site");
        write_site(&target, &[file("index.html", "good")], &[]).unwrap();
        let missing = Copy {
            from: dir.path().join("does-not-exist.png"),
            to: "img.png".into(),
            from_static: false,
        };
        assert!(write_site(&target, &[file("index.html", "bad")], &[missing]).is_err());
        assert_eq!(
            std::fs::read_to_string(target.join("index.html")).unwrap(),
            "good"
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "the temporary folder was removed");
    }

    #[test]
    fn refuses_to_overwrite_the_book() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let content = root.join("content");
        std::fs::create_dir_all(&content).unwrap();
        std::fs::write(root.join("book.toml"), "").unwrap();
        let site = root.join("site");
        let check = |target: &Path| check_target(target, root, &content, &site);
        assert!(check(root).is_err());
        assert!(check(&content).is_err());
        assert!(check(&root.join("content/../content")).is_err());
        assert!(check(&root.join("site/../.")).is_err());
        assert!(check(&root.join("static/site")).is_err());
        assert!(check(&root.join("..")).is_err());
        assert!(check(&site).is_ok());
        assert!(check(&root.join("elsewhere")).is_ok());
        // Inside the content folder, only the book's own build-dir: another would be read
        // as chapters by the next build (regression).
        assert!(check(&root.join("content/site")).is_err());
        let inside = content.join("site");
        assert!(check_target(&inside, root, &content, &inside).is_ok());
        assert!(check_target(&content.join("other"), root, &content, &inside).is_err());
        // Folders discovery skips are fine: hidden ones (GitHub's `_site`), and anything
        // inside the build folder.
        assert!(check_target(&content.join("_site"), root, &content, &site).is_ok());
        assert!(check_target(&inside.join("preview"), root, &content, &inside).is_ok());
    }

    #[test]
    #[cfg(unix)]
    fn a_link_inside_the_content_folder_is_refused_wherever_it_points() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("book");
        let content = root.join("content");
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir_all(&content).unwrap();
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, content.join("link")).unwrap();
        let site = root.join("site");
        assert!(check_target(&content.join("link"), &root, &content, &site).is_err());
    }

    #[test]
    fn a_folder_of_other_files_is_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("book");
        let content = root.join("content");
        std::fs::create_dir_all(&content).unwrap();
        let target = root.join("chapters");
        std::fs::create_dir_all(&target).unwrap();
        let check = || check_target(&target, &root, &content, &root.join("site"));
        assert!(check().is_ok(), "an empty folder is fine");
        std::fs::write(target.join(".git"), "gitdir: elsewhere").unwrap();
        assert!(check().is_ok(), "hidden files alone are fine");
        std::fs::write(target.join("01-precious.md"), "# Mine").unwrap();
        let error = check().unwrap_err().to_string();
        assert!(error.contains("no index.html"), "{error}");
        std::fs::write(target.join("index.html"), "").unwrap();
        assert!(check().is_ok(), "an earlier site is replaced");
    }
}
