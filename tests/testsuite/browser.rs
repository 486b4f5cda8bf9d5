//! Browser tests: a real headless Chromium, driven through ChromeDriver.
//!
//! Without Chromium these tests print why they skip; with `CI=true` a missing browser fails.
//! They run one at a time (two Chromiums on a two-core machine only slow each other down).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

use guidebook::serve::Server;

use crate::harness::BookTest;
use crate::serve::{book, get, serve};

static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    })
}

/// A browser session and the ChromeDriver behind it (one at a time).
struct Browser {
    client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
    _one: tokio::sync::MutexGuard<'static, ()>,
}

impl Browser {
    /// Starts Chromium, or explains why not (and fails under `CI=true`).
    async fn start() -> Option<Self> {
        let one = ONE_AT_A_TIME.lock().await;
        let chromium = std::env::var_os("GUIDEBOOK_CHROMIUM")
            .map(PathBuf::from)
            .or_else(|| on_path(&["chromium", "chromium-browser", "google-chrome"]));
        let chromedriver = std::env::var_os("GUIDEBOOK_CHROMEDRIVER")
            .map(PathBuf::from)
            .or_else(|| on_path(&["chromedriver"]));
        let (Some(chromium), Some(chromedriver)) = (chromium, chromedriver) else {
            let why = "Chromium and ChromeDriver are not installed (Debian: apt install chromium chromium-driver)";
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("CI=true and the browser tests cannot run: {why}");
            }
            eprintln!("skipping a browser test: {why}");
            return None;
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("ChromeDriver starts");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "ChromeDriver did not start"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let profile = tempfile::tempdir().unwrap();
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            }),
        );
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a Chromium session starts");
        Some(Self {
            client,
            driver,
            _profile: profile,
            _one: one,
        })
    }

    async fn quit(mut self) {
        let client = self.client.clone();
        let _ = client.close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }

    /// Stops the preview server, then the browser.
    async fn finish(self, server: Server) {
        server.stop().await;
        self.quit().await;
    }

    /// Opens a page of the served site (`path` without its leading `/`).
    async fn open(&self, server: &Server, path: &str) {
        self.client
            .goto(&format!("{}{path}", server.url()))
            .await
            .unwrap();
    }

    async fn find(&self, css: &str) -> Element {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
    }

    async fn click(&self, css: &str) {
        self.find(css).await.click().await.unwrap();
    }

    /// Waits until `script` (a JavaScript expression) is true.
    async fn until(&self, what: &str, script: &str) {
        let started = Instant::now();
        loop {
            let value = self
                .client
                .execute(&format!("return !!({script});"), vec![])
                .await;
            if matches!(value, Ok(serde_json::Value::Bool(true))) {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "timed out waiting for {what}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn eval(&self, script: &str) -> serde_json::Value {
        self.client
            .execute(&format!("return ({script});"), vec![])
            .await
            .expect("the script runs")
    }
}

/// Presses one key in `element`.
async fn press(element: &Element, key: Key) {
    element
        .send_keys(&char::from(key).to_string())
        .await
        .unwrap();
}

async fn wait_for_file(addr: std::net::SocketAddr, path: &str) {
    let started = Instant::now();
    while get(addr, path).await.0 != 200 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{path} was never served"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_finds_the_section_and_lands_on_its_anchor() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let test = BookTest::sample_guide();
    let server = serve(&test).await;
    wait_for_file(server.local_addr(), "/pagefind/pagefind.js").await;
    browser.open(&server, "").await;
    // "/" focuses the search box from anywhere on the page.
    browser.find("body").await.send_keys("/").await.unwrap();
    browser
        .until(
            "the search box to take focus",
            "document.activeElement.id === 'search-input'",
        )
        .await;
    let input = browser.find("input[type=search]").await;
    input.send_keys("little's law formula").await.unwrap();
    browser
        .until(
            "results",
            "document.querySelectorAll('.search-result').length > 0",
        )
        .await;
    let first_page = browser
        .eval("document.querySelector('.search-result .search-result-page').textContent")
        .await;
    let first_section = browser
        .eval("document.querySelector('.search-result .search-result-title').textContent")
        .await;
    assert_eq!(first_page, "Queues and back-pressure");
    assert!(
        first_section.as_str().unwrap().starts_with("Little's law"),
        "first section: {first_section}"
    );
    let excerpt = browser
        .eval("document.querySelector('.search-result mark') !== null")
        .await;
    assert_eq!(excerpt, true, "query terms are highlighted");
    // Arrow keys move through results; Enter opens the selected one.
    press(&input, Key::Down).await;
    assert_eq!(
        browser
            .eval("document.querySelector('.search-result').getAttribute('aria-selected')")
            .await,
        "true"
    );
    press(&input, Key::Enter).await;
    browser
        .until(
            "the chapter to open",
            "location.pathname.endsWith('/systems/queues-and-back-pressure/')",
        )
        .await;
    let url = browser.client.current_url().await.unwrap();
    assert_eq!(
        url.fragment(),
        Some("littles-law"),
        "lands on the section's anchor: {url}"
    );
    browser.finish(server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_opened_from_disk_explains_that_it_needs_a_server() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let test = BookTest::sample_guide();
    assert_eq!(test.build().code, 0);
    let page = test.site().join("index.html");
    browser
        .client
        .goto(&format!("file://{}", page.display()))
        .await
        .unwrap();
    let input = browser.find("input[type=search]").await;
    input.send_keys("cache").await.unwrap();
    browser
        .until(
            "a message",
            "document.querySelector('.search-message') !== null",
        )
        .await;
    let message = browser
        .eval("document.querySelector('.search-message').textContent")
        .await;
    assert!(
        message.as_str().unwrap().contains("guidebook serve"),
        "{message}"
    );
    // Escape closes the results.
    press(&input, Key::Escape).await;
    browser
        .until(
            "the results to close",
            "document.querySelector('.search-results').hidden",
        )
        .await;
    browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_appears_without_a_manual_refresh() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let test = book();
    let server = serve(&test).await;
    browser.open(&server, "first/").await;
    browser
        .until(
            "the live connection",
            "window.guidebookLive && window.guidebookLive.readyState === 1",
        )
        .await;
    browser
        .eval("(window.scrollTo(0, 200), window.__marker = 'before')")
        .await;
    test.write(
        "content/01-first.md",
        "# First\n\nText from the editor.\n\n## Section\n",
    );
    browser
        .until(
            "the new text",
            "document.body.textContent.includes('Text from the editor.')",
        )
        .await;
    assert_eq!(
        browser.eval("window.__marker === undefined").await,
        true,
        "the page reloaded by itself"
    );

    // A broken file shows the overlay; fixing it clears it.
    test.write(
        "content/01-first.md",
        "# First\n\n:::nope\nx\n:::\n\n## Section\n",
    );
    browser
        .until(
            "the error overlay",
            "document.getElementById('guidebook-overlay') !== null",
        )
        .await;
    let overlay = browser
        .eval("document.getElementById('guidebook-overlay').textContent")
        .await;
    let overlay = overlay.as_str().unwrap().to_string();
    assert!(overlay.contains("content/01-first.md:3:4"), "{overlay}");
    assert!(overlay.contains("unknown callout kind `nope`"), "{overlay}");
    test.write(
        "content/01-first.md",
        "# First\n\nRepaired.\n\n## Section\n",
    );
    browser.until("the repaired page", "document.body.textContent.includes('Repaired.') && !document.getElementById('guidebook-overlay')").await;
    browser.finish(server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_hide_and_show_and_practice_mode_is_remembered() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let test = BookTest::sample_guide();
    let server = serve(&test).await;
    browser
        .open(&server, "foundations/answering-questions/")
        .await;
    browser.until("the page", "document.querySelector('[data-practice-toggle]') && !document.querySelector('[data-practice-toggle]').hidden").await;
    let closed = "[...document.querySelectorAll('details[data-answer]')].every(d => !d.open)";
    let open = "[...document.querySelectorAll('details[data-answer]')].every(d => d.open)";
    assert_eq!(
        browser.eval(closed).await,
        true,
        "practice mode hides answers"
    );
    // One answer opens with its control.
    browser.click("details[data-answer] > summary").await;
    assert_eq!(
        browser
            .eval("document.querySelector('details[data-answer]').open")
            .await,
        true
    );
    assert_eq!(
        browser.eval("getComputedStyle(document.querySelector('details[data-answer] .answer-body')).display !== 'none'").await,
        true
    );
    // The switch reveals every answer, and the choice carries to the next page.
    let switch = browser.find("[data-practice-toggle]").await;
    switch.click().await.unwrap();
    assert_eq!(
        switch.attr("aria-checked").await.unwrap().as_deref(),
        Some("false")
    );
    assert_eq!(browser.eval(open).await, true, "every answer shows");
    browser.open(&server, "systems/caching/").await;
    browser
        .until(
            "the next page",
            "document.readyState === 'complete' && document.querySelector('details[data-answer]')",
        )
        .await;
    assert_eq!(
        browser.eval(open).await,
        true,
        "the choice is remembered across pages"
    );
    browser.click("[data-practice-toggle]").await;
    assert_eq!(
        browser.eval(closed).await,
        true,
        "switching back hides them again"
    );
    browser.finish(server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tabs_follow_the_keyboard_pattern() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let test = BookTest::sample_guide();
    let server = serve(&test).await;
    browser.open(&server, "systems/caching/").await;
    browser
        .until("tabs", "document.querySelector('[data-tabs] [role=tab]')")
        .await;
    let tabs = browser
        .client
        .find_all(Locator::Css("[data-tabs] [role=tab]"))
        .await
        .unwrap();
    assert!(tabs.len() >= 2);
    tabs[0].click().await.unwrap();
    press(&tabs[0], Key::Right).await;
    let selected = browser
        .eval("document.activeElement.getAttribute('role') === 'tab' && document.activeElement.getAttribute('aria-selected')")
        .await;
    assert_eq!(
        selected, "true",
        "the arrow key moves the selection and the focus"
    );
    let hidden = browser
        .eval("[...document.querySelector('[data-tabs]').querySelectorAll('[role=tabpanel]')].map(p => p.hidden)")
        .await;
    assert_eq!(
        hidden,
        json!([true, false, true]),
        "only the selected panel shows"
    );
    browser.finish(server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_phone_the_chapters_and_the_page_contents_fold_away() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let test = BookTest::sample_guide();
    let server = serve(&test).await;
    browser.client.set_window_size(390, 900).await.unwrap();
    browser.open(&server, "systems/caching/").await;
    browser
        .until("the page", "document.readyState === 'complete'")
        .await;
    // The drawer starts closed, without sliding shut as the scripts load: the marker the
    // CSS waits for is set before the first paint, so no transition runs.
    assert_eq!(
        browser
            .eval("document.documentElement.dataset.js + ' ' + document.querySelector('.sidebar').getAnimations().length")
            .await,
        "ready 0"
    );
    let sidebar = "getComputedStyle(document.querySelector('.sidebar'))";
    assert_eq!(
        browser
            .eval(&format!("{sidebar}.visibility + ' ' + {sidebar}.position"))
            .await,
        "hidden fixed"
    );
    assert_eq!(
        browser
            .eval("getComputedStyle(document.querySelector('.toc[data-toc]')).display")
            .await,
        "none",
        "no third column on a phone"
    );
    browser.click("[data-menu-toggle]").await;
    browser
        .until(
            "the open drawer",
            &format!("{sidebar}.visibility === 'visible'"),
        )
        .await;
    browser.click("[data-menu-toggle]").await;
    browser
        .until(
            "the closed drawer",
            &format!("{sidebar}.visibility === 'hidden'"),
        )
        .await;
    // The page's contents fold under its heading; choosing a section closes them.
    browser.click(".toc-inline > summary").await;
    assert_eq!(
        browser
            .eval("document.querySelector('.toc-inline').open")
            .await,
        true
    );
    let link = browser.find(".toc-inline a[href='#cache-stampedes']").await;
    link.click().await.unwrap();
    browser
        .until(
            "the section",
            "location.hash === '#cache-stampedes' && !document.querySelector('.toc-inline').open",
        )
        .await;
    browser.finish(server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_script_a_phone_shows_the_chapters_in_place() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    // The theme's script replaced by an empty one: as if it failed to load.
    let test = BookTest::sample_guide().file("static/assets/guidebook.js", "");
    let server = serve(&test).await;
    browser.client.set_window_size(390, 900).await.unwrap();
    browser.open(&server, "systems/caching/").await;
    browser
        .until(
            "the page and its load event",
            "document.readyState === 'complete' && !('js' in document.documentElement.dataset)",
        )
        .await;
    assert_eq!(
        browser
            .eval("getComputedStyle(document.querySelector('.sidebar')).position + ' ' + getComputedStyle(document.querySelector('.sidebar')).visibility")
            .await,
        "static visible",
        "the chapters show under the page"
    );
    browser.finish(server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tabs_inside_tabs_switch_only_their_own_panels() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let test = book().file(
        "content/03-nested.md",
        "# Nested\n\n::::::tabs\n:::::tab Outer one\n::::tabs\n:::tab Inner one\nA\n:::\n:::tab Inner two\nB\n:::\n::::\n:::::\n:::::tab Outer two\nC\n:::::\n::::::\n",
    );
    let server = serve(&test).await;
    browser.open(&server, "nested/").await;
    browser
        .until(
            "tabs",
            "document.querySelectorAll('[role=tab]').length === 4",
        )
        .await;
    // The inner group's second tab: the outer group keeps its first panel.
    let inner = browser
        .client
        .find_all(Locator::Css("[data-tabs] [data-tabs] [role=tab]"))
        .await
        .unwrap();
    inner[1].click().await.unwrap();
    let hidden = browser
        .eval("[...document.querySelectorAll('[role=tabpanel]')].map(p => p.hidden)")
        .await;
    assert_eq!(
        hidden,
        json!([false, true, false, true]),
        "outer one shown, inner two shown"
    );
    browser.finish(server).await;
}

/// Screenshots of the sample guide for the README and for looking at the theme
/// (`GUIDEBOOK_SCREENSHOTS=<folder>` to write them).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn screenshots_when_asked() {
    let Some(folder) = std::env::var_os("GUIDEBOOK_SCREENSHOTS") else {
        return;
    };
    let Some(browser) = Browser::start().await else {
        return;
    };
    let test = BookTest::sample_guide();
    let server = serve(&test).await;
    let folder = Path::new(&folder);
    std::fs::create_dir_all(folder).unwrap();
    for (name, path, width) in [
        ("caching-desktop", "systems/caching/", 1280),
        ("caching-phone", "systems/caching/", 390),
        (
            "answering-desktop",
            "foundations/answering-questions/",
            1280,
        ),
        ("home-desktop", "", 1280),
    ] {
        browser.client.set_window_size(width, 1000).await.unwrap();
        browser.open(&server, path).await;
        browser
            .until("the page", "document.readyState === 'complete'")
            .await;
        let png = browser.client.screenshot().await.unwrap();
        std::fs::write(folder.join(format!("{name}.png")), png).unwrap();
    }
    browser.finish(server).await;
}
