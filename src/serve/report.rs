//! What the preview prints after each run.
//!
//! Input: the preview's state after a run (its warnings and summary) and the run's
//! [`Update`]. Output: the text for the terminal: the warnings this run found that the one
//! before did not, then a line saying what was built. A book with hundreds of warnings (an
//! imported one, say) would otherwise print them all again on every save, burying the one
//! the edit caused and taking a core away from the browser that is fetching the new page.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::hash::{Hash, Hasher};
use std::time::Duration;

use super::diff::Update;
use super::preview::Preview;
use crate::diagnostics::{Diagnostic, Diagnostics, Printer};

/// What a run left, as the report needs it.
struct Run<'a> {
    warnings: &'a Diagnostics,
    summary: &'a str,
    has_site: bool,
    elapsed: Duration,
}

/// Prints what each update did, each warning once while it lasts.
pub(super) struct Reporter {
    printer: Printer,
    verbose: bool,
    /// The warnings of the last run that printed any, by [`warning_key`].
    shown: HashSet<u64>,
}

impl Reporter {
    pub(super) fn new(printer: Printer, verbose: bool) -> Self {
        Self {
            printer,
            verbose,
            shown: HashSet::new(),
        }
    }

    /// A note about the preview itself.
    pub(super) fn note(&self, note: &str) {
        if self.verbose {
            eprintln!("note: {note}");
        }
    }

    /// The report of the run that left `live` as it is (empty unless verbose).
    pub(super) fn update(&mut self, live: &Preview, update: &Update, elapsed: Duration) -> String {
        if !self.verbose {
            return String::new();
        }
        let run = Run {
            warnings: &live.warnings,
            summary: &live.summary,
            has_site: live.has_site(),
            elapsed,
        };
        self.report(&run, update)
    }

    fn report(&mut self, run: &Run<'_>, update: &Update) -> String {
        let mut out = String::new();
        let (new, repeated) = self.new_warnings(run.warnings);
        out.push_str(&self.printer.render_all(&new));
        let repeated = match repeated {
            0 => String::new(),
            1 => "; 1 earlier warning not repeated".to_string(),
            n => format!("; {n} earlier warnings not repeated"),
        };
        match update {
            Update::Reload(_) | Update::Styles | Update::Unchanged => {
                let _ = writeln!(
                    out,
                    "{} ({} ms){repeated}",
                    run.summary,
                    run.elapsed.as_millis()
                );
            }
            Update::Failed(diagnostics) => {
                out.push_str(&self.printer.render_all(diagnostics));
                let serving = if run.has_site {
                    "still serving the last good version"
                } else {
                    "fix it and save: the preview appears by itself"
                };
                let _ = writeln!(
                    out,
                    "Build failed: {} error(s); {serving}{repeated}",
                    diagnostics.error_count()
                );
            }
        }
        out
    }

    /// The warnings not printed after the last run, and how many were; remembers these.
    fn new_warnings(&mut self, warnings: &Diagnostics) -> (Diagnostics, usize) {
        let keys: Vec<u64> = warnings.iter().map(warning_key).collect();
        let mut new = Diagnostics::new();
        for (warning, key) in warnings.iter().zip(&keys) {
            if !self.shown.contains(key) {
                new.push(warning.clone());
            }
        }
        let repeated = keys.len() - new.iter().count();
        self.shown = keys.into_iter().collect();
        (new, repeated)
    }
}

/// What makes two runs' warnings the same one: what it says, where, and the source text it
/// points at (not its line, which an edit above it moves).
fn warning_key(warning: &Diagnostic) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    warning.severity.hash(&mut hasher);
    warning.message.hash(&mut hasher);
    warning.file.hash(&mut hasher);
    warning.label.hash(&mut hasher);
    warning.hint.hash(&mut hasher);
    if let Some(span) = &warning.span {
        span.text.get(span.range.clone()).hash(&mut hasher);
    }
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warning(message: &str, text: &str, at: usize) -> Diagnostic {
        Diagnostic::warning(message)
            .in_file("content/a.md")
            .at(&std::sync::Arc::from(text), at..at + 4)
    }

    fn report(reporter: &mut Reporter, warnings: &Diagnostics) -> String {
        let run = Run {
            warnings,
            summary: "built 2 pages, 1 changed",
            has_site: true,
            elapsed: Duration::from_millis(7),
        };
        reporter.report(&run, &Update::Reload(Some(vec!["/a/".into()])))
    }

    fn warnings(list: Vec<Diagnostic>) -> Diagnostics {
        let mut all = Diagnostics::new();
        all.extend(list);
        all
    }

    #[test]
    fn a_warning_is_printed_once_while_it_lasts() {
        let mut reporter = Reporter::new(Printer::new(false), true);
        let text = "see [x](gone.md)\n";
        let first = warnings(vec![warning("the link leads nowhere", text, 4)]);
        let out = report(&mut reporter, &first);
        assert!(out.contains("the link leads nowhere"), "{out}");
        assert!(out.ends_with("built 2 pages, 1 changed (7 ms)\n"), "{out}");

        // The same warning again, moved down a line by an edit above it: one line only.
        let moved = format!("New line.\n{text}");
        let again = warnings(vec![warning("the link leads nowhere", &moved, 14)]);
        let out = report(&mut reporter, &again);
        assert_eq!(
            out,
            "built 2 pages, 1 changed (7 ms); 1 earlier warning not repeated\n"
        );

        // A new one is printed, the old one still counted.
        let more = warnings(vec![
            warning("the link leads nowhere", &moved, 14),
            warning("the image is missing", &moved, 0),
        ]);
        let out = report(&mut reporter, &more);
        assert!(out.contains("the image is missing"), "{out}");
        assert!(!out.contains("the link leads nowhere"), "{out}");
        assert!(out.ends_with("; 1 earlier warning not repeated\n"), "{out}");

        // Once fixed and back, it is new again.
        report(&mut reporter, &Diagnostics::new());
        let out = report(&mut reporter, &first);
        assert!(out.contains("the link leads nowhere"), "{out}");
    }
}
