//! The site as the preview server holds it: every file in memory, looked up safely.
//!
//! Input: request paths. Output: the file to send, a redirect, or not found. Only files the
//! build produced can be served: there is no file system behind the map, so `..`, `%2e%2e`,
//! absolute paths and symlinks cannot reach anything else.

use std::collections::BTreeMap;

use crate::site::{Bytes, SiteData};

use crate::urls;

/// The path the live-reload script is served at.
pub(crate) const LIVE_SCRIPT_PATH: &str = "/__guidebook/live.js";
/// The server-sent events stream.
pub(crate) const EVENTS_PATH: &str = "/__guidebook/events";

/// Every file of the served site, by site path (`apis/rest/index.html`).
#[derive(Debug, Clone, Default)]
pub(crate) struct SiteMap {
    files: BTreeMap<String, SiteData>,
}

impl SiteMap {
    /// Adds or replaces a file.
    pub(crate) fn insert(&mut self, path: impl Into<String>, contents: impl Into<Bytes>) {
        self.files
            .insert(path.into(), SiteData::Bytes(contents.into()));
    }

    /// Adds or replaces a file given as site data (only files in memory are served).
    pub(crate) fn insert_data(&mut self, path: String, data: SiteData) {
        if !matches!(data, SiteData::Copy(_)) {
            self.files.insert(path, data);
        }
    }

    /// Copies every file of `other` under `prefix` (a folder path ending in `/`).
    pub(crate) fn copy_prefix(&mut self, other: &SiteMap, prefix: &str) {
        for (path, bytes) in other.files.range(prefix.to_string()..) {
            if !path.starts_with(prefix) {
                break;
            }
            self.files.insert(path.clone(), bytes.clone());
        }
    }

    /// Removes every file under `prefix` (a folder path ending in `/`).
    pub(crate) fn remove_prefix(&mut self, prefix: &str) {
        self.files.retain(|path, _| !path.starts_with(prefix));
    }

    /// A file's contents.
    pub(crate) fn get(&self, path: &str) -> Option<&SiteData> {
        self.files.get(path)
    }

    /// A file's contents, whole.
    pub(crate) fn bytes(&self, path: &str) -> Option<Bytes> {
        self.files.get(path)?.bytes()
    }

    /// Every path, sorted.
    pub(crate) fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }
}

/// What a request path asks for.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Lookup {
    /// The file at this site path.
    File(String),
    /// A folder asked for without its trailing `/`: send the browser there, so the page's
    /// relative links resolve.
    Redirect(String),
    /// Nothing (or something outside the site).
    NotFound,
}

/// Maps a request path (as sent, percent-encoded) to a site file.
pub(crate) fn lookup(site: &SiteMap, request_path: &str) -> Lookup {
    let Some(rest) = request_path.strip_prefix('/') else {
        return Lookup::NotFound;
    };
    let decoded = urls::decode(rest);
    let segments: Vec<&str> = decoded.split('/').collect();
    let unsafe_segment = segments.iter().any(|segment| {
        matches!(*segment, "." | "..") || segment.contains(['\\', '\0']) || segment.contains(':')
    });
    if unsafe_segment || decoded.starts_with('/') {
        return Lookup::NotFound;
    }
    if decoded.is_empty() || decoded.ends_with('/') {
        let index = format!("{decoded}index.html");
        return if site.get(&index).is_some() {
            Lookup::File(index)
        } else {
            Lookup::NotFound
        };
    }
    if site.get(&decoded).is_some() {
        return Lookup::File(decoded);
    }
    if site.get(&format!("{decoded}/index.html")).is_some() {
        return Lookup::Redirect(format!("{request_path}/"));
    }
    Lookup::NotFound
}

/// The `Content-Type` for a site path.
pub(crate) fn content_type(path: &str) -> String {
    let extension = path.rsplit_once('.').map_or("", |(_, e)| e);
    match extension {
        "md" => "text/markdown; charset=utf-8".into(),
        "txt" => "text/plain; charset=utf-8".into(),
        "pagefind" | "pf_meta" | "pf_index" | "pf_fragment" | "pf_filter" => {
            "application/octet-stream".into()
        }
        _ => {
            let mime = mime_guess::from_path(path).first_or_octet_stream();
            match mime.type_() {
                mime_guess::mime::TEXT => format!("{}; charset=utf-8", mime.essence_str()),
                _ if mime.essence_str() == "application/javascript" => {
                    "text/javascript; charset=utf-8".into()
                }
                _ => mime.essence_str().to_string(),
            }
        }
    }
}

/// A page with the live-reload script added before `</body>` (served pages only; built
/// sites never contain it).
pub(crate) fn with_live_script(html: &[u8]) -> Vec<u8> {
    let tag = format!("<script src=\"{LIVE_SCRIPT_PATH}\" defer></script>\n");
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(at) => {
            let mut out = String::with_capacity(text.len() + tag.len());
            out.push_str(&text[..at]);
            out.push_str(&tag);
            out.push_str(&text[at..]);
            out.into_bytes()
        }
        None => {
            let mut out = text.into_owned();
            out.push_str(&tag);
            out.into_bytes()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> SiteMap {
        let mut site = SiteMap::default();
        site.insert("index.html", "home");
        site.insert("apis/index.html", "part");
        site.insert("apis/rest/index.html", "page");
        site.insert("apis/rest.md", "# twin");
        site.insert("img/my logo.svg", "<svg/>");
        site
    }

    #[test]
    fn pages_files_and_folders() {
        let site = site();
        assert_eq!(lookup(&site, "/"), Lookup::File("index.html".into()));
        assert_eq!(
            lookup(&site, "/apis/rest/"),
            Lookup::File("apis/rest/index.html".into())
        );
        assert_eq!(
            lookup(&site, "/apis/rest/index.html"),
            Lookup::File("apis/rest/index.html".into())
        );
        assert_eq!(
            lookup(&site, "/apis/rest.md"),
            Lookup::File("apis/rest.md".into())
        );
        assert_eq!(
            lookup(&site, "/img/my%20logo.svg"),
            Lookup::File("img/my logo.svg".into())
        );
        assert_eq!(lookup(&site, "/apis"), Lookup::Redirect("/apis/".into()));
        assert_eq!(lookup(&site, "/missing"), Lookup::NotFound);
    }

    #[test]
    fn traversal_is_refused() {
        let site = site();
        for path in [
            "/../etc/passwd",
            "/apis/../index.html",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2e%2e/etc/passwd",
            "/apis/%2e%2e/index.html",
            "//etc/passwd",
            "/C:/Windows/win.ini",
            "/apis%5c..%5cindex.html",
            "/./index.html",
            "etc/passwd",
        ] {
            assert_eq!(lookup(&site, path), Lookup::NotFound, "{path}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("assets/guidebook.css"),
            "text/css; charset=utf-8"
        );
        assert_eq!(
            content_type("assets/guidebook.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type("a.md"), "text/markdown; charset=utf-8");
        assert_eq!(content_type("img/a.svg"), "image/svg+xml");
        assert_eq!(content_type("img/a.png"), "image/png");
        assert_eq!(
            content_type("pagefind/wasm.en.pagefind"),
            "application/octet-stream"
        );
    }

    #[test]
    fn the_preview_paths_are_inside_its_reserved_folder() {
        for path in [LIVE_SCRIPT_PATH, EVENTS_PATH] {
            assert!(
                path.starts_with(&format!("/{}/", crate::site::LIVE_DIR)),
                "{path}"
            );
        }
    }

    #[test]
    fn live_script_goes_before_the_body_end() {
        let html = with_live_script(b"<html><body><p>x</p></body></html>");
        let html = String::from_utf8(html).unwrap();
        assert!(html.ends_with(&format!(
            "<script src=\"{LIVE_SCRIPT_PATH}\" defer></script>\n</body></html>"
        )));
    }
}
