//! `guidebook serve`: the live preview.
//!
//! Input: a book folder. Output: an HTTP server on 127.0.0.1 (by default) serving the built
//! site from memory, a watcher that rebuilds on every change, and a stream of
//! [`LiveEvent`]s that reloads the open tabs showing an affected page, swaps changed
//! stylesheets in place, and shows build errors in an overlay while the last good site stays
//! served. The search index and the LLM exports are brought up to date after the reload.
//!
//! [`start`] runs it in-process (the tests use it); [`run`] is the command.

mod http;
mod live;
mod site;
mod watch;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use anyhow::{Context as _, bail};
use serde::Serialize;
use tokio::net::TcpListener;
use tokio::sync::{broadcast, mpsc, oneshot, watch as watch_channel};

use self::http::Shared;
use self::live::{LiveBook, Update};
use self::site::SiteMap;
use self::watch::{Change, Layout, Watcher};
use crate::build::{BuildOptions, Session};
use crate::config::CONFIG_FILE;
use crate::diagnostics::Printer;

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
    /// The error is fixed and nothing on this page changed: hide the overlay.
    Clear,
}

impl LiveEvent {
    /// The event's name in the stream.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Reload { .. } => "reload",
            Self::Styles => "styles",
            Self::BuildError { .. } => "build-error",
            Self::Clear => "clear",
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
    _watcher: Watcher,
}

impl Server {
    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The URL of the book's home page.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
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
        bail!(
            "`{}` is not a book: it has no {CONFIG_FILE}\n  help: run `guidebook init` to start one, or pass the book's folder",
            options.book_dir.display()
        );
    }
    let book_dir =
        std::path::absolute(&options.book_dir).unwrap_or_else(|_| options.book_dir.clone());
    let printer = Printer::new(options.color);
    let verbose = options.verbose;
    let build_options = BuildOptions {
        book_dir: book_dir.clone(),
        drafts: options.drafts,
        ..BuildOptions::default()
    };
    let started = Instant::now();
    let (live, first) = tokio::task::spawn_blocking(move || {
        let mut live = LiveBook::new(Session::remembering(), build_options);
        let first = live.rebuild();
        (live, first)
    })
    .await?;
    let layout = live.config().map_or_else(
        || Layout {
            root: book_dir.clone(),
            content: book_dir.join("content"),
            templates: book_dir.join("templates"),
            statics: book_dir.join("static"),
        },
        |config| Layout::of(config),
    );
    let (events, _) = broadcast::channel(64);
    let shared = Arc::new(Shared {
        site: RwLock::new(Arc::new(SiteMap::default())),
        events,
        error: RwLock::new(None),
    });
    let live = Arc::new(Mutex::new(live));
    let (search_tx, search_rx) = watch_channel::channel(0u64);
    let reporter = Reporter { printer, verbose };
    reporter.update(&live, &first, started);
    publish(&shared, first, &search_tx);

    let listener = bind(options.host, options.port, verbose).await?;
    let addr = listener.local_addr()?;
    let (stop_tx, stop_rx) = oneshot::channel::<()>();
    let app = http::router(Arc::clone(&shared));
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stop_rx.await;
            })
            .await;
    });

    let (changes_tx, changes_rx) = mpsc::unbounded_channel();
    let watcher =
        watch::watch(layout, changes_tx).context("could not watch the book for changes")?;
    let rebuilds = tokio::spawn(rebuild_loop(
        changes_rx,
        Arc::clone(&live),
        Arc::clone(&shared),
        search_tx,
        reporter,
    ));
    let searches = tokio::spawn(search_loop(search_rx, live, Arc::clone(&shared)));
    Ok(Server {
        addr,
        shared,
        stop: Some(stop_tx),
        tasks: vec![server, rebuilds, searches],
        _watcher: watcher,
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
    let mut last_error = None;
    for candidate in port..port.saturating_add(PORT_ATTEMPTS) {
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
    .with_context(|| {
        format!(
            "ports {port} to {} are all busy; pass --port",
            port + PORT_ATTEMPTS - 1
        )
    })
}

/// Applies one settled batch of changes at a time; changes that arrive meanwhile join the next
/// batch, so a burst of saves ends in one consistent site.
async fn rebuild_loop(
    mut changes: mpsc::UnboundedReceiver<Vec<Change>>,
    live: Arc<Mutex<LiveBook>>,
    shared: Arc<Shared>,
    search: watch_channel::Sender<u64>,
    reporter: Reporter,
) {
    while let Some(mut batch) = changes.recv().await {
        while let Ok(more) = changes.try_recv() {
            batch.extend(more);
        }

        batch.sort();
        batch.dedup();
        let started = Instant::now();
        let worker = Arc::clone(&live);
        let Ok(update) = tokio::task::spawn_blocking(move || lock(&worker).apply(&batch)).await
        else {
            continue;
        };
        reporter.update(&live, &update, started);
        let refresh = matches!(update, Update::Reload { .. });
        publish(&shared, update, &search);
        if refresh {
            // After the reload went out: the LLM exports (the search index follows in its loop).
            let worker = Arc::clone(&live);
            if let Ok(Some(site)) =
                tokio::task::spawn_blocking(move || lock(&worker).refresh_exports()).await
            {
                *shared.site.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(site);
            }
        }
    }
}

/// Sends an update to the open tabs and serves its site.
fn publish(shared: &Shared, update: Update, search: &watch_channel::Sender<u64>) {
    let event = match update {
        Update::Reload { pages, site } => {
            *shared.site.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(site);
            search.send_modify(|generation| *generation += 1);
            let was_failing = shared
                .error
                .write()
                .unwrap_or_else(|e| e.into_inner())
                .take()
                .is_some();
            if was_failing && pages.is_some() {
                let _ = shared.events.send(LiveEvent::Clear);
            }
            LiveEvent::Reload { pages }
        }
        Update::Styles { site } => {
            *shared.site.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(site);
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
        Update::Unchanged => return,
    };
    let _ = shared.events.send(event);
}

/// Rebuilds the search index whenever a build finished, outside the reload's path; only the
/// newest build is indexed when several arrive while one is being indexed.
async fn search_loop(
    mut builds: watch_channel::Receiver<u64>,
    live: Arc<Mutex<LiveBook>>,
    shared: Arc<Shared>,
) {
    while builds.changed().await.is_ok() {
        let generation = *builds.borrow_and_update();
        let worker = Arc::clone(&live);
        let Some((pages, language)) =
            tokio::task::spawn_blocking(move || lock(&worker).search_snapshot())
                .await
                .ok()
                .flatten()
        else {
            continue;
        };
        let index = tokio::task::spawn_blocking(move || {
            let pages: Vec<crate::search::SearchPage<'_>> = pages
                .iter()
                .map(|(url, html)| crate::search::SearchPage {
                    url: url.clone(),
                    html,
                })
                .collect();
            crate::search::index(&pages, &language)
        })
        .await;
        let Ok(Ok(files)) = index else { continue };
        if *builds.borrow() != generation {
            continue; // a newer build is waiting; index that one instead
        }
        let worker = Arc::clone(&live);
        if let Ok(Some(site)) =
            tokio::task::spawn_blocking(move || lock(&worker).install_search(files)).await
        {
            *shared.site.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(site);
        }
    }
}

fn lock(live: &Mutex<LiveBook>) -> std::sync::MutexGuard<'_, LiveBook> {
    live.lock().unwrap_or_else(|e| e.into_inner())
}

/// Prints what each update did.
#[derive(Clone, Copy)]
struct Reporter {
    printer: Printer,
    verbose: bool,
}

impl Reporter {
    fn update(&self, live: &Mutex<LiveBook>, update: &Update, started: Instant) {
        if !self.verbose {
            return;
        }
        let live = lock(live);
        eprint!("{}", self.printer.render_all(&live.warnings));
        match update {
            Update::Reload { .. } | Update::Styles { .. } => {
                eprintln!("{} ({} ms)", live.summary, started.elapsed().as_millis());
            }
            Update::Failed(diagnostics) => {
                eprint!("{}", self.printer.render_all(diagnostics));
                eprintln!(
                    "Build failed: {} error(s); still serving the last good version",
                    diagnostics.error_count()
                );
            }
            Update::Unchanged => {}
        }
    }
}
