//! `guidebook serve`, in-process: start on a free port, edit files, watch the events.

use std::net::SocketAddr;
use std::time::Duration;

use guidebook::serve::{LiveEvent, ServeOptions, Server, start};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::broadcast;

use crate::harness::{BookTest, files_under};

/// A raw HTTP/1.1 GET: (status, headers, body).
pub(crate) async fn get(addr: SocketAddr, path: &str) -> (u16, String, String) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let response = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

pub(crate) fn book() -> BookTest {
    BookTest::empty()
        .file("book.toml", "[book]\ntitle = \"Live\"\n")
        .file(
            "content/01-first.md",
            "# First\n\nOriginal text.\n\n## Section\n",
        )
        .file(
            "content/02-second.md",
            "# Second\n\nSee [](01-first.md#section).\n",
        )
        .file("static/extra.css", "body { color: black; }\n")
}

pub(crate) async fn serve(test: &BookTest) -> Server {
    let mut options = ServeOptions::new(&test.root);
    options.port = 0;
    options.verbose = std::env::var_os("GUIDEBOOK_TEST_VERBOSE").is_some();
    start(options).await.expect("the server starts")
}

/// Waits for the next event that matches, skipping others.
async fn next_event(
    events: &mut broadcast::Receiver<LiveEvent>,
    wanted: impl Fn(&LiveEvent) -> bool,
) -> LiveEvent {
    let wait = async {
        loop {
            match events.recv().await {
                Ok(event) if wanted(&event) => return event,
                Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => panic!("the server stopped"),
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(10), wait)
        .await
        .expect("the event arrives within 10 s")
}

fn is_reload(event: &LiveEvent) -> bool {
    matches!(event, LiveEvent::Reload { .. })
}

/// Writes a file the way editors often do: to a temporary file, then renamed over it.
fn save_by_rename(test: &BookTest, path: &str, contents: &str) {
    let target = test.root.join(path);
    let temp = target.with_extension("md.tmp-save");
    std::fs::write(&temp, contents).unwrap();
    std::fs::rename(&temp, &target).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_reloads_only_that_page_and_serves_the_new_text() {
    let test = book();
    let server = serve(&test).await;
    let addr = server.local_addr();
    let (status, head, body) = get(addr, "/first/").await;
    assert_eq!(status, 200);
    assert!(
        head.contains("content-type: text/html; charset=utf-8"),
        "{head}"
    );
    assert!(body.contains("Original text."));
    assert!(
        body.contains("/__guidebook/live.js"),
        "served pages get the reload script"
    );

    let mut events = server.subscribe();
    test.write(
        "content/01-first.md",
        "# First\n\nEdited text.\n\n## Section\n",
    );
    let event = next_event(&mut events, is_reload).await;
    assert_eq!(
        event,
        LiveEvent::Reload {
            // The print page holds every page, so it changes with any of them.
            pages: Some(vec!["/first/".into(), "/print/".into()])
        }
    );
    let (_, _, body) = get(addr, "/first/").await;
    assert!(body.contains("Edited text."), "{body}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_renamed_heading_reloads_the_pages_that_link_to_it() {
    let test = book();
    let server = serve(&test).await;
    let mut events = server.subscribe();
    test.write(
        "content/01-first.md",
        "# First\n\nOriginal text.\n\n## Section {#section}\n\nMore.\n",
    );
    let LiveEvent::Reload { pages } = next_event(&mut events, is_reload).await else {
        unreachable!()
    };
    // The id is the same, so only the edited page changes.
    assert_eq!(pages, Some(vec!["/first/".into(), "/print/".into()]));
    test.write(
        "content/01-first.md",
        "# First\n\nOriginal text.\n\n## Renamed {#section}\n",
    );
    let LiveEvent::Reload { pages } = next_event(&mut events, is_reload).await else {
        unreachable!()
    };
    let mut pages = pages.expect("only some pages");
    pages.sort();
    assert_eq!(
        pages,
        ["/first/", "/print/", "/second/"],
        "the page whose link text names the heading reloads too"
    );
    let (_, _, body) = get(server.local_addr(), "/second/").await;
    assert!(body.contains(">Renamed</a>"), "{body}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_chapter_shows_an_error_and_the_fix_reloads() {
    let test = book();
    let server = serve(&test).await;
    let addr = server.local_addr();
    let mut events = server.subscribe();
    test.write(
        "content/01-first.md",
        "# First\n\n:::tipp\nOops.\n:::\n\n## Section\n",
    );
    // (A watcher may see the file half-written first; wait for the error of the whole file.)
    let event = next_event(&mut events, |e| {
        matches!(e, LiveEvent::BuildError { diagnostics } if diagnostics.iter().any(|d| d.message.contains("tipp")))
    })
    .await;
    let LiveEvent::BuildError { diagnostics } = event else {
        unreachable!()
    };
    assert_eq!(
        diagnostics[0].location.as_deref(),
        Some("content/01-first.md:3:4")
    );
    assert_eq!(diagnostics[0].message, "unknown callout kind `tipp`");
    assert_eq!(diagnostics[0].hint.as_deref(), Some("did you mean `tip`?"));
    let (status, _, body) = get(addr, "/first/").await;
    assert_eq!(status, 200);
    assert!(
        body.contains("Original text."),
        "the last good site stays served"
    );

    test.write(
        "content/01-first.md",
        "# First\n\n:::tip\nFixed.\n:::\n\n## Section\n",
    );
    next_event(&mut events, is_reload).await;
    let (_, _, body) = get(addr, "/first/").await;
    assert!(body.contains("Fixed."));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tab_that_connects_during_an_error_sees_it() {
    let test = book();
    let server = serve(&test).await;
    let addr = server.local_addr();
    let mut events = server.subscribe();
    test.write("content/02-second.md", "# Second\n\n[](missing.md)\n");
    next_event(&mut events, |e| matches!(e, LiveEvent::BuildError { .. })).await;
    // The event stream replays the current error first.
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(format!("GET /__guidebook/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut received = String::new();
    let mut buffer = [0u8; 4096];
    while !received.contains("event: build-error") {
        let n = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buffer))
            .await
            .expect("the stream sends the error")
            .unwrap();
        assert!(n > 0, "the stream closed: {received}");
        received.push_str(&String::from_utf8_lossy(&buffer[..n]));
    }
    assert!(received.contains("text/event-stream"), "{received}");
    assert!(
        received.contains("link to a missing page `missing.md`"),
        "{received}"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paths_outside_the_site_are_refused() {
    let test = book();
    let outside = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(outside.path(), "secret").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path(), test.root.join("static/leak.txt")).unwrap();
    let server = serve(&test).await;
    let addr = server.local_addr();
    for path in [
        "/../book.toml",
        "/%2e%2e/book.toml",
        "/%2E%2E/%2e%2e/etc/passwd",
        "/first/../../book.toml",
        "//etc/passwd",
        "/static/leak.txt",
        "/leak.txt",
        "/content/01-first.md",
        "/book.toml",
    ] {
        let (status, _, body) = get(addr, path).await;
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("secret"), "{path}");
    }
    let (status, head, body) = get(addr, "/no/such/page/").await;
    assert_eq!(status, 404);
    assert!(head.contains("text/html"));
    assert!(body.contains("Page not found"), "our 404 page");
    let (status, head, _) = get(addr, "/first").await;
    assert_eq!(status, 308, "a folder without its slash is redirected");
    assert!(head.contains("location: /first/"), "{head}");
    let (_, head, _) = get(addr, "/assets/guidebook.css").await;
    assert!(head.contains("content-type: text/css"), "{head}");
    let (_, head, _) = get(addr, "/first.md").await;
    assert!(head.contains("content-type: text/markdown"), "{head}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_saves_ends_in_one_consistent_site() {
    let test = book();
    let server = serve(&test).await;
    let addr = server.local_addr();
    let mut events = server.subscribe();
    for i in 0..25 {
        save_by_rename(
            &test,
            "content/01-first.md",
            &format!("# First\n\nVersion {i}.\n\n## Section\n"),
        );
        if i % 5 == 0 {
            tokio::time::sleep(Duration::from_millis(3)).await;
        }
    }
    // The last save wins, and stays: once the events have gone quiet, no late update of
    // an older version replaced it.
    until_served(addr, "/first/", "Version 24.").await;
    until_quiet(&mut events).await;
    let (_, _, body) = get(addr, "/first/").await;
    assert!(body.contains("Version 24."), "{body}");
    let (_, _, second) = get(addr, "/second/").await;
    assert!(
        second.contains(">Section</a>"),
        "the rest of the site is intact"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_added_removed_and_the_content_folder_coming_back() {
    let test = book();
    let server = serve(&test).await;
    let addr = server.local_addr();
    let mut events = server.subscribe();

    test.write("content/03-third.md", "# Third\n\nNew page.\n");
    assert_eq!(
        next_event(&mut events, is_reload).await,
        LiveEvent::Reload { pages: None }
    );
    assert_eq!(get(addr, "/third/").await.0, 200);

    std::fs::remove_file(test.root.join("content/03-third.md")).unwrap();
    next_event(&mut events, is_reload).await;
    assert_eq!(get(addr, "/third/").await.0, 404);

    let moved = test.root.join("content-moved");
    std::fs::rename(test.root.join("content"), &moved).unwrap();
    next_event(&mut events, |e| matches!(e, LiveEvent::BuildError { .. })).await;
    assert_eq!(
        get(addr, "/first/").await.0,
        200,
        "the last good site stays served"
    );
    std::fs::rename(&moved, test.root.join("content")).unwrap();
    next_event(&mut events, is_reload).await;
    test.write(
        "content/01-first.md",
        "# First\n\nBack again.\n\n## Section\n",
    );
    next_event(&mut events, is_reload).await;
    let (_, _, body) = get(addr, "/first/").await;
    assert!(
        body.contains("Back again."),
        "edits are seen after the folder came back"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stylesheet_change_swaps_styles_without_a_reload() {
    let test = book();
    let server = serve(&test).await;
    let mut events = server.subscribe();
    test.write("static/extra.css", "body { color: navy; }\n");
    assert_eq!(next_event(&mut events, |_| true).await, LiveEvent::Styles);
    let (_, _, css) = get(server.local_addr(), "/extra.css").await;
    assert!(css.contains("navy"));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_port_moves_to_the_next_one() {
    let test = book();
    let blocker = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let busy = blocker.local_addr().unwrap().port();
    let mut options = ServeOptions::new(&test.root);
    options.port = busy;
    let server = start(options).await.expect("starts on another port");
    assert_ne!(server.local_addr().port(), busy);
    assert!(
        server.local_addr().ip().is_loopback(),
        "127.0.0.1 by default"
    );
    server.stop().await;
}

#[test]
fn built_sites_have_no_reload_script() {
    let test = book();
    assert_eq!(test.build().code, 0);
    for page in ["first/index.html", "index.html", "404.html"] {
        assert!(!test.site_file(page).contains("__guidebook"), "{page}");
    }
}

/// Waits until no event has arrived for half a second.
async fn until_quiet(events: &mut broadcast::Receiver<LiveEvent>) {
    let settle = async {
        while let Ok(Ok(_) | Err(broadcast::error::RecvError::Lagged(_))) =
            tokio::time::timeout(Duration::from_millis(500), events.recv()).await
        {}
    };
    tokio::time::timeout(Duration::from_secs(30), settle)
        .await
        .expect("the updates settle");
}

/// Waits until the served page contains `text`.
async fn until_served(addr: SocketAddr, path: &str, text: &str) -> String {
    let wait = async {
        loop {
            let (_, _, body) = get(addr, path).await;
            if body.contains(text) {
                return body;
            }
            tokio::time::sleep(Duration::from_millis(30)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(15), wait)
        .await
        .unwrap_or_else(|_| panic!("{path} never contained {text:?}"))
}

/// A raw HTTP/1.1 GET of bytes: (status, body).
async fn get_bytes(addr: SocketAddr, path: &str) -> (u16, Vec<u8>) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(response.len(), |i| i + 4);
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, response[split..].to_vec())
}

/// Every file `guidebook build` writes for the book is served by the preview with the same
/// bytes (pages without the reload script the preview adds). Exceptions: the marker file
/// only a written site has, and the 404 page of a book with a base URL (the preview's links
/// from its own root, by design).
async fn assert_same_as_a_build(test: &BookTest, addr: SocketAddr) {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let run = test.run(&["build", "--out", site.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let has_base_url = std::fs::read_to_string(test.root.join("book.toml"))
        .unwrap()
        .contains("base-url");
    let script = b"<script src=\"/__guidebook/live.js\" defer></script>\n";
    for (rel, built) in files_under(&site) {
        if rel == ".guidebook-site" || (rel == "404.html" && has_base_url) {
            continue;
        }
        let path = format!("/{}", rel.replace(' ', "%20"));
        // The search index is built in the background after the first build.
        let wait = Duration::from_secs(if rel.starts_with("pagefind/") { 30 } else { 0 });
        let started = std::time::Instant::now();
        let (status, served) = loop {
            let (status, served) = get_bytes(addr, &path).await;
            if status == 200 || started.elapsed() >= wait {
                break (status, served);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        assert_eq!(status, 200, "{rel} is not served");
        let served = match served.windows(script.len()).position(|w| w == script) {
            Some(at) if rel.ends_with(".html") => {
                [&served[..at], &served[at + script.len()..]].concat()
            }
            _ => served,
        };
        if served != built {
            let (served, built) = (
                String::from_utf8_lossy(&served),
                String::from_utf8_lossy(&built),
            );
            let line = served.lines().zip(built.lines()).find(|(a, b)| a != b);
            panic!("the preview's {rel} differs from the build's: {line:?}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_preview_serves_what_a_build_writes_for_every_fixture_and_the_sample_guide() {
    let mut books: Vec<(String, BookTest)> =
        vec![("the sample guide".into(), BookTest::sample_guide())];
    for feature in std::fs::read_dir(crate::harness::fixtures()).unwrap() {
        for case in std::fs::read_dir(feature.unwrap().path()).unwrap() {
            let case = case.unwrap().path();
            let failing = std::fs::read_to_string(case.join("case.toml"))
                .is_ok_and(|text| text.contains("exit = 1"));
            if failing || !case.join("book.toml").exists() {
                continue;
            }
            let name = case.strip_prefix(crate::harness::fixtures()).unwrap();
            let name = name.to_string_lossy().replace('\\', "/");
            books.push((name.clone(), BookTest::fixture(&name)));
        }
    }
    assert!(books.len() > 15, "the fixtures were found");
    for (name, test) in books {
        let server = serve(&test).await;
        eprintln!("comparing {name}");
        assert_same_as_a_build(&test, server.local_addr()).await;
        server.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_incremental_edits_the_preview_matches_a_full_build() {
    let test = book();
    let server = serve(&test).await;
    let addr = server.local_addr();
    // Heading markup changes: the page that copies it into a link follows.
    test.write(
        "content/01-first.md",
        "# First\n\nOriginal text.\n\n## The *Section* {#section}\n",
    );
    until_served(addr, "/second/", "<em>Section</em>").await;
    test.write(
        "content/01-first.md",
        "# First\n\nOriginal text.\n\n## The Section {#section}\n",
    );
    until_served(addr, "/second/", ">The Section</a>").await;
    test.write(
        "content/02-second.md",
        "# Second\n\nSee [](01-first.md#section) now.\n",
    );
    until_served(addr, "/second/", "now.").await;
    // The book-wide exports follow the reload: wait for them, not for a fixed time.
    until_served(addr, "/llms-full.txt", "now.").await;
    assert_same_as_a_build(&test, addr).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_of_several_kinds_of_change_applies_them_all() {
    let test = book();
    let server = serve(&test).await;
    let addr = server.local_addr();
    test.write("templates/page.html", "{% extends \"builtin/page.html\" %}{% block content %}BATCH {{ super() }}{% endblock content %}");
    test.write(
        "content/01-first.md",
        "# First\n\nFrom the same batch.\n\n## Section\n",
    );
    test.write("static/extra.css", "body { color: teal; }\n");
    let body = until_served(addr, "/first/", "From the same batch.").await;
    assert!(body.contains("BATCH "), "the template applies too");
    let (_, _, css) = get(addr, "/extra.css").await;
    assert!(css.contains("teal"), "and the stylesheet");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moving_the_content_folder_in_book_toml_follows_it() {
    let test = book();
    let server = serve(&test).await;
    let addr = server.local_addr();
    std::fs::create_dir_all(test.root.join("chapters")).unwrap();
    std::fs::copy(
        test.root.join("content/01-first.md"),
        test.root.join("chapters/01-first.md"),
    )
    .unwrap();
    std::fs::copy(
        test.root.join("content/02-second.md"),
        test.root.join("chapters/02-second.md"),
    )
    .unwrap();
    let mut events = server.subscribe();
    // A new title too, so the pages change and the tabs hear about the rebuild (the same
    // pages from another folder would change nothing they show).
    test.write(
        "book.toml",
        "[book]\ntitle = \"Live, moved\"\n\n[build]\ncontent-dir = \"chapters\"\n",
    );
    // The rebuild after book.toml changed is what moves the watcher.
    next_event(&mut events, is_reload).await;
    test.write(
        "chapters/01-first.md",
        "# First\n\nFrom the new folder.\n\n## Section\n",
    );
    until_served(addr, "/first/", "From the new folder.").await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn static_files_follow_the_build_rules_while_serving() {
    let test = book().file("static/llms.txt", "# My own llms.txt\n");
    let server = serve(&test).await;
    let addr = server.local_addr();
    let (_, _, llms) = get(addr, "/llms.txt").await;
    assert_eq!(
        llms, "# My own llms.txt\n",
        "static/ replaces the generated file"
    );
    test.write("content/01-first.md", "# First\n\nEdited.\n\n## Section\n");
    until_served(addr, "/first/", "Edited.").await;
    // Once the exports caught up with the edit, the generated llms.txt would be there.
    until_served(addr, "/llms-full.txt", "Edited.").await;
    let (_, _, llms) = get(addr, "/llms.txt").await;
    assert_eq!(
        llms, "# My own llms.txt\n",
        "and keeps replacing it after edits"
    );

    let outside = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(outside.path(), "secret").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path(), test.root.join("static/late-leak.txt")).unwrap();
    // A file written after the link: once it is served, the watcher has seen the link too.
    test.write("static/proof.txt", "seen");
    until_served(addr, "/proof.txt", "seen").await;
    let (status, _, body) = get(addr, "/late-leak.txt").await;
    assert_eq!(status, 404, "a link added while serving is refused too");
    assert!(!body.contains("secret"));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_preview_404_links_from_its_own_root() {
    let test = book().file(
        "book.toml",
        "[book]\ntitle = \"Live\"\nbase-url = \"https://example.com/guide/\"\n",
    );
    let server = serve(&test).await;
    let (status, _, body) = get(server.local_addr(), "/missing/").await;
    assert_eq!(status, 404);
    assert!(body.contains("href=\"/assets/guidebook.css"), "{body}");
    assert!(!body.contains("https://example.com/guide/assets"), "{body}");
    // Still so after the templates are rendered again (regression: a template save brought
    // back the base-url 404 page).
    test.write(
        "templates/partials/footer.html",
        "<footer>Footer, second version</footer>",
    );
    let body = until_served(server.local_addr(), "/missing/", "second version").await;
    assert!(body.contains("href=\"/assets/guidebook.css"), "{body}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_top_port_does_not_overflow() {
    let test = book();
    let mut options = ServeOptions::new(&test.root);
    options.port = u16::MAX;
    // Either it gets the port or says that the ports are busy: no panic, no wrap-around.
    match start(options).await {
        Ok(server) => {
            assert_eq!(server.local_addr().port(), u16::MAX);
            server.stop().await;
        }
        Err(error) => {
            let message = format!("{error:#}");
            assert!(
                message.contains("ports 65535 to 65535 are all busy"),
                "{message}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_llm_exports_follow_an_edit() {
    let test = book();
    let server = serve(&test).await;
    let addr = server.local_addr();
    test.write(
        "content/01-first.md",
        "# First, renamed\n\nRewritten text.\n\n## Section\n",
    );
    until_served(addr, "/llms.txt", "[First, renamed]").await;
    until_served(addr, "/llms-full.txt", "Rewritten text.").await;
    until_served(addr, "/first.md", "Rewritten text.").await;
    server.stop().await;
}

/// A raw GET with an `Accept` header: (status, headers, body).
async fn get_accepting(addr: SocketAddr, path: &str, accept: &str) -> (u16, String, String) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: {accept}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let response = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_ascii_lowercase(), body.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_asked_for_as_markdown_is_answered_with_its_twin() {
    let test = book();
    let server = serve(&test).await;
    let addr = server.local_addr();
    let (status, head, body) = get_accepting(addr, "/first/", "text/markdown").await;
    assert_eq!(status, 200);
    assert!(
        head.contains("content-type: text/markdown; charset=utf-8"),
        "{head}"
    );
    assert!(head.contains("vary: accept"), "{head}");
    assert!(
        head.contains("link: </llms.txt>; rel=\"describedby\""),
        "{head}"
    );
    assert!(
        body.contains("# First") && body.contains("Original text."),
        "{body}"
    );
    assert!(!body.contains("<html"), "{body}");
    // The same page for a browser's usual header, and the home page both ways.
    let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    let (_, head, body) = get_accepting(addr, "/first/", browser).await;
    assert!(head.contains("content-type: text/html"), "{head}");
    assert!(head.contains("vary: accept"), "{head}");
    assert!(body.contains("<html"), "{body}");
    let (_, head, body) = get_accepting(addr, "/", "text/markdown, text/html;q=0.5").await;
    assert!(head.contains("content-type: text/markdown"), "{head}");
    assert!(body.contains("First"), "{body}");
    // Files that are not pages are what they are.
    let (_, head, _) = get_accepting(addr, "/llms.txt", "text/markdown").await;
    assert!(head.contains("content-type: text/plain"), "{head}");
    assert!(!head.contains("vary: accept"), "{head}");
    server.stop().await;
}

/// A raw request with the given `Host` header: the status code.
async fn status_for_host(addr: SocketAddr, host: &str) -> u16 {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("GET /first/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    String::from_utf8_lossy(&response)
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_for_other_host_names_are_refused() {
    let test = book();
    let server = serve(&test).await;
    let addr = server.local_addr();
    let port = addr.port();
    // A page on another origin can point its own name at 127.0.0.1 (DNS rebinding): its
    // requests carry that name (regression: any Host was answered).
    for host in [
        format!("attacker.example:{port}"),
        "attacker.example".to_string(),
        format!("localhost:{}", port.wrapping_add(1)),
    ] {
        assert_eq!(status_for_host(addr, &host).await, 403, "{host}");
    }
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}")] {
        assert_eq!(status_for_host(addr, &host).await, 200, "{host}");
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_never_finishes_its_headers_is_dropped() {
    let test = book();
    let mut options = ServeOptions::new(&test.root);
    options.port = 0;
    options.header_timeout = Duration::from_millis(300);
    let server = start(options).await.expect("the server starts");
    let addr = server.local_addr();
    // Regression: a connection that sends nothing, or its headers a byte at a time, was
    // held open forever.
    for sent in ["", "GET / HTTP/1.1\r\nHo"] {
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        stream.write_all(sent.as_bytes()).await.unwrap();
        let mut rest = Vec::new();
        // The read ends (with end-of-file or a reset) only when the server lets go.
        let _ = tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut rest))
            .await
            .expect("the server closes the connection");
    }
    // A well-behaved client is still served.
    let (status, _, _) = get(addr, "/first/").await;
    assert_eq!(status, 200);
    server.stop().await;
}

/// A book with numbered stories, a glossary and questions in two chapters.
fn study_book() -> BookTest {
    BookTest::empty()
        .file(
            "book.toml",
            "[book]\ntitle = \"Study\"\n[callouts.war-story]\nlabel = \"War Story\"\nnumbered = true\n[callouts.term]\nindex = \"Glossary\"\n",
        )
        .file(
            "content/01-first.md",
            "# First\n\n:::war-story Early {#early}\nOne.\n:::\n\n:::term Latency\nTime taken.\n:::\n",
        )
        .file(
            "content/02-second.md",
            "# Second\n\n:::war-story Late {#late}\nTwo.\n:::\n\nSee [](01-first.md#early).\n\n:::question What is latency?\nTime taken.\n:::\n",
        )
}

/// Text filled into an empty link depends on its target's page: when that changes, the
/// glossary's sentences and the practice page's questions and notes that show it follow.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_study_pages_follow_the_text_their_empty_links_show() {
    let test = BookTest::empty()
        .file(
            "book.toml",
            "[book]\ntitle = \"Study\"\n[callouts.term]\nindex = \"Glossary\"\n",
        )
        .file(
            "content/01-first.md",
            "# First\n\n## Safe retries {#safe}\n\nText.\n",
        )
        .file(
            "content/02-second.md",
            "# Second\n\n:::term Idempotence\nAs [](01-first.md#safe) shows.\n:::\n\n:::question Why retry?\nSee [](01-first.md#safe).[^n]\n:::\n\n[^n]: A note.\n",
        );
    let server = serve(&test).await;
    let addr = server.local_addr();
    until_served(addr, "/glossary/", "As Safe retries shows.").await;
    until_served(addr, "/practice/", "Safe retries</a>").await;
    test.write(
        "content/01-first.md",
        "# First\n\n## Retrying safely {#safe}\n\nText.\n",
    );
    until_served(addr, "/glossary/", "As Retrying safely shows.").await;
    until_served(addr, "/glossary.md", "As Retrying safely shows.").await;
    until_served(addr, "/practice/", "Retrying safely</a>").await;
    until_served(addr, "/practice.md", "Retrying safely](").await;
    // The note an answer references is written with it on the practice page.
    test.write(
        "content/02-second.md",
        "# Second\n\n:::term Idempotence\nAs [](01-first.md#safe) shows.\n:::\n\n:::question Why retry?\nSee [](01-first.md#safe).[^n]\n:::\n\n[^n]: Another note.\n",
    );
    until_served(addr, "/practice/", "Another note.").await;
    until_served(addr, "/practice.md", "Another note.").await;
    assert_same_as_a_build(&test, addr).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_study_pages_follow_edits_to_any_chapter() {
    let test = study_book();
    let server = serve(&test).await;
    let addr = server.local_addr();
    until_served(addr, "/practice/", "What is latency?").await;
    until_served(addr, "/second/", "War Story 2").await;
    // A question edited in a chapter: the practice page and its files follow.
    test.write(
        "content/02-second.md",
        "# Second\n\n:::war-story Late {#late}\nTwo.\n:::\n\nSee [](01-first.md#early).\n\n:::question What is throughput?\nWork per second.\n:::\n",
    );
    until_served(addr, "/practice/", "What is throughput?").await;
    until_served(addr, "/practice/flashcards.txt", "Work per second.").await;
    until_served(addr, "/practice/questions.json", "What is throughput?").await;
    until_served(addr, "/practice.md", "Work per second.").await;
    // A story added to the first chapter renumbers the second chapter's, and the reference
    // to a story follows its number; a new term reaches the glossary.
    test.write(
        "content/01-first.md",
        "# First\n\n:::war-story Earlier {#earlier}\nZero.\n:::\n\n:::war-story Early {#early}\nOne.\n:::\n\n:::term Bandwidth\nHow much at once.\n:::\n\n:::term Latency\nTime taken.\n:::\n",
    );
    until_served(
        addr,
        "/second/",
        "War Story <span class=\"callout-number\">3</span>",
    )
    .await;
    until_served(addr, "/second/", "War Story 2: Early</a>").await;
    until_served(addr, "/second.md", "War Story 3 — Late").await;
    until_served(addr, "/glossary/", "Bandwidth").await;
    until_served(addr, "/glossary.md", "How much at once.").await;
    until_served(addr, "/llms-full.txt", "Bandwidth").await;
    assert_same_as_a_build(&test, addr).await;
    server.stop().await;
}
