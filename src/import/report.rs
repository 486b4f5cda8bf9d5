//! What an import did: pages converted, constructs mapped (with counts), and every place
//! that could not be mapped, every broken link of the source and every page the source's
//! navigation did not list, each with its file, line and column.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// What kind of finding an [`Entry`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum EntryKind {
    /// A construct converted to ours (listed when the place matters, e.g. a redirect).
    Mapped,
    /// Something with no equivalent: dropped or left as readable text.
    NotMapped,
    /// A link of the source that leads nowhere.
    BrokenLink,
    /// A page the source's navigation does not list (placed last).
    NotInNav,
}

impl EntryKind {
    fn heading(self) -> &'static str {
        match self {
            Self::Mapped => "Mapped, by place",
            Self::NotMapped => "Could not be mapped",
            Self::BrokenLink => "Broken links in the source",
            Self::NotInNav => "Pages not in the source's navigation (placed last)",
        }
    }
}

/// One finding, at a place in a source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    /// What it is.
    pub kind: EntryKind,
    /// The file, relative to the source folder.
    pub file: PathBuf,
    /// 1-based line (0 when the finding is about the whole file).
    pub line: usize,
    /// 1-based column (0 when unknown).
    pub column: usize,
    /// What happened, and why.
    pub message: String,
}

/// The report of one import.
#[derive(Debug, Default)]
pub(crate) struct Report {
    /// Pages written.
    pub pages: usize,
    /// Pages the source has.
    pub source_pages: usize,
    /// Parts (folders) written.
    pub parts: usize,
    /// Files copied (images and other assets).
    pub assets: usize,
    /// Redirects written to book.toml.
    pub redirects: usize,
    /// Links rewritten to our form.
    pub links_rewritten: usize,
    /// Construct of the source → (our construct → how many times).
    pub mapped: BTreeMap<String, BTreeMap<String, usize>>,
    /// The findings, in the order found.
    pub entries: Vec<Entry>,
    /// Lines about the import as a whole.
    pub notes: Vec<String>,
}

impl Report {
    /// Counts one `from` construct converted to `to`.
    pub(crate) fn mapped(&mut self, from: impl Into<String>, to: impl Into<String>) {
        self.mapped_n(from, to, 1);
    }

    /// Counts `n` conversions of `from` to `to`.
    pub(crate) fn mapped_n(&mut self, from: impl Into<String>, to: impl Into<String>, n: usize) {
        if n == 0 {
            return;
        }
        *self
            .mapped
            .entry(from.into())
            .or_default()
            .entry(to.into())
            .or_default() += n;
    }

    /// Records a finding.
    pub(crate) fn entry(
        &mut self,
        kind: EntryKind,
        file: &Path,
        (line, column): (usize, usize),
        message: impl Into<String>,
    ) {
        self.entries.push(Entry {
            kind,
            file: file.to_path_buf(),
            line,
            column,
            message: message.into(),
        });
    }

    /// Records something that could not be mapped.
    pub(crate) fn not_mapped(
        &mut self,
        file: &Path,
        at: (usize, usize),
        message: impl Into<String>,
    ) {
        self.entry(EntryKind::NotMapped, file, at, message);
    }

    /// Records a note about the import as a whole.
    pub(crate) fn note(&mut self, message: impl Into<String>) {
        self.notes.push(message.into());
    }

    /// How many findings of a kind there are.
    pub(crate) fn count(&self, kind: EntryKind) -> usize {
        self.entries.iter().filter(|e| e.kind == kind).count()
    }

    /// The report as the terminal shows it.
    pub(crate) fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "Converted {} of {} pages into {} parts; {} files copied, {} links rewritten, {} redirects.",
            self.pages,
            self.source_pages,
            self.parts,
            self.assets,
            self.links_rewritten,
            self.redirects
        );
        if !self.mapped.is_empty() {
            let _ = writeln!(out, "\nMapped:");
            for (from, targets) in &self.mapped {
                for (to, n) in targets {
                    let _ = writeln!(out, "  {from} → {to}: {n}");
                }
            }
        }
        for kind in [
            EntryKind::Mapped,
            EntryKind::NotMapped,
            EntryKind::BrokenLink,
            EntryKind::NotInNav,
        ] {
            let mut entries: Vec<&Entry> = self.entries.iter().filter(|e| e.kind == kind).collect();
            if entries.is_empty() {
                continue;
            }
            entries.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
            let _ = writeln!(out, "\n{} ({}):", kind.heading(), self.count(kind));
            for e in entries {
                let _ = writeln!(out, "  {}: {}", place(e), e.message);
            }
        }
        if !self.notes.is_empty() {
            let _ = writeln!(out);
            for note in &self.notes {
                let _ = writeln!(out, "{note}");
            }
        }
        out
    }
}

/// `file:line:column`, `file:line` or `file`.
fn place(entry: &Entry) -> String {
    let file = crate::paths::display_path(&entry.file);
    match (entry.line, entry.column) {
        (0, _) => file,
        (line, 0) => format!("{file}:{line}"),
        (line, column) => format!("{file}:{line}:{column}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counts_and_places_sorted() {
        let mut report = Report {
            pages: 2,
            source_pages: 3,
            ..Report::default()
        };
        report.mapped("::: code-group", "::::tabs");
        report.mapped("::: code-group", "::::tabs");
        report.not_mapped(Path::new("b.md"), (3, 1), "`[[toc]]` dropped");
        report.not_mapped(Path::new("a.md"), (9, 2), "`<Foo>` kept as text");
        let text = report.render();
        assert!(text.starts_with("Converted 2 of 3 pages"), "{text}");
        assert!(text.contains("  ::: code-group → ::::tabs: 2\n"), "{text}");
        let a = text.find("a.md:9:2").unwrap();
        let b = text.find("b.md:3:1").unwrap();
        assert!(a < b, "{text}");
        assert_eq!(report.count(EntryKind::NotMapped), 2);
    }
}
