//! Which folders a build may replace.
//!
//! Input: the build folder asked for and where the book's own files are. Output: `Ok` when
//! the folder is missing, empty, or a site guidebook wrote (it holds [`SITE_MARKER`]), else an
//! error naming the folder and the way out. A build replaces the whole folder, so anything
//! it cannot prove is its own is left alone: hidden files count as content.

use std::io::Read as _;
use std::path::Path;

use anyhow::bail;

use crate::paths::{lexical, resolved};

/// The file at the top of every site guidebook writes: the proof that a later build may
/// replace the folder.
pub(crate) const SITE_MARKER: &str = ".guidebook-site";

/// What [`SITE_MARKER`] says to whoever opens it.
pub(crate) const SITE_MARKER_TEXT: &str = "This folder is a site written by guidebook. Every build replaces it whole,\nkeeping only its top-level dot files (such as .git and .nojekyll) and CNAME.\n";

/// How many names of a refused folder's files the error lists.
const NAMES_SHOWN: usize = 4;

/// Refuses targets that would destroy the book itself: the book folder or a folder above it,
/// the content folder or one above it, `static/`, `templates/`, a folder holding a
/// book.toml, or a folder with anything in it that guidebook did not write. A target inside
/// the content folder must be one discovery skips (the book's own `build-dir`, or a hidden
/// folder such as `_site`): any other would be read as chapters by the next build.
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
    let guarded = [
        root.join(crate::config::STATIC_DIR),
        root.join(crate::config::TEMPLATES_DIR),
    ];
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
    match ownership(target)? {
        Ownership::Free | Ownership::Ours => Ok(()),
        Ownership::NotAFolder => bail!(
            "refusing to write the site to `{shown}`: it is a file, not a folder\n  help: choose a folder with `--out`, or move the file away"
        ),
        Ownership::Foreign { names, total } => bail!(
            "refusing to replace `{shown}`: it holds {} that guidebook did not write ({}), and a build replaces the whole folder\n  help: choose an empty or new folder (`--out DIR`), or move those files away; if the folder is meant for the site (a GitHub Pages checkout, say), create an empty `{SITE_MARKER}` file in it: guidebook then replaces it, keeping its top-level dot files and `CNAME`",
            if total == 1 { "a file" } else { "files" },
            listed(&names, total),
        ),
    }
}

/// `a`, `b`, `c` and 3 more.
fn listed(names: &[String], total: usize) -> String {
    let shown: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match total - names.len() {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

/// Whose a would-be build folder is.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Ownership {
    /// Missing or empty: nothing to lose.
    Free,
    /// A site guidebook wrote.
    Ours,
    /// A file (or something else that is not a folder).
    NotAFolder,
    /// A folder with other things in it: some of their names, and how many there are.
    Foreign {
        /// Up to a few names, sorted.
        names: Vec<String>,
        /// How many entries the folder holds.
        total: usize,
    },
}

/// Looks at what `dir` holds (following a symbolic link to a folder).
pub(crate) fn ownership(dir: &Path) -> anyhow::Result<Ownership> {
    let metadata = match std::fs::metadata(dir) {
        Ok(metadata) => metadata,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Ownership::Free),
        Err(e) => {
            return Err(
                anyhow::Error::new(e).context(format!("could not read `{}`", dir.display()))
            );
        }
    };
    if !metadata.is_dir() {
        return Ok(Ownership::NotAFolder);
    }
    if is_our_site(dir) {
        return Ok(Ownership::Ours);
    }
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| anyhow::Error::new(e).context(format!("could not read `{}`", dir.display())))?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    if names.is_empty() {
        return Ok(Ownership::Free);
    }
    names.sort();
    let total = names.len();
    names.truncate(NAMES_SHOWN);
    Ok(Ownership::Foreign { names, total })
}

/// Whether `dir` is a site guidebook wrote: it holds [`SITE_MARKER`], or (a site from before
/// the marker existed) an `index.html` that names guidebook as its generator.
fn is_our_site(dir: &Path) -> bool {
    if dir.join(SITE_MARKER).is_file() {
        return true;
    }
    let mut head = Vec::new();
    std::fs::File::open(dir.join("index.html"))
        .and_then(|file| file.take(4096).read_to_end(&mut head))
        .is_ok_and(|_| {
            String::from_utf8_lossy(&head).contains("<meta name=\"generator\" content=\"guidebook ")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn only_empty_folders_and_our_own_sites_are_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("book");
        let content = root.join("content");
        std::fs::create_dir_all(&content).unwrap();
        let target = root.join("out");
        std::fs::create_dir_all(&target).unwrap();
        let check = || check_target(&target, &root, &content, &root.join("site"));
        assert!(check().is_ok(), "an empty folder is fine");
        // Hidden entries count: a home folder holds nothing else (regression: it was
        // deleted whole).
        std::fs::write(target.join(".bashrc"), "alias x=y").unwrap();
        std::fs::create_dir(target.join(".ssh")).unwrap();
        let error = format!("{:#}", check().unwrap_err());
        assert!(error.contains("`.bashrc`, `.ssh`"), "{error}");
        assert!(error.contains(SITE_MARKER), "the way out is named: {error}");
        // A folder with an index.html from somewhere else is not ours either.
        std::fs::write(target.join("index.html"), "<html>mine</html>").unwrap();
        assert!(check().is_err());
        // Our marker, or a site an older guidebook wrote, is ours.
        std::fs::write(
            target.join("index.html"),
            "<html><head><meta name=\"generator\" content=\"guidebook 0.1.0\">",
        )
        .unwrap();
        assert!(check().is_ok());
        std::fs::remove_file(target.join("index.html")).unwrap();
        std::fs::write(target.join(SITE_MARKER), "").unwrap();
        assert!(check().is_ok());
    }

    #[test]
    fn a_file_is_not_a_build_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("book");
        std::fs::create_dir_all(root.join("content")).unwrap();
        let file = dir.path().join("notes.txt");
        std::fs::write(&file, "precious").unwrap();
        let error = check_target(&file, &root, &root.join("content"), &root.join("site"))
            .unwrap_err()
            .to_string();
        assert!(error.contains("is a file"), "{error}");
    }
}
