//! The HTTP side of the preview: pages from memory, the reload event stream, the client script.
//!
//! Input: requests. Output: responses from the current in-memory site (with the live-reload
//! script added to HTML pages), `404.html` with status 404 for anything else, and a
//! server-sent event stream of [`LiveEvent`]s.

use std::convert::Infallible;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::stream::Stream;
use tokio::sync::broadcast;
use tower_http::set_header::SetResponseHeaderLayer;

use super::LiveEvent;
use super::site::{EVENTS_PATH, LIVE_SCRIPT_PATH, Lookup, content_type, lookup, with_live_script};

/// The client side of the live preview.
const LIVE_SCRIPT: &str = include_str!("live.js");

/// What the handlers share.
pub(crate) struct Shared {
    /// The site being served (the last good build).
    pub(crate) site: super::live::SiteSlot,
    /// Events for open tabs.
    pub(crate) events: broadcast::Sender<LiveEvent>,
    /// The current build error, sent to tabs that connect while it lasts.
    pub(crate) error: RwLock<Option<LiveEvent>>,
}

/// The router.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .route(LIVE_SCRIPT_PATH, get(live_script))
        .fallback(get(file))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .with_state(shared)
}

async fn live_script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        LIVE_SCRIPT,
    )
        .into_response()
}

async fn file(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let site = Arc::clone(&shared.site.read().unwrap_or_else(|e| e.into_inner()));
    match lookup(&site, uri.path()) {
        Lookup::File(path) => {
            let bytes = site.get(&path).cloned().unwrap_or_default();
            respond(StatusCode::OK, &path, &bytes)
        }
        Lookup::Redirect(location) => {
            let location = match uri.query() {
                Some(query) => format!("{location}?{query}"),
                None => location,
            };
            (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, location)]).into_response()
        }
        Lookup::NotFound => match site.get("404.html") {
            Some(page) => respond(StatusCode::NOT_FOUND, "404.html", page),
            None => (
                StatusCode::NOT_FOUND,
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                with_live_script(b"<!DOCTYPE html><title>Not found</title><h1>Not found</h1><p>The book has not been built yet; see the terminal.</p></body>"),
            )
                .into_response(),
        },
    }
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
