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
            eprintln!("skipped: this browser test did not run: {why}");
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

    async fn quit(self) {
        let client = self.client.clone();
        let _ = client.close().await;
        // Dropping stops ChromeDriver.
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

    /// Opens a page of the served site and waits until its live connection is open and the
    /// page script is set up, so that an edit from then on updates it in place.
    async fn open_live(&self, server: &Server, path: &str) {
        self.open(server, path).await;
        self.until(
            "the live connection",
            "window.guidebookLive && window.guidebookLive.readyState === 1 && window.guidebook",
        )
        .await;
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

    /// Opens a page in the light or dark theme (the reader's choice, as the toggle stores
    /// it) and waits for it to load.
    async fn open_themed(&self, server: &Server, path: &str, theme: &str) {
        self.open(server, path).await;
        self.eval(&format!(
            "localStorage.setItem('guidebook-theme', '{theme}')"
        ))
        .await;
        self.open(server, path).await;
        self.until("the page", "document.readyState === 'complete'")
            .await;
    }

    /// Runs axe-core (vendored under tests/vendor) on the page: every violation, as
    /// "rule: selectors (help)" lines.
    async fn axe_violations(&self) -> Vec<String> {
        let axe = std::fs::read_to_string(
            crate::harness::repo_root().join("tests/vendor/axe-core/axe.min.js"),
        )
        .unwrap();
        self.client.execute(&axe, vec![]).await.expect("axe loads");
        let found = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document).then(
                   r => done(r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', ') + ' (' + v.help + ')')),
                   e => done(['axe failed: ' + e]));",
                vec![],
            )
            .await
            .expect("axe runs");
        serde_json::from_value(found).unwrap()
    }
}

/// A test that fails mid-way still stops its ChromeDriver (and so its Chromium).
impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
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
    test.write("content/01-first.md", long_page("Original text."));
    let server = serve(&test).await;
    browser.open_live(&server, "first/").await;
    // The reader scrolled, opened the answer and chose the second tab (without the click
    // that would remember the label: the update itself must keep it).
    browser
        .eval(
            "(document.querySelector('details[data-answer]').open = true, \
              window.guidebook.selectTab(document.querySelector('[data-tabs]'), 1, false), \
              window.scrollTo(0, 600), window.__kept = 1, \
              window.__navList = document.querySelector('[data-nav] .nav-list'), 1)",
        )
        .await;
    let scrolled = browser.eval("window.scrollY").await;
    assert_eq!(scrolled, 600, "the page is long enough to scroll");
    test.write("content/01-first.md", long_page("Text from the editor."));
    browser
        .until(
            "the new text",
            "document.querySelector('main').textContent.includes('Text from the editor.')",
        )
        .await;
    let kept = browser
        .eval(
            "({ kept: window.__kept === 1, y: window.scrollY, \
                answer: document.querySelector('details[data-answer]').open, \
                tab: [...document.querySelectorAll('[data-tabs] > .tab-panel')].map(p => p.hidden), \
                copy: document.querySelectorAll('.code-block .copy-code').length, \
                tabLists: document.querySelectorAll('[data-tabs] > .tab-list').length, \
                nav: !!document.querySelector('[data-nav] a[aria-current=page]'), \
                navKept: document.querySelector('[data-nav] .nav-list') === window.__navList, \
                toc: !!document.querySelector('[data-toc] a[href=\"#section\"]') })",
        )
        .await;
    assert_eq!(
        kept,
        json!({
            "kept": true, "y": 600, "answer": true, "tab": [true, false],
            "copy": 1, "tabLists": 1, "nav": true, "navKept": true, "toc": true,
        }),
        "updated in place: no reload, the scroll position, the open answer and the tab kept, \
         the new content set up once, the sidebar built from nav.js left as it was"
    );

    // The next edit replaces only the blocks it changed: a paragraph it did not touch is
    // the same node, and the answer and the tab stay as the reader left them.
    browser
        .eval("(window.__filler = document.querySelectorAll('main article > p')[5], 1)")
        .await;
    test.write("content/01-first.md", long_page("A second edit."));
    browser
        .until(
            "the second edit",
            "document.querySelector('main').textContent.includes('A second edit.')",
        )
        .await;
    let patched = browser
        .eval(
            "({ kept: window.__kept === 1, \
                same: document.querySelectorAll('main article > p')[5] === window.__filler, \
                navKept: document.querySelector('[data-nav] .nav-list') === window.__navList, \
                old: document.querySelector('main').textContent.includes('Text from the editor.'), \
                answer: document.querySelector('details[data-answer]').open, \
                tab: [...document.querySelectorAll('[data-tabs] > .tab-panel')].map(p => p.hidden), \
                copy: document.querySelectorAll('.code-block .copy-code').length })",
        )
        .await;
    assert_eq!(
        patched,
        json!({ "kept": true, "same": true, "navKept": true, "old": false, "answer": true, "tab": [true, false], "copy": 1 }),
        "the second update patched <main>: untouched blocks kept"
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
async fn the_practice_page_stays_usable_through_edits() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let chapter = |answer: &str| {
        format!(
            "# First\n\n:::question Why cache?\n{answer}\n:::\n\n:::question Why queue?\nTo smooth bursts.\n:::\n\n## Section\n\nEnd.\n"
        )
    };
    let test = book();
    test.write("content/01-first.md", chapter("To save time."));
    let server = serve(&test).await;
    browser.open_live(&server, "practice/").await;
    browser.eval("(window.__kept = 1, 1)").await;
    // Twice: the first update replaces <main> whole, the second is compared block by block.
    for answer in ["To save round trips.", "To save the database."] {
        test.write("content/01-first.md", chapter(answer));
        let wanted = format!("document.querySelector('main').textContent.includes('{answer}')");
        browser.until("the new answer", &wanted).await;
    }
    let state = browser
        .eval(
            "({ kept: window.__kept === 1, \
                marks: [...document.querySelectorAll('[data-practice-question] [data-practice-marks]')].map(m => m.hidden), \
                controls: !document.querySelector('[data-practice-controls]').hidden })",
        )
        .await;
    assert_eq!(
        state,
        json!({ "kept": true, "marks": [false, false], "controls": true }),
        "the updated practice page is set up again: every card has its marks, the controls show"
    );
    // Its buttons work: marking a question known counts it.
    browser
        .click("[data-practice-question] button[data-mark=known]")
        .await;
    let known = browser
        .eval("document.querySelector('[data-practice-known]').textContent")
        .await;
    assert_eq!(known, json!("1"));
    browser.finish(server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blocks_an_edit_did_not_touch_keep_the_readers_choices() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let tabs = |name: &str| {
        format!("::::tabs\n:::tab {name} one\nA.\n:::\n:::tab {name} two\nB.\n:::\n::::\n\n")
    };
    let chapter = |intro: &str, first: bool| {
        format!(
            "# First\n\n{intro}\n\n{}{}## Section\n\nEnd.\n",
            if first { tabs("Left") } else { String::new() },
            tabs("Right")
        )
    };
    let test = book();
    test.write("content/01-first.md", chapter("Start.", true));
    let server = serve(&test).await;
    browser.open_live(&server, "first/").await;
    // The reader picks the second tab of the second group.
    browser
        .eval("(window.guidebook.selectTab(document.querySelectorAll('[data-tabs]')[1], 1, false), 1)")
        .await;
    // A first edit (which replaces <main> whole), then one that removes the first group.
    test.write("content/01-first.md", chapter("Edited.", true));
    browser
        .until(
            "the first edit",
            "document.querySelector('main').textContent.includes('Edited.')",
        )
        .await;
    test.write("content/01-first.md", chapter("Edited.", false));
    browser
        .until(
            "the second edit",
            "document.querySelectorAll('[data-tabs]').length === 1",
        )
        .await;
    let hidden = browser
        .eval("[...document.querySelectorAll('[data-tabs] > .tab-panel')].map(p => p.hidden)")
        .await;
    assert_eq!(
        hidden,
        json!([true, false]),
        "the group the edit left alone keeps the tab the reader chose"
    );
    browser.finish(server).await;
}

/// A chapter long enough to scroll, with an answer, tabs and a code block; `text` opens it.
fn long_page(text: &str) -> String {
    let filler = "A paragraph that takes room on the page so that it scrolls.\n\n".repeat(40);
    format!(
        "# First\n\n{text}\n\n{filler}:::question What is kept?\nThe answer.\n:::\n\n\
         ::::tabs\n:::tab One\nFirst panel.\n:::\n:::tab Two\nSecond panel.\n:::\n::::\n\n\
         ```sh\necho hi\n```\n\n{filler}## Section\n\nEnd.\n"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_stylesheet_in_the_head_still_reloads_the_page() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let page = |head: &str| {
        format!(
            "{{% extends \"base.html\" %}}{{% block head %}}{head}{{% endblock head %}}\
             {{% block main %}}<article class=\"content\">{{{{ page.content | safe }}}}</article>{{% endblock main %}}\n"
        )
    };
    let test = book().file("templates/page.html", page(""));
    let server = serve(&test).await;
    browser.open(&server, "first/").await;
    browser
        .until(
            "the live connection",
            "window.guidebookLive && window.guidebookLive.readyState === 1",
        )
        .await;
    browser.eval("window.__kept = 1").await;
    test.write(
        "templates/page.html",
        page("<link rel=\"stylesheet\" href=\"{{ root }}extra.css\">"),
    );
    browser
        .until(
            "the new stylesheet",
            "document.readyState === 'complete' && !!document.querySelector('link[href$=\"extra.css\"]')",
        )
        .await;
    assert_eq!(
        browser.eval("window.__kept === undefined").await,
        true,
        "a changed <head> reloads the page"
    );
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
    // The switch (under the page heading) reveals every answer, and the choice carries to
    // the next page.
    browser.eval("window.scrollTo(0, 0)").await;
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
async fn the_page_menu_follows_the_menu_button_pattern_by_keyboard() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let test = BookTest::sample_guide();
    let server = serve(&test).await;
    browser.open(&server, "systems/caching/").await;
    browser
        .until(
            "the page menu button",
            "document.querySelector('.page-menu-button:not([hidden])')",
        )
        .await;
    let button = browser.find(".page-menu-button").await;
    let focused = "document.activeElement.textContent.trim()";
    browser
        .eval("document.querySelector('.page-menu-button').focus()")
        .await;
    press(&button, Key::Enter).await;
    assert_eq!(
        browser
            .eval("document.querySelector('.page-menu-button').getAttribute('aria-expanded')")
            .await,
        "true"
    );
    assert_eq!(
        browser
            .eval("document.activeElement.getAttribute('role')")
            .await,
        "menuitem",
        "opening moves the focus into the menu"
    );
    assert!(
        browser
            .eval(focused)
            .await
            .as_str()
            .unwrap()
            .starts_with("Copy page"),
        "the first item first"
    );
    let active = browser.client.active_element().await.unwrap();
    press(&active, Key::Down).await;
    assert!(
        browser
            .eval(focused)
            .await
            .as_str()
            .unwrap()
            .starts_with("View as Markdown")
    );
    let active = browser.client.active_element().await.unwrap();
    press(&active, Key::Down).await;
    assert!(
        browser
            .eval(focused)
            .await
            .as_str()
            .unwrap()
            .starts_with("Copy page"),
        "the arrows wrap around"
    );
    let active = browser.client.active_element().await.unwrap();
    press(&active, Key::End).await;
    assert!(
        browser
            .eval(focused)
            .await
            .as_str()
            .unwrap()
            .starts_with("View as Markdown"),
        "End goes to the last item (no assistants without a base URL)"
    );
    let active = browser.client.active_element().await.unwrap();
    press(&active, Key::Escape).await;
    assert_eq!(
        browser
            .eval("[document.activeElement.classList.contains('page-menu-button'), document.querySelector('.page-menu-button').getAttribute('aria-expanded'), getComputedStyle(document.querySelector('.page-menu-list')).display]")
            .await,
        json!([true, "false", "none"]),
        "Escape closes the menu and gives the focus back"
    );
    // Up opens it on the last item, which links the twin; Tab leaves and closes it.
    press(&button, Key::Up).await;
    assert_eq!(
        browser
            .eval("document.activeElement.getAttribute('href')")
            .await,
        "../caching.md"
    );
    let active = browser.client.active_element().await.unwrap();
    press(&active, Key::Tab).await;
    assert_eq!(
        browser
            .eval("document.querySelector('.page-menu-button').getAttribute('aria-expanded')")
            .await,
        "false"
    );
    browser.finish(server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn links_on_the_print_page_stay_on_it() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let test = BookTest::sample_guide();
    let server = serve(&test).await;
    browser.open(&server, "systems/caching/").await;
    browser.click(".print-link").await;
    browser
        .until(
            "the print page",
            "location.pathname === '/print/index.html' || location.pathname === '/print/'",
        )
        .await;
    // A link from one chapter to another: on the print page it leads down the same page.
    let target = browser
        .eval(
            "(() => { const a = [...document.querySelectorAll('.print-section p a[href^=\"#\"]')].find(a => !a.matches('.anchor, .footnote-back') && a.closest('.print-section').id !== decodeURIComponent(a.getAttribute('href').slice(1)).split(':')[0]); a.scrollIntoView(); a.click(); return a.getAttribute('href'); })()",
        )
        .await;
    let target = target
        .as_str()
        .expect("a link between chapters")
        .to_string();
    browser
        .until(
            "the jump",
            &format!("location.hash === {}", serde_json::json!(target)),
        )
        .await;
    let landed = browser
        .eval("(() => { const el = document.getElementById(decodeURIComponent(location.hash.slice(1))); return [location.pathname, !!el, el && Math.abs(el.getBoundingClientRect().top) < 200]; })()")
        .await;
    assert!(
        landed[0] == "/print/index.html" || landed[0] == "/print/",
        "{landed}"
    );
    assert_eq!(landed[1], true, "{target} is on the print page");
    assert_eq!(landed[2], true, "and scrolled to");
    let answers = browser
        .eval("[...document.querySelectorAll('details.answer')].every(d => d.open)")
        .await;
    assert_eq!(answers, true, "answers are shown");
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_finds_no_accessibility_violations() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    // One page breaks a rule on purpose: the check must be able to fail.
    let test = BookTest::sample_guide().file(
        "content/99-broken.md",
        "# Broken\n\n<img src=\"nothing.svg\">\n",
    );
    let server = serve(&test).await;
    wait_for_file(server.local_addr(), "/pagefind/pagefind.js").await;
    browser.open(&server, "broken/").await;
    browser
        .until("the page", "document.readyState === 'complete'")
        .await;
    let control = browser.axe_violations().await;
    assert!(
        control.iter().any(|v| v.starts_with("image-alt:")),
        "axe finds the missing alt text: {control:?}"
    );
    let mut failures = Vec::new();
    for width in [1280, 390] {
        browser.client.set_window_size(width, 900).await.unwrap();
        for theme in ["light", "dark"] {
            for (name, path) in [
                ("home", ""),
                ("callouts", "foundations/answering-questions/"),
                ("search", "systems/caching/"),
                ("404", "no/such/page/"),
                ("glossary", "glossary/"),
                ("practice", "question-drill/"),
            ] {
                browser.open_themed(&server, path, theme).await;
                if name == "search" {
                    browser.click("input[type=search]").await;
                    browser
                        .find("input[type=search]")
                        .await
                        .send_keys("cache")
                        .await
                        .unwrap();
                    browser
                        .until(
                            "search results",
                            "document.querySelectorAll('.search-result').length > 0",
                        )
                        .await;
                }
                for violation in browser.axe_violations().await {
                    failures.push(format!("{name} at {width}px, {theme}: {violation}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    browser.finish(server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_contents_follow_the_section_being_read() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let test = BookTest::sample_guide();
    let server = serve(&test).await;
    let current = "[...document.querySelectorAll('[data-toc] a[aria-current]')].map(a => a.getAttribute('href')).join(' ')";
    // A deep link marks its section as soon as the page opens.
    browser
        .open(&server, "systems/caching/#cache-invalidation")
        .await;
    browser
        .until(
            "the linked section",
            &format!("{current} === '#cache-invalidation'"),
        )
        .await;
    // Scrolling moves the mark, in both copies of the contents.
    browser
        .eval("document.getElementById('read-path').scrollIntoView()")
        .await;
    browser
        .until(
            "the section scrolled to",
            &format!("{current} === '#read-path'"),
        )
        .await;
    assert_eq!(
        browser
            .eval(
                "document.querySelector('[data-toc-inline] a[aria-current]').getAttribute('href')"
            )
            .await,
        "#read-path"
    );
    // Above the first section, nothing is marked.
    browser.eval("window.scrollTo(0, 0)").await;
    browser
        .until("no section", &format!("{current} === ''"))
        .await;
    // At the very bottom, a linked short section wins over the last one.
    browser
        .open(&server, "systems/caching/#is-a-cache-worth-it")
        .await;
    browser
        .until(
            "the short linked section",
            &format!("{current} === '#is-a-cache-worth-it'"),
        )
        .await;
    browser.finish(server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mermaid_diagram_is_drawn_and_redrawn_for_the_other_theme() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let test = BookTest::sample_guide();
    let server = serve(&test).await;
    // A page without a diagram does not load Mermaid.
    browser
        .open_themed(&server, "systems/caching/", "light")
        .await;
    assert_eq!(
        browser
            .eval("!window.mermaid && !document.querySelector('script[src*=\"mermaid\"]')")
            .await,
        true
    );
    browser
        .open(&server, "systems/queues-and-back-pressure/")
        .await;
    let drawn = "document.querySelector('pre[data-mermaid][data-diagram] svg')";
    browser.until("the diagram", drawn).await;
    assert_eq!(
        browser
            .eval("document.querySelector('pre[data-mermaid] svg').textContent.includes('Bounded queue')")
            .await,
        true
    );
    // On a phone the diagram keeps a legible size and scrolls in its box, which the
    // keyboard can then reach.
    browser.client.set_window_size(390, 844).await.unwrap();
    browser
        .until(
            "a diagram that scrolls",
            "document.querySelector('.diagram').hasAttribute('data-overflow') && document.querySelector('pre[data-mermaid]').tabIndex === 0",
        )
        .await;
    assert_eq!(
        browser
            .eval("document.querySelector('pre[data-mermaid] svg').getBoundingClientRect().width >= 400")
            .await,
        true
    );
    browser
        .eval(&format!("{drawn}.setAttribute('data-first', '')"))
        .await;
    browser.click("[data-theme-toggle]").await;
    browser
        .until(
            "the diagram drawn again",
            &format!("{drawn} && !{drawn}.hasAttribute('data-first')"),
        )
        .await;
    browser.finish(server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_shows_nothing_wider_than_the_screen_and_text_on_the_first_screen() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let test = BookTest::sample_guide().file(
        "content/05-wide.md",
        "# Wide things\n\nA long address: https://example.com/a/very/long/path/that/never/ends/and/keeps/going/on/and/on/index.html and a long word: Donaudampfschifffahrtsgesellschaftskapitaenswitwenrentenversicherung.\n\n```rust\nfn main() { println!(\"a line of code that is much wider than any phone screen could ever show at once\"); }\n```\n\n```text\nshort\n```\n\n| a | b | c | d | e |\n|---|---|---|---|---|\n| somewhat long cell | another long cell | and one more | and more | the last long cell |\n\n`an_inline_identifier_that_is_far_too_long_to_fit_on_one_line_of_a_phone`\n",
    );
    let server = serve(&test).await;
    browser.client.set_window_size(390, 844).await.unwrap();
    browser.open(&server, "").await;
    browser
        .until("the page", "document.readyState === 'complete'")
        .await;
    let pages = browser
        .eval("(function walk(list) { return list.flatMap(e => [e.u].concat(walk(e.c || []))); })(window.GUIDEBOOK_NAV)")
        .await;
    let pages: Vec<String> = serde_json::from_value(pages).unwrap();
    assert!(pages.len() > 8, "{pages:?}");
    for page in std::iter::once("").chain(pages.iter().map(String::as_str)) {
        browser.open(&server, page).await;
        browser
            .until("the page", "document.readyState === 'complete'")
            .await;
        let width = browser
            .eval(
                "document.documentElement.scrollWidth + ' ' + document.documentElement.clientWidth",
            )
            .await;
        let (scroll, inner) = width.as_str().unwrap().split_once(' ').unwrap();
        assert_eq!(scroll, inner, "/{page} is wider than the screen");
        // A chapter's text starts on its first screen, below a compact header.
        let top = browser
            .eval("(document.querySelector('.page-header + *') || document.body).getBoundingClientRect().top < window.innerHeight - 48")
            .await;
        assert_eq!(top, true, "/{page}: the text starts below the first screen");
    }
    // The wide code scrolls in its own box, which then takes the keyboard focus; the short
    // block does not become a tab stop.
    browser.open(&server, "wide/").await;
    browser
        .until("the page", "document.readyState === 'complete'")
        .await;
    assert_eq!(
        browser
            .eval("[...document.querySelectorAll('.code-block')].map(b => b.hasAttribute('data-overflow') + '/' + b.querySelector('pre').getAttribute('tabindex')).join(' ')")
            .await,
        "true/0 false/null"
    );
    // The practice switch has a visible label, and tab labels stay on one scrolling row.
    browser.open(&server, "systems/caching/").await;
    browser
        .until("the page", "document.readyState === 'complete'")
        .await;
    assert_eq!(
        browser
            .eval("document.querySelector('.practice-text').getBoundingClientRect().width > 40")
            .await,
        true
    );
    assert_eq!(
        browser
            .eval("getComputedStyle(document.querySelector('.tab-list')).flexWrap + ' ' + getComputedStyle(document.querySelector('.tab-list')).overflowX")
            .await,
        "nowrap auto"
    );
    browser.finish(server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_header_stays_put_between_pages() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let test = BookTest::sample_guide();
    let server = serve(&test).await;
    let mut places = Vec::new();
    // A page with questions (and so the practice switch), then one without.
    for path in ["systems/caching/", "how-to-use-this-guide/"] {
        browser.open(&server, path).await;
        browser
            .until("the page", "document.readyState === 'complete'")
            .await;
        places.push(
            browser
                .eval("JSON.stringify(document.querySelector('input[type=search]').getBoundingClientRect())")
                .await,
        );
    }
    assert_eq!(
        browser
            .eval("!!document.querySelector('[data-practice-toggle]')")
            .await,
        false,
        "the second page has no questions"
    );
    assert_eq!(places[0], places[1]);
    browser.finish(server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_phone_menu_takes_the_focus_and_gives_it_back() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let test = BookTest::sample_guide();
    let server = serve(&test).await;
    browser.client.set_window_size(390, 844).await.unwrap();
    browser.open(&server, "systems/caching/").await;
    browser
        .until("the page", "document.readyState === 'complete'")
        .await;
    let in_drawer = "document.querySelector('.sidebar').contains(document.activeElement)";
    let on_button = "document.activeElement === document.querySelector('[data-menu-toggle]')";
    browser.click("[data-menu-toggle]").await;
    browser.until("focus in the drawer", in_drawer).await;
    assert_eq!(
        browser
            .eval("document.activeElement.getAttribute('aria-current')")
            .await,
        "page",
        "on the current chapter"
    );
    press(&browser.find("body").await, Key::Escape).await;
    browser.until("focus on the menu button", on_button).await;
    // The button closes it too, and the focus stays with the button.
    browser.click("[data-menu-toggle]").await;
    browser.until("focus in the drawer", in_drawer).await;
    browser.click("[data-menu-toggle]").await;
    browser.until("focus on the menu button", on_button).await;
    assert_eq!(
        browser
            .eval("document.body.classList.contains('nav-open')")
            .await,
        false
    );
    // Parts fold with a button beside their link (no link inside a <summary>).
    assert_eq!(
        browser
            .eval("document.querySelectorAll('.sidebar summary').length === 0 && document.querySelectorAll('.sidebar .nav-toggle[aria-expanded]').length > 0")
            .await,
        true
    );
    browser.finish(server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_emoji_icon_or_its_fallback_shows_never_both() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let test = BookTest::empty()
        .file(
            "book.toml",
            "[book]\ntitle = \"E\"\n[callouts.war-story]\nicon = \"🔥\"\nstyle = \"warning\"\n",
        )
        .file("content/01-a.md", "# A\n\n:::war-story Hot\nText.\n:::\n");
    let server = serve(&test).await;
    browser.open(&server, "a/").await;
    browser
        .until("the page", "document.readyState === 'complete'")
        .await;
    // Which one shows depends on the fonts of the machine; exactly one must.
    let shown = browser
        .eval("['.emoji', '.emoji-fallback'].map(s => getComputedStyle(document.querySelector('.callout-icon ' + s)).display !== 'none')")
        .await;
    assert!(
        shown == json!([true, false]) || shown == json!([false, true]),
        "{shown}"
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
    for theme in ["light", "dark"] {
        for (name, path) in [
            ("caching", "systems/caching/"),
            ("answering", "foundations/answering-questions/"),
            ("debugging", "foundations/debugging-method/"),
            ("queues", "systems/queues-and-back-pressure/"),
            ("home", ""),
            ("missing", "no/such/page/"),
            ("glossary", "glossary/"),
            ("practice", "question-drill/"),
        ] {
            for width in [1280, 390] {
                browser.client.set_window_size(width, 1000).await.unwrap();
                browser.open(&server, path).await;
                browser
                    .eval(&format!(
                        "localStorage.setItem('guidebook-theme', '{theme}')"
                    ))
                    .await;
                browser.open(&server, path).await;
                browser
                    .until("the page", "document.readyState === 'complete'")
                    .await;
                // Diagrams draw after the load event.
                browser
                    .until(
                        "the diagrams",
                        "[...document.querySelectorAll('pre[data-mermaid]')].every(p => p.querySelector('svg'))",
                    )
                    .await;
                let png = browser.client.screenshot().await.unwrap();
                let file = format!("{name}-{width}-{theme}.png");
                std::fs::write(folder.join(file), png).unwrap();
                if name == "practice" {
                    // Marks given and an answer open.
                    browser
                        .eval("(() => { const q = document.querySelectorAll('[data-practice-question]'); q[0].querySelector('button[data-mark=known]').click(); q[1].querySelector('button[data-mark=review]').click(); q[1].querySelector('summary').click(); return true; })()")
                        .await;
                    let png = browser.client.screenshot().await.unwrap();
                    std::fs::write(
                        folder.join(format!("{name}-{width}-{theme}-marked.png")),
                        png,
                    )
                    .unwrap();
                    browser.eval("localStorage.clear() || true").await;
                }
                if name == "caching" {
                    // A link to a war story, previewed.
                    browser
                        .eval("(() => { const a = document.querySelector('a[data-preview]'); a.scrollIntoView({block: 'center'}); a.dispatchEvent(new MouseEvent('mouseenter')); return true; })()")
                        .await;
                    let png = browser.client.screenshot().await.unwrap();
                    std::fs::write(
                        folder.join(format!("{name}-{width}-{theme}-preview.png")),
                        png,
                    )
                    .unwrap();
                    browser.eval("window.scrollTo(0, 0)").await;
                }
                if !matches!(name, "caching" | "queues" | "answering") {
                    continue;
                }
                // A second screen further down, where the tabs, code and diagrams are.
                browser.eval("window.scrollTo(0, 2600)").await;
                tokio::time::sleep(Duration::from_millis(150)).await;
                let png = browser.client.screenshot().await.unwrap();
                let file = format!("{name}-{width}-{theme}-below.png");
                std::fs::write(folder.join(file), png).unwrap();
            }
        }
    }
    browser.finish(server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn practice_marks_survive_a_reload_and_the_filter_shows_the_rest() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let test = BookTest::sample_guide();
    let server = serve(&test).await;
    browser.open(&server, "question-drill/").await;
    let ready = "document.readyState === 'complete' && !document.querySelector('[data-practice-controls]').hidden";
    browser.until("the practice page", ready).await;
    let total = browser
        .eval("document.querySelectorAll('[data-practice-question]').length")
        .await
        .as_u64()
        .unwrap();
    assert!(total > 2, "the sample guide has questions");
    let progress = "document.querySelector('[data-practice-progress]').textContent.trim()";
    assert_eq!(browser.eval(progress).await, format!("0 of {total} known"));
    // One answer at a time: opening the second closes the first.
    browser
        .click("[data-practice-question]:nth-of-type(1) details[data-answer] > summary")
        .await;
    let second = "document.querySelectorAll('[data-practice-question] details[data-answer]')[1]";
    browser
        .eval(&format!("{second}.querySelector('summary').click()"))
        .await;
    assert_eq!(
        browser
            .eval("[...document.querySelectorAll('[data-practice-question] details[data-answer]')].filter(d => d.open).length")
            .await,
        1,
        "one answer open at a time"
    );
    // Mark the first question as known, the second for review.
    browser
        .eval("document.querySelectorAll('[data-practice-question]')[0].querySelector('button[data-mark=known]').click()")
        .await;
    browser
        .eval("document.querySelectorAll('[data-practice-question]')[1].querySelector('button[data-mark=review]').click()")
        .await;
    assert_eq!(browser.eval(progress).await, format!("1 of {total} known"));
    // The marks are still there after a reload.
    browser.client.refresh().await.unwrap();
    browser.until("the reloaded page", ready).await;
    assert_eq!(
        browser.eval(progress).await,
        format!("1 of {total} known"),
        "the count survives a reload"
    );
    assert_eq!(
        browser
            .eval("document.querySelectorAll('[data-practice-question]')[0].querySelector('button[data-mark=known]').getAttribute('aria-pressed')")
            .await,
        "true"
    );
    assert_eq!(
        browser
            .eval("document.querySelectorAll('[data-practice-question]')[1].querySelector('button[data-mark=review]').getAttribute('aria-pressed')")
            .await,
        "true"
    );
    // The filter leaves only the questions to review.
    browser.click("[data-practice-filter]").await;
    let visible = "[...document.querySelectorAll('[data-practice-question]')].filter(q => q.offsetParent !== null).length";
    assert_eq!(browser.eval(visible).await, total - 1);
    assert_eq!(
        browser
            .eval("document.querySelectorAll('[data-practice-question]')[0].offsetParent === null")
            .await,
        true,
        "the known question is hidden"
    );
    browser.click("[data-practice-filter]").await;
    assert_eq!(browser.eval(visible).await, total);
    // Shuffling keeps every question.
    browser.click("[data-practice-shuffle]").await;
    assert_eq!(browser.eval(visible).await, total);
    browser.finish(server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_to_a_callout_previews_it_on_keyboard_focus() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let test = BookTest::sample_guide();
    let server = serve(&test).await;
    browser.open(&server, "systems/caching/").await;
    browser
        .until("the page", "document.readyState === 'complete'")
        .await;
    let link = "document.querySelector('a[href*=\"#hourly-slowdown\"]')";
    assert_eq!(
        browser
            .eval(&format!("{link}.textContent.startsWith('War Story 1: ')"))
            .await,
        true,
        "the reference is filled with the story's number and title"
    );
    let tip = "document.querySelector('[role=tooltip]')";
    assert_eq!(
        browser.eval(&format!("!{tip} || {tip}.hidden")).await,
        true,
        "no preview before focus"
    );
    // Tab through the page until the link has the focus, as a keyboard reader would.
    let mut reached = false;
    for _ in 0..200 {
        let focused = browser.client.active_element().await.unwrap();
        press(&focused, Key::Tab).await;
        if browser
            .eval(&format!("document.activeElement === {link}"))
            .await
            == true
        {
            reached = true;
            break;
        }
    }
    assert!(reached, "the link takes the keyboard focus");
    assert_eq!(
        browser.eval(&format!("!{tip}.hidden")).await,
        true,
        "focus shows the preview"
    );
    assert_eq!(
        browser
            .eval(&format!(
                "{link}.getAttribute('aria-describedby') === {tip}.id"
            ))
            .await,
        true,
        "the link is described by the preview"
    );
    assert_eq!(
        browser
            .eval(&format!(
                "{tip}.textContent.includes({link}.getAttribute('data-preview'))"
            ))
            .await,
        true
    );
    let focused = browser
        .client
        .active_element()
        .await
        .expect("a focused element");
    press(&focused, Key::Escape).await;
    assert_eq!(
        browser.eval(&format!("{tip}.hidden")).await,
        true,
        "Escape closes the preview"
    );
    assert_eq!(
        browser
            .eval(&format!("{link}.hasAttribute('aria-describedby')"))
            .await,
        false
    );
    browser.finish(server).await;
}
