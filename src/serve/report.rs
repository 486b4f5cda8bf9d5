//! What the preview prints after each run.
//!
//! Input: the preview's state after a run (its warnings and summary) and the run's
//! [`Update`]. Output: the text for the terminal: the warnings this run found that the one
//! before did not, then a line saying what was built. A book with hundreds of warnings (an
//! imported one, say) would otherwise print them all again on every save, burying the one
//! the edit caused and taking a core away from the browser that is fetching the new page.

use std::collections::HashMap;
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
    /// The last good run's warnings: how many of each [`warning_key`].
    shown: HashMap<u64, usize>,
}

impl Reporter {
    pub(super) fn new(printer: Printer, verbose: bool) -> Self {
        Self {
            printer,
            verbose,
            shown: HashMap::new(),
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
        // A failed run's diagnostics hold its warnings too; the last good run's stay the
        // ones to compare with, so that fixing the error does not print them all again.
        let (new, repeated) = match update {
            Update::Failed(diagnostics) => {
                let (mut new, repeated) = self.unseen(diagnostics.iter().filter(|d| !d.is_error()));
                new.extend(diagnostics.iter().filter(|d| d.is_error()).cloned());
                (new, repeated)
            }
            _ => {
                let (new, repeated) = self.unseen(run.warnings.iter());
                self.shown = counts(run.warnings.iter());
                (new, repeated)
            }
        };
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

    /// The warnings the last good run did not have (a warning twice where it had it once
    /// is new once), and how many it had.
    fn unseen<'a>(&self, warnings: impl Iterator<Item = &'a Diagnostic>) -> (Diagnostics, usize) {
        let mut seen: HashMap<u64, usize> = HashMap::new();
        let mut new = Diagnostics::new();
        let mut repeated = 0;
        for warning in warnings {
            let key = warning_key(warning);
            let count = seen.entry(key).or_default();
            *count += 1;
            if *count > self.shown.get(&key).copied().unwrap_or(0) {
                new.push(warning.clone());
            } else {
                repeated += 1;
            }
        }
        (new, repeated)
    }
}

/// How many warnings there are of each [`warning_key`].
fn counts<'a>(warnings: impl Iterator<Item = &'a Diagnostic>) -> HashMap<u64, usize> {
    let mut counts = HashMap::new();
    for warning in warnings {
        *counts.entry(warning_key(warning)).or_default() += 1;
    }
    counts
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

    #[test]
    fn a_second_copy_of_a_warning_is_new() {
        let mut reporter = Reporter::new(Printer::new(false), true);
        let text = "see [x](gone.md) and [x](gone.md)\n";
        let once = warnings(vec![warning("the link leads nowhere", text, 4)]);
        report(&mut reporter, &once);
        let twice = warnings(vec![
            warning("the link leads nowhere", text, 4),
            warning("the link leads nowhere", text, 21),
        ]);
        let out = report(&mut reporter, &twice);
        assert!(out.contains("the link leads nowhere"), "{out}");
        assert!(out.ends_with("; 1 earlier warning not repeated\n"), "{out}");
    }

    #[test]
    fn a_failed_run_prints_its_errors_and_leaves_the_warnings_known() {
        let mut reporter = Reporter::new(Printer::new(false), true);
        let text = "see [x](gone.md)\n";
        let good = warnings(vec![warning("the link leads nowhere", text, 4)]);
        report(&mut reporter, &good);
        let mut failed = good.clone();
        failed.push(Diagnostic::error("unknown callout kind `nope`").in_file("content/a.md"));
        let run = Run {
            warnings: &Diagnostics::new(),
            summary: "",
            has_site: true,
            elapsed: Duration::ZERO,
        };
        let out = reporter.report(&run, &Update::Failed(failed));
        assert!(out.contains("unknown callout kind"), "{out}");
        assert!(!out.contains("the link leads nowhere"), "{out}");
        assert!(out.contains("Build failed: 1 error(s)"), "{out}");
        // Fixed: the warning it had before is still known.
        let out = report(&mut reporter, &good);
        assert_eq!(
            out,
            "built 2 pages, 1 changed (7 ms); 1 earlier warning not repeated\n"
        );
    }
}
