//! `guidebook init`: scaffolds a new book that builds as it is.
//!
//! Input: a folder (created if missing). Output: `book.toml` with the guide's callout kinds
//! and a two-chapter example, written only where no file exists yet, and a report of what
//! was created and what was kept.

use std::path::Path;

use anyhow::Context as _;

/// The files of a new book: (path, contents).
const SCAFFOLD: &[(&str, &str)] = &[
    ("book.toml", include_str!("scaffold/book.toml")),
    (
        "content/01-getting-started.md",
        include_str!("scaffold/content/01-getting-started.md"),
    ),
    (
        "content/02-first-topic.md",
        include_str!("scaffold/content/02-first-topic.md"),
    ),
];

/// What `init` did.
#[derive(Debug, Default)]
pub(crate) struct Created {
    /// Files written, relative to the folder.
    pub(crate) written: Vec<&'static str>,
    /// Files that were there already and were kept.
    pub(crate) kept: Vec<&'static str>,
}

/// Creates the scaffold in `dir`, writing only files that do not exist yet.
pub(crate) fn init(dir: &Path) -> anyhow::Result<Created> {
    let mut created = Created::default();
    for (path, contents) in SCAFFOLD {
        let target = dir.join(path);
        if target.exists() {
            created.kept.push(*path);
            continue;
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("could not create `{}`", parent.display()))?;
        }
        std::fs::write(&target, contents)
            .with_context(|| format!("could not write `{}`", target.display()))?;
        created.written.push(*path);
    }
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("book.toml"), "mine").unwrap();
        let created = init(dir.path()).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("book.toml")).unwrap(),
            "mine"
        );
        assert!(dir.path().join("content/01-getting-started.md").exists());
        assert_eq!(created.kept, ["book.toml"]);
    }
}
