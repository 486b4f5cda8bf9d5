//! `guidebook init`: scaffolds a new book that builds as it is.
//!
//! Input: a folder (created if missing). Output: `book.toml` with the guide's callout kinds
//! and a two-chapter example, written only where no file exists yet, and a report of what
//! was created and what was kept.

use std::fmt::Write as _;
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

/// Creates the scaffold in `dir`; returns a report for the terminal.
pub(crate) fn init(dir: &Path) -> anyhow::Result<String> {
    let mut created = Vec::new();
    let mut kept = Vec::new();
    for (path, contents) in SCAFFOLD {
        let target = dir.join(path);
        if target.exists() {
            kept.push(*path);
            continue;
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("could not create `{}`", parent.display()))?;
        }
        std::fs::write(&target, contents)
            .with_context(|| format!("could not write `{}`", target.display()))?;
        created.push(*path);
    }
    let shown = crate::cli::display_path(dir);
    let mut report = String::new();
    for path in &created {
        let _ = writeln!(report, "  created {path}");
    }
    for path in &kept {
        let _ = writeln!(report, "  kept    {path} (already there)");
    }
    if created.is_empty() {
        let _ = writeln!(
            report,
            "Nothing to do: `{shown}` already has every file of a new book."
        );
    } else {
        let _ = writeln!(
            report,
            "Started a book in `{shown}`. Next: `guidebook build {shown}`, then open `{}`.",
            Path::new(&shown).join("site/index.html").display()
        );
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("book.toml"), "mine").unwrap();
        let report = init(dir.path()).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("book.toml")).unwrap(),
            "mine"
        );
        assert!(dir.path().join("content/01-getting-started.md").exists());
        assert!(report.contains("kept    book.toml"));
    }
}
