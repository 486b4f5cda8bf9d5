//! Watching the book: file-system events in, classified changes out.
//!
//! Input: paths reported by notify (debounced, so a burst of saves or an editor's
//! write-then-rename arrives as one batch). Output: [`Change`]s, classified by a pure
//! function so the rules are unit-tested. Folders that disappear and come back are watched
//! again; when the native watcher cannot start, a polling watcher takes over.

use std::path::{Path, PathBuf};
use std::time::Duration;

use notify::event::ModifyKind;
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer, new_debouncer_opt};
use tokio::sync::mpsc;

use crate::config::{CONFIG_FILE, Config};
use crate::paths::{is_editor_scratch, is_junk};

/// How long the watcher waits for a burst of events to settle. An editor's save (write a
/// temporary file, rename it over the old one) takes well under a millisecond; a longer
/// wait only delays the reload, and a burst split in two costs one more run that finds
/// nothing new to show.
const DEBOUNCE: Duration = Duration::from_millis(10);

/// Where the parts of a book live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Layout {
    /// The book folder.
    pub(crate) root: PathBuf,
    /// The chapters.
    pub(crate) content: PathBuf,
    /// Template overrides.
    pub(crate) templates: PathBuf,
    /// Static files.
    pub(crate) statics: PathBuf,
}

impl Layout {
    /// The layout of a configured book.
    pub(crate) fn of(config: &Config) -> Self {
        Self {
            root: config.root.clone(),
            content: config.build.content_dir.clone(),
            templates: config.build.templates_dir.clone(),
            statics: config.build.static_dir.clone(),
        }
    }

    /// The folders watched recursively.
    fn folders(&self) -> [&Path; 3] {
        [&self.content, &self.templates, &self.statics]
    }
}

/// One change to the book.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Change {
    /// book.toml.
    Config,
    /// Something under `templates/`.
    Templates,
    /// A file under `static/` (its path).
    Static(PathBuf),
    /// A file (or the folder itself) under the content folder.
    Content(PathBuf),
}

/// Editors' temporary and backup files, and dot files: never part of the book's content or
/// templates.
fn is_scratch(name: &str) -> bool {
    name.starts_with('.') || is_editor_scratch(name)
}

/// What a changed path means for the book, if anything.
pub(crate) fn classify(layout: &Layout, path: &Path) -> Option<Change> {
    if path == layout.root.join(CONFIG_FILE) {
        return Some(Change::Config);
    }
    let name = path.file_name().map(|n| n.to_string_lossy());
    // `static/` and `templates/` first: with `content-dir = "."` they sit inside the
    // content folder, and discovery skips them there.
    if let Ok(rel) = path.strip_prefix(&layout.statics) {
        // Other dot files are published from static/, so only editors' own are ignored.
        let scratch = is_junk(rel);
        return (!scratch).then(|| Change::Static(path.to_path_buf()));
    }
    let scratch = name.as_deref().is_some_and(is_scratch);
    if path.starts_with(&layout.templates) {
        return (!scratch).then_some(Change::Templates);
    }
    if path.starts_with(&layout.content) {
        if scratch && path != layout.content {
            return None;
        }
        return Some(Change::Content(path.to_path_buf()));
    }
    None
}

/// A running watcher; dropping it stops watching.
pub(crate) struct Watcher {
    _inner: Box<dyn std::any::Any + Send>,
}

/// Watches the book and sends each settled batch of changes. Also returns a note for the
/// terminal when the native watcher failed and polling took over.
pub(crate) fn watch(
    layout: Layout,
    changes: mpsc::UnboundedSender<Vec<Change>>,
) -> anyhow::Result<(Watcher, Option<String>)> {
    let handler_layout = layout.clone();
    let (rewatch_tx, rewatch_rx) = std::sync::mpsc::channel::<PathBuf>();
    let handler = move |result: DebounceEventResult| {
        let Ok(events) = result else { return };
        let mut batch: Vec<Change> = Vec::new();
        for event in events {
            // Reading files (our own rebuilds read every chapter) is not a change.
            if matches!(
                event.kind,
                EventKind::Access(_)
                    | EventKind::Modify(ModifyKind::Metadata(_))
                    | EventKind::Other
            ) {
                continue;
            }
            for path in &event.paths {
                if handler_layout.folders().contains(&path.as_path()) && path.is_dir() {
                    // A watched folder came (back): watch it again.
                    let _ = rewatch_tx.send(path.clone());
                }
                if let Some(change) = classify(&handler_layout, path) {
                    batch.push(change);
                }
            }
        }
        batch.sort();
        batch.dedup();
        if !batch.is_empty() {
            let _ = changes.send(batch);
        }
    };
    match new_debouncer(DEBOUNCE, None, handler.clone()) {
        Ok(mut debouncer) => {
            watch_all(&layout, |path, mode| debouncer.watch(path, mode))?;
            let (stop_tx, stop_rx) = std::sync::mpsc::channel::<()>();
            let thread = std::thread::spawn(move || {
                loop {
                    match rewatch_rx.recv_timeout(Duration::from_millis(200)) {
                        Ok(path) => {
                            let _ = debouncer.watch(&path, RecursiveMode::Recursive);
                        }
                        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
                    }
                    if stop_rx.try_recv().is_ok() {
                        break;
                    }
                }
            });
            Ok((
                Watcher {
                    _inner: Box::new(StopOnDrop {
                        stop: Some(stop_tx),
                        thread: Some(thread),
                    }),
                },
                None,
            ))
        }
        Err(error) => {
            let note = format!(
                "watching with the native file watcher failed ({error}); polling every half second instead"
            );
            let config = notify::Config::default().with_poll_interval(Duration::from_millis(500));
            let mut debouncer = new_debouncer_opt::<_, notify::PollWatcher, _>(
                DEBOUNCE,
                None,
                handler,
                notify_debouncer_full::NoCache,
                config,
            )?;
            watch_all(&layout, |path, mode| debouncer.watch(path, mode))?;
            Ok((
                Watcher {
                    _inner: Box::new(debouncer),
                },
                Some(note),
            ))
        }
    }
}

/// Watches the book folder (for book.toml and folders that appear) and each folder in it.
fn watch_all(
    layout: &Layout,
    mut watch: impl FnMut(&Path, RecursiveMode) -> notify::Result<()>,
) -> anyhow::Result<()> {
    watch(&layout.root, RecursiveMode::NonRecursive)?;
    for folder in layout.folders() {
        if folder.is_dir() {
            watch(folder, RecursiveMode::Recursive)?;
        }
    }
    Ok(())
}

/// Stops the re-watch thread (and with it the debouncer it owns) when dropped.
struct StopOnDrop {
    stop: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout() -> Layout {
        Layout {
            root: "/book".into(),
            content: "/book/content".into(),
            templates: "/book/templates".into(),
            statics: "/book/static".into(),
        }
    }

    #[test]
    fn classifies_book_paths() {
        let l = layout();
        assert_eq!(
            classify(&l, Path::new("/book/book.toml")),
            Some(Change::Config)
        );
        assert_eq!(
            classify(&l, Path::new("/book/content/01-a.md")),
            Some(Change::Content("/book/content/01-a.md".into()))
        );
        assert_eq!(
            classify(&l, Path::new("/book/content")),
            Some(Change::Content("/book/content".into()))
        );
        assert_eq!(
            classify(&l, Path::new("/book/templates/page.html")),
            Some(Change::Templates)
        );
        assert_eq!(
            classify(&l, Path::new("/book/static/assets/guidebook.css")),
            Some(Change::Static("/book/static/assets/guidebook.css".into()))
        );
        // Dot files in static/ are published, so their edits count (regression).
        assert_eq!(
            classify(&l, Path::new("/book/static/.nojekyll")),
            Some(Change::Static("/book/static/.nojekyll".into()))
        );
        assert_eq!(
            classify(&l, Path::new("/book/static/.well-known/security.txt")),
            Some(Change::Static(
                "/book/static/.well-known/security.txt".into()
            ))
        );
        // Only a file's own name can mark it as scratch: a folder named `2024` is not
        // Vim's `4913` probe (regression).
        assert_eq!(
            classify(&l, Path::new("/book/static/2024/slides.pdf")),
            Some(Change::Static("/book/static/2024/slides.pdf".into()))
        );
    }

    #[test]
    fn with_the_content_folder_at_the_root_static_and_templates_keep_their_meaning() {
        let l = Layout {
            content: "/book".into(),
            ..layout()
        };
        assert_eq!(
            classify(&l, Path::new("/book/static/.nojekyll")),
            Some(Change::Static("/book/static/.nojekyll".into()))
        );
        assert_eq!(
            classify(&l, Path::new("/book/templates/page.html")),
            Some(Change::Templates)
        );
        assert_eq!(
            classify(&l, Path::new("/book/01-a.md")),
            Some(Change::Content("/book/01-a.md".into()))
        );
    }

    #[test]
    fn ignores_everything_else() {
        let l = layout();
        for path in [
            "/book/site/index.html",
            "/book/README.md",
            "/book/content/.01-a.md.swp",
            "/book/content/01-a.md~",
            "/book/content/4913",
            "/book/content/.#01-a.md",
            "/book/templates/.page.html.swp",
            "/book/static/.guidebook.css.swp",
            "/book/static/.#guidebook.css",
            "/book/static/guidebook.css~",
            "/book/static/4913",
            "/book/static/.git/index",
        ] {
            assert_eq!(classify(&l, Path::new(path)), None, "{path}");
        }
    }
}
