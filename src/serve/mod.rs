//! `guidebook serve`: the live preview.
//!
//! Input: a book folder. Output: an HTTP server on 127.0.0.1 (by default) serving the built
//! site from memory, a watcher that rebuilds on every change, and a stream of
//! [`LiveEvent`]s that reloads the open tabs showing an affected page, swaps changed
//! stylesheets in place, and shows build errors in an overlay while the last good site stays
//! served. Every change runs the same pipeline as `guidebook build` (see `preview.rs`); the search
//! index is brought up to date in the background after the reload.
//!
//! [`start`] runs it in-process (the tests use it); [`run`] is the command.

mod diff;
mod guard;
mod http;
mod negotiate;
mod preview;
mod report;
mod site;
mod watch;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use serde::Serialize;
use tokio::net::TcpListener;
use tokio::sync::{broadcast, mpsc, oneshot, watch as watch_channel};

use self::diff::Update;
use self::guard::HostPolicy;
use self::http::Shared;
use self::preview::Preview;
use self::report::Reporter;
use self::site::SiteMap;
use self::watch::{Change, Layout, Watcher};
use crate::config::CONFIG_FILE;
use crate::diagnostics::{Printer, Refusal};

/// How long a client may take to send a request's headers (a connection that sends them a
/// byte at a time, or nothing, is closed after this).
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// How many ports after a busy one are tried.
const PORT_ATTEMPTS: u16 = 20;

/// Options of `guidebook serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The book folder.
    pub book_dir: PathBuf,
    /// The address to listen on (127.0.0.1 unless asked otherwise).
    pub host: IpAddr,
    /// The first port to try (0: any free port).
    pub port: u16,
    /// Include pages marked `draft`.
    pub drafts: bool,
    /// Print what happens (the command does; tests do not).
    pub verbose: bool,
    /// Colour the printed diagnostics.
    pub color: bool,
    /// How long a connection may take to send a request's headers before it is closed.
    pub header_timeout: Duration,
}

impl ServeOptions {
    /// Defaults for `book_dir`: 127.0.0.1:3000, quiet.
    pub fn new(book_dir: impl Into<PathBuf>) -> Self {
        Self {
            book_dir: book_dir.into(),
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 3000,
            drafts: false,
            verbose: false,
            color: false,
            header_timeout: HEADER_TIMEOUT,
        }
    }
}

/// A message to the open tabs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum LiveEvent {
    /// Tabs showing one of these pages (URL paths such as `/apis/rest/`) reload; `None`: all.
    Reload {
        /// The pages, or `None` for every page.
        pages: Option<Vec<String>>,
    },
    /// Stylesheets changed: swap them without reloading.
    Styles,
    /// The build failed: show these diagnostics over the page.
    BuildError {
        /// What went wrong.
        diagnostics: Vec<OverlayDiagnostic>,
    },
}

impl LiveEvent {
    /// The event's name in the stream.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Reload { .. } => "reload",
            Self::Styles => "styles",
            Self::BuildError { .. } => "build-error",
        }
    }
}

/// A diagnostic as the overlay shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverlayDiagnostic {
    /// `file:line:col`, when known.
    pub location: Option<String>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
    /// The whole diagnostic as the terminal shows it (with the source line).
    pub source: Option<String>,
}

/// A running preview server.
pub struct Server {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Server {
    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The URL of the book's home page (on this machine).
    pub fn url(&self) -> String {
        let ip = match self.addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        format!("http://{}/", SocketAddr::new(ip, self.addr.port()))
    }

    /// Receives the events sent to open tabs from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.shared.events.subscribe()
    }

    /// Stops serving and watching.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        for task in self.tasks.drain(..) {
            task.abort();
            let _ = task.await;
        }
    }
}

/// Builds the book, starts serving and watching it, and returns at once.
pub async fn start(options: ServeOptions) -> anyhow::Result<Server> {
    if !options.book_dir.join(CONFIG_FILE).is_file() {
        return Err(Refusal::new(format!(
            "`{}` is not a book: it has no {CONFIG_FILE}",
            options.book_dir.display()
        ))
        .hint(format!(
            "run `guidebook init {}` to start one, or pass the book's folder",
            options.book_dir.display()
        ))
        .into());
    }
    let book_dir = crate::paths::absolute(&options.book_dir);
    let mut reporter = Reporter::new(Printer::new(options.color), options.verbose);
    let (events, _) = broadcast::channel(64);
    let shared = Arc::new(Shared {
        site: Arc::new(RwLock::new(Arc::new(SiteMap::default()))),
        events,
        error: RwLock::new(None),
    });
    let started = Instant::now();
    let slot = Arc::clone(&shared.site);
    let drafts = options.drafts;
    let preview_dir = book_dir.clone();
    let (live, first) = tokio::task::spawn_blocking(move || {
        let mut live = Preview::new(preview_dir, drafts, slot);
        let first = live.update();
        (live, first)
    })
    .await?;
    let live = Arc::new(Mutex::new(live));
    let (search_tx, search_rx) = watch_channel::channel(());
    let elapsed = started.elapsed();
    publish(&shared, first.clone(), &search_tx);
    let report = reporter.update(&lock(&live), &first, elapsed);
    eprint!("{report}");

    let listener = bind(options.host, options.port, options.verbose).await?;
    let addr = listener.local_addr()?;
    let (stop_tx, stop_rx) = oneshot::channel::<()>();
    let app = http::router(Arc::clone(&shared), HostPolicy::new(addr));
    let server = tokio::spawn(http::serve(listener, app, options.header_timeout, stop_rx));
    let rebuilds = Rebuilds {
        book_dir,
        live: Arc::clone(&live),
        shared: Arc::clone(&shared),
        search: search_tx,
        reporter,
    };
    let rebuilds = tokio::spawn(rebuilds.run()?);
    let searches = tokio::spawn(search_loop(search_rx, live));
    Ok(Server {
        addr,
        shared,
        stop: Some(stop_tx),
        tasks: vec![server, rebuilds, searches],
    })
}

/// `guidebook serve`: serves until Ctrl+C.
pub fn run(options: ServeOptions, open: bool) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("could not start the server")?;
    runtime.block_on(async move {
        let host = options.host;
        let server = start(options).await?;
        let url = server.url();
        eprintln!("Serving at {url}  (Ctrl+C to stop)");
        if !host.is_loopback() {
            eprintln!(
                "note: listening on {host}: other machines on the network can reach this preview"
            );
        }
        if open && let Err(error) = opener::open(&url) {
            eprintln!("note: could not open a browser ({error}); open {url} yourself");
        }
        let _ = tokio::signal::ctrl_c().await;
        eprintln!("Stopping.");
        server.stop().await;
        Ok(())
    })
}

/// Listens on `port`, or the next free one when it is busy.
async fn bind(host: IpAddr, port: u16, verbose: bool) -> anyhow::Result<TcpListener> {
    if port == 0 {
        return Ok(TcpListener::bind((host, 0)).await?);
    }
    let last = port.saturating_add(PORT_ATTEMPTS - 1);
    let mut last_error = None;
    for candidate in port..=last {
        match TcpListener::bind((host, candidate)).await {
            Ok(listener) => {
                if candidate != port && verbose {
                    eprintln!("note: port {port} is busy; using {candidate} instead");
                }
                return Ok(listener);
            }
            Err(error) if error.kind() == std::io::ErrorKind::AddrInUse => last_error = Some(error),
            Err(error) => {
                return Err(error)
                    .with_context(|| format!("could not listen on {host}:{candidate}"));
            }
        }
    }
    Err(last_error.map_or_else(
        || anyhow::anyhow!("no port to listen on"),
        anyhow::Error::from,
    ))
    .with_context(|| format!("ports {port} to {last} are all busy; pass another --port"))
}

/// The task that applies changes: one settled batch at a time, changes that arrive
/// meanwhile joining the next batch, so a burst of saves ends in one consistent site.
struct Rebuilds {
    book_dir: PathBuf,
    live: Arc<Mutex<Preview>>,
    shared: Arc<Shared>,
    search: watch_channel::Sender<()>,
    reporter: Reporter,
}

impl Rebuilds {
    /// Starts watching; returns the loop to spawn.
    fn run(self) -> anyhow::Result<impl std::future::Future<Output = ()>> {
        let (changes_tx, changes_rx) = mpsc::unbounded_channel();
        let layout = self.layout();
        let watcher = self
            .watch(layout.clone(), changes_tx.clone())
            .context("could not watch the book for changes")?;
        Ok(self.apply_changes(changes_rx, changes_tx, layout, watcher))
    }

    /// Where the book's files are (defaults until book.toml can be read).
    fn layout(&self) -> Layout {
        match lock(&self.live).config() {
            Some(config) => Layout::of(config),
            None => Layout {
                root: self.book_dir.clone(),
                content: self.book_dir.join("content"),
                templates: self.book_dir.join(crate::config::TEMPLATES_DIR),
                statics: self.book_dir.join(crate::config::STATIC_DIR),
            },
        }
    }

    /// Watches `layout`, saying so when it falls back to polling.
    fn watch(
        &self,
        layout: Layout,
        changes: mpsc::UnboundedSender<Vec<Change>>,
    ) -> anyhow::Result<Watcher> {
        let (watcher, note) = watch::watch(layout, changes)?;
        if let Some(note) = note {
            self.reporter.note(&note);
        }
        Ok(watcher)
    }

    async fn apply_changes(
        mut self,
        mut changes: mpsc::UnboundedReceiver<Vec<Change>>,
        sender: mpsc::UnboundedSender<Vec<Change>>,
        mut layout: Layout,
        mut watcher: Watcher,
    ) {
        while let Some(mut batch) = changes.recv().await {
            // What changed does not matter: the pipeline runs again and the output is
            // compared. Changes that arrive meanwhile join this batch.
            while let Ok(more) = changes.try_recv() {
                batch.extend(more);
            }
            let started = Instant::now();
            let worker = Arc::clone(&self.live);
            let update = match tokio::task::spawn_blocking(move || lock(&worker).update()).await {
                Ok(update) => update,
                Err(panic) => preview::internal_error(panic),
            };
            // book.toml may have moved the content folder: watch where it is now, before
            // telling the tabs (an edit right after the reload must be seen).
            let now = self.layout();
            if now != layout
                && let Ok(new) = self.watch(now.clone(), sender.clone())
            {
                watcher = new;
                layout = now;
            }
            // The tabs first: printing the warnings (hundreds, in an imported book) can
            // take longer than the run itself.
            let elapsed = started.elapsed();
            publish(&self.shared, update.clone(), &self.search);
            let report = self.reporter.update(&lock(&self.live), &update, elapsed);
            eprint!("{report}");
        }
        drop(watcher);
    }
}

/// Sends an update to the open tabs (its site is already being served).
fn publish(shared: &Shared, update: Update, search: &watch_channel::Sender<()>) {
    let shown_error = shared
        .error
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .take()
        .is_some();
    let event = match update {
        Update::Reload(pages) => {
            search.send_replace(());
            LiveEvent::Reload { pages }
        }
        Update::Styles => {
            search.send_replace(());
            LiveEvent::Styles
        }
        Update::Failed(diagnostics) => {
            let printer = Printer::new(false);
            let event = LiveEvent::BuildError {
                diagnostics: diagnostics
                    .sorted()
                    .into_iter()
                    .filter(|d| d.is_error())
                    .map(|d| OverlayDiagnostic {
                        location: d.location(),
                        message: d.message.clone(),
                        hint: d.hint.clone(),
                        source: Some(printer.render(d)),
                    })
                    .collect(),
            };
            *shared.error.write().unwrap_or_else(|e| e.into_inner()) = Some(event.clone());
            event
        }
        // The same site as before a failure: the tabs still show its error.
        Update::Unchanged if shown_error => LiveEvent::Reload { pages: None },
        Update::Unchanged => return,
    };
    let _ = shared.events.send(event);
}

/// How long the book must stay unchanged before the search index is rebuilt: indexing a
/// large book takes both cores for seconds, which would slow the next edit's reload.
const SEARCH_QUIET: Duration = Duration::from_secs(2);

/// Rebuilds the search index once edits pause ([`SEARCH_QUIET`]), outside the reload's
/// path. An index is installed only into the site it was built from; an edit saved while
/// it is made stops it, and only the newest site is indexed.
async fn search_loop(mut builds: watch_channel::Receiver<()>, live: Arc<Mutex<Preview>>) {
    while builds.changed().await.is_ok() {
        builds.borrow_and_update();
        if !quiet(&mut builds, SEARCH_QUIET).await {
            return;
        }
        let worker = Arc::clone(&live);
        let Ok(Some(job)) = tokio::task::spawn_blocking(move || lock(&worker).search_job()).await
        else {
            continue;
        };
        let generation = job.generation;
        // An edit saved while the index is made makes it useless: stop at the next page.
        let newer = builds.clone();
        let index = tokio::task::spawn_blocking(move || {
            let stop = || newer.has_changed().unwrap_or(true);
            crate::search::index(job.pages, &job.language, &stop)
        })
        .await;
        let Ok(Ok(Some(files))) = index else { continue };
        let worker = Arc::clone(&live);
        let _ =
            tokio::task::spawn_blocking(move || lock(&worker).install_search(generation, files))
                .await;
    }
}

/// Waits until `builds` has seen no new build for `period`; `false` when the preview ends.
async fn quiet(builds: &mut watch_channel::Receiver<()>, period: Duration) -> bool {
    loop {
        tokio::select! {
            changed = builds.changed() => {
                if changed.is_err() {
                    return false;
                }
                builds.borrow_and_update();
            }
            () = tokio::time::sleep(period) => return true,
        }
    }
}

fn lock(live: &Mutex<Preview>) -> std::sync::MutexGuard<'_, Preview> {
    live.lock().unwrap_or_else(|e| e.into_inner())
}
