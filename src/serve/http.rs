//! The HTTP side of the preview: pages from memory, the reload event stream, the client script.
//!
//! Input: requests. Output: responses from the current in-memory site (with the live-reload
//! script added to HTML pages), `404.html` with status 404 for anything else, and a
//! server-sent event stream of [`LiveEvent`]s.

use std::convert::Infallible;
use std::sync::{Arc, RwLock};

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::stream::Stream;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{broadcast, oneshot};
use tokio::task::JoinSet;
use tower_http::set_header::SetResponseHeaderLayer;

use super::LiveEvent;
use super::guard::HostPolicy;
use super::negotiate::wants_markdown;
use super::site::{
    EVENTS_PATH, LIVE_SCRIPT_PATH, Lookup, SiteMap, content_type, lookup, with_live_script,
};
use crate::llms::LLMS_TXT;
use crate::site::twin_of_page_file;

/// The client side of the live preview.
const LIVE_SCRIPT: &str = include_str!("live.js");

/// What the handlers share.
pub(crate) struct Shared {
    /// The site being served (the last good build).
    pub(crate) site: super::preview::SiteSlot,
    /// Events for open tabs.
    pub(crate) events: broadcast::Sender<LiveEvent>,
    /// The current build error, sent to tabs that connect while it lasts.
    pub(crate) error: RwLock<Option<LiveEvent>>,
}

/// The router: every request passes the `Host` check first.
pub(crate) fn router(shared: Arc<Shared>, hosts: HostPolicy) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .route(LIVE_SCRIPT_PATH, get(live_script))
        .fallback(get(file))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .layer(middleware::from_fn_with_state(Arc::new(hosts), check_host))
        .with_state(shared)
}

/// Answers only requests addressed to this machine by a trusted name (see [`HostPolicy`]).
async fn check_host(
    State(hosts): State<Arc<HostPolicy>>,
    request: Request,
    next: Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| request.uri().authority().map(|a| a.as_str()));
    if hosts.allows(host) {
        return next.run(request).await;
    }
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "This preview answers only requests for localhost or its own address.\n",
    )
        .into_response()
}

/// Serves connections until `stop` fires. A client gets `header_timeout` to send each
/// request's headers; a connection that trickles them, or sends nothing, is closed.
pub(crate) async fn serve(
    listener: TcpListener,
    app: Router,
    header_timeout: Duration,
    mut stop: oneshot::Receiver<()>,
) {
    let service = TowerToHyperService::new(app);
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let service = service.clone();
                connections.spawn(async move {
                    let _ = http1::Builder::new()
                        .timer(TokioTimer::new())
                        .header_read_timeout(header_timeout)
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            _ = &mut stop => break,
        }
    }
    connections.abort_all();
    while connections.join_next().await.is_some() {}
}

async fn live_script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        LIVE_SCRIPT,
    )
        .into_response()
}

async fn file(State(shared): State<Arc<Shared>>, uri: Uri, headers: HeaderMap) -> Response {
    let site = Arc::clone(&shared.site.read().unwrap_or_else(|e| e.into_inner()));
    match lookup(&site, uri.path()) {
        Lookup::File(path) => page_or_file(&site, &path, &headers),
        Lookup::Redirect(location) => {
            let location = match uri.query() {
                Some(query) => format!("{location}?{query}"),
                None => location,
            };
            (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, location)]).into_response()
        }
        Lookup::NotFound => match site.bytes("404.html") {
            Some(page) => respond(StatusCode::NOT_FOUND, "404.html", &page),
            None => (
                StatusCode::NOT_FOUND,
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                with_live_script(b"<!DOCTYPE html><title>Not found</title><h1>Not found</h1><p>The book has not been built yet; see the terminal.</p></body>"),
            )
                .into_response(),
        },
    }
}

/// A file of the site. A page names the book's `llms.txt` in a `Link` header and, when the
/// request prefers Markdown, is answered with its twin (`Vary: Accept` either way).
fn page_or_file(site: &SiteMap, path: &str, headers: &HeaderMap) -> Response {
    let twin = twin_of_page_file(path).filter(|twin| site.get(twin).is_some());
    let Some(twin) = twin else {
        let bytes = site.bytes(path).unwrap_or_default();
        return respond(StatusCode::OK, path, &bytes);
    };
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    let served = if wants_markdown(accept) { &twin } else { path };
    let bytes = site.bytes(served).unwrap_or_default();
    let mut response = respond(StatusCode::OK, served, &bytes);
    let response_headers = response.headers_mut();
    response_headers.insert(header::VARY, HeaderValue::from_static("Accept"));
    if site.get(LLMS_TXT).is_some() {
        response_headers.insert(
            header::LINK,
            HeaderValue::from_static("</llms.txt>; rel=\"describedby\""),
        );
    }
    response
}

fn respond(status: StatusCode, path: &str, bytes: &[u8]) -> Response {
    let content_type = content_type(path);
    let body = if path.ends_with(".html") {
        Body::from(with_live_script(bytes))
    } else {
        Body::from(bytes.to_vec())
    };
    (status, [(header::CONTENT_TYPE, content_type)], body).into_response()
}

async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = shared.events.subscribe();
    let pending = shared
        .error
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let stream =
        futures_util::stream::unfold((receiver, pending), |(mut receiver, pending)| async move {
            if let Some(event) = pending {
                return Some((Ok(to_sse(&event)), (receiver, None)));
            }
            let event = match receiver.recv().await {
                Ok(event) => event,
                // A slow tab missed events: reloading catches it up.
                Err(broadcast::error::RecvError::Lagged(_)) => LiveEvent::Reload { pages: None },
                Err(broadcast::error::RecvError::Closed) => return None,
            };
            Some((Ok(to_sse(&event)), (receiver, None)))
        });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

fn to_sse(event: &LiveEvent) -> Event {
    Event::default()
        .event(event.name())
        .data(serde_json::to_string(event).unwrap_or_else(|_| "{}".into()))
}
