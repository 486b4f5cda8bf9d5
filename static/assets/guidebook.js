/* guidebook's built-in page script. Everything here is an enhancement: every page reads
   and navigates without it. Replace it by adding static/assets/guidebook.js to a book. */
(function () {
  "use strict";

  var doc = document;
  var root = doc.documentElement;
  var body = doc.body;
  var siteRoot = body.getAttribute("data-root") || "";
  var pageUrl = (body.getAttribute("data-url") || "/").replace(/^\//, "");

  function store(key, value) {
    try {
      if (value === undefined) return localStorage.getItem(key);
      localStorage.setItem(key, value);
    } catch (e) {
      return null;
    }
    return value;
  }

  function reveal(el) {
    if (el) el.hidden = false;
  }

  /* The page's content can be set up again: the live preview swaps in a new <main>, sidebar
     and contents and calls guidebook.enhance(). Each element is set up once per feature. */
  function once(el, what) {
    var done = el.__guidebook || (el.__guidebook = {});
    if (done[what]) return false;
    done[what] = true;
    return true;
  }

  function each(selector, what, fn) {
    Array.prototype.forEach.call(doc.querySelectorAll(selector), function (el) {
      if (once(el, what)) fn(el);
    });
  }

  // The theme's CSS shows the chapters in place of the drawer until this is set. The inline
  // script in <head> sets it early (so the drawer never slides shut on load) and takes it
  // back if this file never ran; a base.html of a book's own gets it from here.
  doc.documentElement.setAttribute("data-js", "ready");

  /* ------------------------------------------------------------ theme */

  var themeButton = doc.querySelector("[data-theme-toggle]");
  var darkQuery = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function currentTheme() {
    var chosen = root.getAttribute("data-theme");
    if (chosen === "light" || chosen === "dark") return chosen;
    return darkQuery && darkQuery.matches ? "dark" : "light";
  }

  function labelThemeButton() {
    if (!themeButton) return;
    var next = currentTheme() === "dark" ? "light" : "dark";
    themeButton.setAttribute("aria-label", "Switch to the " + next + " theme");
    themeButton.title = "Switch to the " + next + " theme";
  }

  if (themeButton) {
    reveal(themeButton);
    labelThemeButton();
    themeButton.addEventListener("click", function () {
      var next = currentTheme() === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      store("guidebook-theme", next);
      labelThemeButton();
    });
    if (darkQuery && darkQuery.addEventListener) darkQuery.addEventListener("change", labelThemeButton);
  }

  /* ------------------------------------------------------------ navigation */

  var sidebar = doc.querySelector("[data-nav]");
  var menuButton = doc.querySelector("[data-menu-toggle]");

  var navGroups = 0;

  /* A part is a link and, beside it, a button that folds its chapters (a link inside a
     <summary> would be a control inside a control). */
  function buildNav(entries, list, depth) {
    entries.forEach(function (entry) {
      var li = doc.createElement("li");
      li.className = "nav-item";
      var link = doc.createElement("a");
      link.href = siteRoot + encodeURI(entry.u) + "index.html";
      link.textContent = entry.t;
      var current = entry.u === pageUrl;
      var onPath = current || pageUrl.indexOf(entry.u) === 0;
      if (current) link.setAttribute("aria-current", "page");
      if (entry.c && entry.c.length) {
        li.className += " nav-part" + (onPath ? " active" : "");
        var open = onPath || depth > 1;
        var row = doc.createElement("div");
        row.className = "nav-row";
        var toggle = doc.createElement("button");
        toggle.type = "button";
        toggle.className = "nav-toggle";
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
        toggle.setAttribute("aria-label", "Chapters in " + entry.t);
        var ul = doc.createElement("ul");
        ul.id = "nav-group-" + (++navGroups);
        ul.hidden = !open;
        toggle.setAttribute("aria-controls", ul.id);
        toggle.addEventListener("click", function () {
          var show = toggle.getAttribute("aria-expanded") !== "true";
          toggle.setAttribute("aria-expanded", show ? "true" : "false");
          ul.hidden = !show;
        });
        row.appendChild(link);
        row.appendChild(toggle);
        li.appendChild(row);
        buildNav(entry.c, ul, depth + 1);
        li.appendChild(ul);
      } else {
        if (onPath) li.className += " active";
        li.appendChild(link);
      }
      list.appendChild(li);
    });
  }

  /* The page carries the chapters near it; the whole tree comes from nav.js, once per site.
     A theme that renders its own sidebar drops `data-nav-full` to keep its markup. */
  function setUpNav() {
    var navList = sidebar && sidebar.querySelector(".nav-list");
    if (!navList || !once(navList, "nav")) return;
    if (sidebar.hasAttribute("data-nav-full") && Array.isArray(window.GUIDEBOOK_NAV)) {
      var home = navList.querySelector(".nav-home");
      var fresh = doc.createElement("ul");
      fresh.className = "nav-list";
      once(fresh, "nav");
      if (home) fresh.appendChild(home);
      buildNav(window.GUIDEBOOK_NAV, fresh, 1);
      navList.replaceWith(fresh);
    }
    var currentLink = sidebar.querySelector('[aria-current="page"]');
    if (currentLink && currentLink.scrollIntoView && sidebar.scrollHeight > sidebar.clientHeight) {
      var top = currentLink.getBoundingClientRect().top - sidebar.getBoundingClientRect().top;
      if (top > sidebar.clientHeight * 0.7) sidebar.scrollTop = top - sidebar.clientHeight / 3;
    }
  }

  function setMenu(open) {
    body.classList.toggle("nav-open", open);
    if (menuButton) {
      menuButton.setAttribute("aria-expanded", open ? "true" : "false");
      menuButton.setAttribute("aria-label", open ? "Hide the book's chapters" : "Show the book's chapters");
    }
  }

  if (menuButton && sidebar) {
    reveal(menuButton);
    // Focus goes into the drawer when it opens, and back to the button when it closes
    // (unless the reader moved it somewhere else on the page).
    var closeMenu = function () {
      var inside = sidebar.contains(doc.activeElement);
      setMenu(false);
      if (inside) menuButton.focus();
    };
    menuButton.addEventListener("click", function () {
      if (body.classList.contains("nav-open")) {
        closeMenu();
        return;
      }
      setMenu(true);
      var first = sidebar.querySelector('[aria-current="page"]') || sidebar.querySelector("a");
      if (first) first.focus({ preventScroll: false });
    });
    doc.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && body.classList.contains("nav-open")) {
        setMenu(false);
        menuButton.focus();
      }
    });
    doc.addEventListener("click", function (event) {
      if (body.classList.contains("nav-open") && !sidebar.contains(event.target) && !menuButton.contains(event.target)) {
        closeMenu();
      }
    });
    // Tabbing out of the open drawer closes it, so focus never hides behind the backdrop.
    sidebar.addEventListener("focusout", function (event) {
      if (body.classList.contains("nav-open") && event.relatedTarget && !sidebar.contains(event.relatedTarget) && event.relatedTarget !== menuButton) {
        setMenu(false);
      }
    });
  }

  /* ------------------------------------------------------------ copying */

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = doc.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      body.appendChild(area);
      area.select();
      var ok = false;
      try {
        ok = doc.execCommand("copy");
      } catch (e) {
        ok = false;
      }
      body.removeChild(area);
      if (ok) resolve();
      else reject(new Error("copy failed"));
    });
  }

  function flash(button, text) {
    var original = button.getAttribute("data-label") || button.textContent;
    button.setAttribute("data-label", original);
    button.textContent = text;
    button.setAttribute("data-copied", "");
    setTimeout(function () {
      button.textContent = original;
      button.removeAttribute("data-copied");
    }, 1800);
  }

  function setUpCopyButtons() {
    each(".code-block", "copy", copyButton);
  }

  function copyButton(block) {
    var code = block.querySelector("pre code");
    if (!code) return;
    var button = doc.createElement("button");
    button.type = "button";
    button.className = "copy-code";
    button.textContent = "Copy";
    button.setAttribute("aria-label", "Copy this code");
    button.addEventListener("click", function () {
      copyText(code.textContent).then(
        function () { flash(button, "Copied"); },
        function () { flash(button, "Press Ctrl+C"); }
      );
    });
    block.appendChild(button);
  }

  /* ------------------------------------------------------- page menu */

  // The WAI-ARIA menu button pattern. Without this script the menu's links show as a row.
  function copyPageText(item) {
    var label = item.querySelector(".page-menu-label") || item;
    if (location.protocol === "file:") {
      flash(label, "Needs the site served");
      return;
    }
    fetch(item.getAttribute("data-copy-page"))
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(copyText)
      .then(
        function () { flash(label, "Copied as Markdown"); },
        function () { flash(label, "Could not copy"); }
      );
  }

  function pageMenu(menu, number) {
    var button = menu.querySelector(".page-menu-button");
    var list = menu.querySelector(".page-menu-list");
    if (!button || !list) return;
    Array.prototype.forEach.call(list.children, function (li) {
      li.hidden = false;
      li.setAttribute("role", "none");
    });
    var items = Array.prototype.slice.call(list.querySelectorAll(".page-menu-item"));
    button.id = "page-menu-button-" + number;
    list.id = "page-menu-" + number;
    list.setAttribute("role", "menu");
    list.setAttribute("aria-labelledby", button.id);
    button.setAttribute("aria-controls", list.id);
    items.forEach(function (item) {
      item.setAttribute("role", "menuitem");
      item.tabIndex = -1;
    });
    menu.setAttribute("data-enhanced", "");
    reveal(button);

    function isOpen() { return button.getAttribute("aria-expanded") === "true"; }
    function open(index) {
      button.setAttribute("aria-expanded", "true");
      menu.setAttribute("data-open", "");
      items[(index + items.length) % items.length].focus();
    }
    function close(focusButton) {
      if (!isOpen()) return;
      button.setAttribute("aria-expanded", "false");
      menu.removeAttribute("data-open");
      if (focusButton) button.focus();
    }

    button.addEventListener("click", function () {
      if (isOpen()) close(true); else open(0);
    });
    button.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        open(0);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        open(items.length - 1);
      }
    });
    list.addEventListener("keydown", function (event) {
      var index = items.indexOf(doc.activeElement);
      var next = null;
      if (event.key === "ArrowDown") next = index + 1;
      else if (event.key === "ArrowUp") next = index - 1;
      else if (event.key === "Home") next = 0;
      else if (event.key === "End") next = items.length - 1;
      else if (event.key === "Escape") {
        event.preventDefault();
        close(true);
        return;
      } else if (event.key === "Tab") {
        close(false);
        return;
      } else if (event.key === " " && doc.activeElement.tagName === "A") {
        event.preventDefault();
        doc.activeElement.click();
        return;
      } else if (event.key.length === 1 && /\S/.test(event.key)) {
        // Typing a letter moves to the next item that starts with it.
        var letter = event.key.toLowerCase();
        for (var step = 1; step <= items.length; step++) {
          var candidate = items[(index + step) % items.length];
          if (candidate.textContent.trim().toLowerCase().charAt(0) === letter) {
            candidate.focus();
            break;
          }
        }
        return;
      }
      if (next !== null) {
        event.preventDefault();
        items[(next + items.length) % items.length].focus();
      }
    });
    items.forEach(function (item) {
      item.addEventListener("click", function () {
        if (item.hasAttribute("data-copy-page")) copyPageText(item);
        setTimeout(function () { close(true); }, item.hasAttribute("data-copy-page") ? 900 : 0);
      });
    });
    doc.addEventListener("click", function (event) {
      if (isOpen() && !menu.contains(event.target)) close(false);
    });
  }

  var pageMenus = 0;

  function setUpPageMenus() {
    each("[data-page-menu]", "menu", function (menu) { pageMenu(menu, pageMenus++); });
    each("[data-print-now]", "print", function (button) {
      reveal(button);
      button.addEventListener("click", function () { window.print(); });
    });
  }

  /* ------------------------------------------------------------ tabs */

  var tabGroups = 0;

  // Only a group's own tabs and panels: tabs may hold tabs of their own.
  function selectTab(group, index, focus) {
    var tabs = group.querySelectorAll(':scope > .tab-list > [role="tab"]');
    var panels = group.querySelectorAll(":scope > .tab-panel");
    Array.prototype.forEach.call(tabs, function (tab, i) {
      var selected = i === index;
      tab.setAttribute("aria-selected", selected ? "true" : "false");
      tab.tabIndex = selected ? 0 : -1;
      panels[i].hidden = !selected;
      if (selected && focus) tab.focus();
    });
  }

  function selectLabel(label) {
    Array.prototype.forEach.call(doc.querySelectorAll("[data-tabs][data-enhanced]"), function (group) {
      var panels = group.querySelectorAll(":scope > .tab-panel");
      for (var i = 0; i < panels.length; i++) {
        if (panels[i].getAttribute("data-tab") === label) selectTab(group, i, false);
      }
    });
  }

  function setUpTabs() {
    each("[data-tabs]", "tabs", tabGroup);
  }

  function tabGroup(group) {
    var panels = group.querySelectorAll(":scope > .tab-panel");
    if (!panels.length) return;
    tabGroups += 1;
    var list = doc.createElement("div");
    list.className = "tab-list";
    list.setAttribute("role", "tablist");
    Array.prototype.forEach.call(panels, function (panel, i) {
      var id = "tabs-" + tabGroups + "-" + i;
      var tab = doc.createElement("button");
      tab.type = "button";
      tab.id = id + "-tab";
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", id);
      var label = panel.querySelector(".tab-label");
      tab.innerHTML = label ? label.innerHTML : panel.getAttribute("data-tab");
      panel.id = id;
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
      panel.tabIndex = 0;
      tab.addEventListener("click", function () {
        selectTab(group, i, false);
        store("guidebook-tab", panel.getAttribute("data-tab"));
        selectLabel(panel.getAttribute("data-tab"));
      });
      tab.addEventListener("keydown", function (event) {
        var last = panels.length - 1;
        var next = null;
        if (event.key === "ArrowRight") next = i === last ? 0 : i + 1;
        else if (event.key === "ArrowLeft") next = i === 0 ? last : i - 1;
        else if (event.key === "Home") next = 0;
        else if (event.key === "End") next = last;
        if (next === null) return;
        event.preventDefault();
        selectTab(group, next, true);
        store("guidebook-tab", panels[next].getAttribute("data-tab"));
      });
      list.appendChild(tab);
    });
    group.insertBefore(list, panels[0]);
    group.setAttribute("data-enhanced", "");
    var remembered = store("guidebook-tab");
    var start = 0;
    Array.prototype.forEach.call(panels, function (panel, i) {
      if (remembered && panel.getAttribute("data-tab") === remembered) start = i;
    });
    selectTab(group, start, false);
  }

  /* ------------------------------------------------------------ practice mode */

  function setPractice(on, save) {
    var practiceButton = doc.querySelector("[data-practice-toggle]");
    Array.prototype.forEach.call(doc.querySelectorAll("details[data-answer]"), function (answer) {
      answer.open = !on;
    });
    if (practiceButton) {
      practiceButton.setAttribute("aria-checked", on ? "true" : "false");
      practiceButton.title = on ? "Practice mode is on: answers are hidden" : "Practice mode is off: answers are shown";
    }
    root.setAttribute("data-practice", on ? "on" : "off");
    if (save) store("guidebook-practice", on ? "on" : "off");
  }

  function setUpPracticeMode() {
    var practiceButton = doc.querySelector("[data-practice-toggle]");
    if (!practiceButton || !once(practiceButton, "practice")) return;
    reveal(practiceButton);
    setPractice(store("guidebook-practice") !== "off", false);
    practiceButton.addEventListener("click", function () {
      setPractice(practiceButton.getAttribute("aria-checked") !== "true", true);
    });
  }

  /* ------------------------------------------------------------ links into closed blocks */

  function openTo(hash) {
    if (!hash || hash.length < 2) return;
    var target;
    try {
      target = doc.getElementById(decodeURIComponent(hash.slice(1)));
    } catch (e) {
      target = null;
    }
    for (var el = target && target.parentElement; el; el = el.parentElement) {
      if (el.tagName === "DETAILS") el.open = true;
      if (el.classList && el.classList.contains("tab-panel") && el.hidden) {
        var group = el.parentElement;
        var panels = group.querySelectorAll(":scope > .tab-panel");
        selectTab(group, Array.prototype.indexOf.call(panels, el), false);
      }
    }
    if (target) target.scrollIntoView();
  }
  window.addEventListener("hashchange", function () { openTo(location.hash); });

  /* ------------------------------------------------------------ printing */

  var openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    openedForPrint = Array.prototype.filter.call(doc.querySelectorAll("details:not([open])"), function (d) {
      d.open = true;
      return true;
    });
  });
  window.addEventListener("afterprint", function () {
    openedForPrint.forEach(function (d) { d.open = false; });
    openedForPrint = [];
  });

  /* ------------------------------------------------------------ search */

  var searchBox = doc.querySelector("[data-search]");
  if (searchBox) setUpSearch(searchBox);

  function setUpSearch(box) {
    var input = box.querySelector('input[type="search"]');
    var panel = box.querySelector(".search-results");
    var status = box.querySelector('[role="status"]');
    if (!input || !panel) return;
    var dir = body.getAttribute("data-search-dir") || siteRoot + "pagefind/";
    var library = null;
    var selected = -1;
    var links = [];
    var generation = 0;
    var timer = null;

    function say(text) {
      if (status) status.textContent = text;
    }

    function message(text) {
      panel.innerHTML = "";
      var p = doc.createElement("p");
      p.className = "search-message";
      p.textContent = text;
      panel.appendChild(p);
      open(true);
      links = [];
      selected = -1;
      say(text);
    }

    function open(show) {
      panel.hidden = !show;
      input.setAttribute("aria-expanded", show ? "true" : "false");
      if (!show) input.removeAttribute("aria-activedescendant");
    }

    function load() {
      if (location.protocol === "file:") {
        return Promise.reject(new Error("file"));
      }
      if (!library) {
        var base = new URL(dir, location.href);
        var root = new URL(siteRoot || "./", location.href).pathname;
        library = import(new URL("pagefind.js", base).href).then(function (pagefind) {
          return Promise.resolve(pagefind.options({ baseUrl: root })).then(function () {
            return pagefind;
          });
        });
        library.catch(function () { library = null; });
      }
      return library;
    }

    /* Pagefind's excerpts hold plain text and <mark>; keep exactly that. */
    function safeExcerpt(html) {
      var marked = String(html || "").replace(/<mark>/g, "\u0001").replace(/<\/mark>/g, "\u0002");
      var holder = doc.createElement("div");
      holder.innerHTML = marked;
      var text = holder.textContent;
      var out = doc.createElement("span");
      var parts = text.split(/(\u0001[^\u0002]*\u0002)/);
      parts.forEach(function (part) {
        if (part.charAt(0) === "\u0001") {
          var mark = doc.createElement("mark");
          mark.textContent = part.slice(1, -1);
          out.appendChild(mark);
        } else if (part) {
          out.appendChild(doc.createTextNode(part));
        }
      });
      return out;
    }

    function weight(sub) {
      if (sub.weighted_locations && sub.weighted_locations.length) {
        return sub.weighted_locations.reduce(function (sum, l) { return sum + (l.weight || 1); }, 0);
      }
      return (sub.locations || []).length;
    }

    function resultLink(page, title, url, excerpt) {
      var a = doc.createElement("a");
      a.className = "search-result";
      a.href = url;
      a.id = "search-result-" + links.length;
      a.setAttribute("role", "option");
      a.setAttribute("aria-selected", "false");
      a.tabIndex = -1;
      var pageLine = doc.createElement("span");
      pageLine.className = "search-result-page";
      pageLine.textContent = page;
      var titleLine = doc.createElement("span");
      titleLine.className = "search-result-title";
      titleLine.textContent = title;
      var excerptLine = doc.createElement("span");
      excerptLine.className = "search-result-excerpt";
      excerptLine.appendChild(safeExcerpt(excerpt));
      a.appendChild(pageLine);
      a.appendChild(titleLine);
      a.appendChild(excerptLine);
      links.push(a);
      return a;
    }

    function show(query, data) {
      panel.innerHTML = "";
      links = [];
      selected = -1;
      if (!data.length) {
        message("No results for \u201c" + query + "\u201d");
        return;
      }
      data.forEach(function (page) {
        var pageTitle = (page.meta && page.meta.title) || page.url;
        var subs = (page.sub_results || []).slice();
        subs.sort(function (a, b) { return weight(b) - weight(a); });
        var shown = subs.filter(function (sub) { return sub.url !== page.url; }).slice(0, 3);
        if (!shown.length) {
          panel.appendChild(resultLink(pageTitle, pageTitle, page.url, page.excerpt));
          return;
        }
        shown.forEach(function (sub) {
          panel.appendChild(resultLink(pageTitle, sub.title, sub.url, sub.excerpt));
        });
      });
      open(true);
      say(links.length + " results");
    }

    function run() {
      var query = input.value.trim();
      var mine = ++generation;
      if (!query) {
        open(false);
        say("");
        return;
      }
      load().then(
        function (pagefind) {
          return pagefind.search(query).then(function (search) {
            if (mine !== generation || !search) return;
            var top = search.results.slice(0, 8);
            return Promise.all(top.map(function (r) { return r.data(); })).then(function (data) {
              if (mine === generation) show(query, data);
            });
          });
        },
        function (error) {
          if (mine !== generation) return;
          if (error && error.message === "file") {
            message("Search needs the site served over HTTP, not opened from disk: run \u201cguidebook serve\u201d in the book\u2019s folder.");
          } else {
            message("The search index could not be loaded. Rebuild the site, or run \u201cguidebook serve\u201d.");
          }
        }
      );
    }

    function select(index) {
      if (!links.length) return;
      if (selected >= 0) links[selected].setAttribute("aria-selected", "false");
      selected = (index + links.length) % links.length;
      var link = links[selected];
      link.setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", link.id);
      link.scrollIntoView({ block: "nearest" });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 120);
    });
    input.addEventListener("focus", function () {
      load().catch(function () {});
      if (input.value.trim() && panel.childNodes.length) open(true);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        select(selected + 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        select(selected - 1);
      } else if (event.key === "Enter") {
        var target = links[selected >= 0 ? selected : 0];
        if (target) {
          event.preventDefault();
          open(false);
          location.href = target.href;
        }
      } else if (event.key === "Escape") {
        event.preventDefault();
        if (!panel.hidden) {
          open(false);
        } else {
          input.value = "";
          input.blur();
        }
      }
    });
    box.addEventListener("focusout", function (event) {
      if (!box.contains(event.relatedTarget)) open(false);
    });
    panel.addEventListener("click", function (event) {
      if (event.target.closest && event.target.closest(".search-result")) open(false);
    });

    doc.addEventListener("keydown", function (event) {
      var target = event.target;
      var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
      var shortcut = (event.key === "k" || event.key === "K") && (event.ctrlKey || event.metaKey);
      if (shortcut || (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey)) {
        event.preventDefault();
        input.focus();
        input.select();
      }
    });
  }

  /* ------------------------------------------------------------ table of contents */

  /* The entry of the section being read carries aria-current="true", in the third column and
     in the folded copy: the last heading above the reading line (just under the header). At
     the very bottom of the page, where the last short sections never reach that line, a
     linked section that is on screen wins, else the last one. */
  var tocLinks = [];
  var tocHeadings = [];
  var linksById = {};
  var tocColumn = null;
  var currentSection = null;
  var tocWatcher = null;
  var tocListening = false;

  function setUpToc() {
    tocLinks = doc.querySelectorAll("[data-toc] a, [data-toc-inline] a");
    tocHeadings = [];
    linksById = {};
    tocColumn = doc.querySelector("[data-toc]");
    currentSection = null;
    Array.prototype.forEach.call(tocLinks, tocLink);
    if (tocWatcher) tocWatcher.disconnect();
    if (!tocHeadings.length) return;
    // Headings crossing the screen wake the check; scrolling keeps it exact at the edges.
    if ("IntersectionObserver" in window) {
      tocWatcher = tocWatcher || new IntersectionObserver(scheduleMark, { threshold: [0, 1] });
      tocHeadings.forEach(function (heading) { tocWatcher.observe(heading); });
    }
    if (!tocListening) {
      tocListening = true;
      window.addEventListener("scroll", scheduleMark, { passive: true });
      window.addEventListener("resize", scheduleMark);
      window.addEventListener("hashchange", scheduleMark);
      window.addEventListener("load", scheduleMark);
    }
    markSection();
  }

  function tocLink(link) {
    var id;
    try {
      id = decodeURIComponent(link.getAttribute("href").slice(1));
    } catch (e) {
      return;
    }
    var heading = doc.getElementById(id);
    if (!heading) return;
    if (!linksById[id]) {
      linksById[id] = [];
      tocHeadings.push(heading);
    }
    linksById[id].push(link);
  }

  function readingLine() {
    var header = doc.querySelector(".site-header");
    return (header ? header.getBoundingClientRect().bottom : 0) + 32;
  }

  function sectionInView() {
    var line = readingLine();
    var active = null;
    for (var i = 0; i < tocHeadings.length; i++) {
      if (tocHeadings[i].getBoundingClientRect().top <= line) active = tocHeadings[i];
      else break;
    }
    var atBottom = window.innerHeight + window.scrollY >= doc.documentElement.scrollHeight - 2;
    if (atBottom && tocHeadings.length) {
      var linked = location.hash && doc.getElementById(safeDecode(location.hash.slice(1)));
      var box = linked && linked.getBoundingClientRect();
      active = linked && linksById[linked.id] && box.top >= 0 && box.top < window.innerHeight
        ? linked
        : tocHeadings[tocHeadings.length - 1];
    }
    return active;
  }

  function safeDecode(text) {
    try {
      return decodeURIComponent(text);
    } catch (e) {
      return text;
    }
  }

  function markSection() {
    var active = sectionInView();
    if (active === currentSection) return;
    currentSection = active;
    Array.prototype.forEach.call(tocLinks, function (link) { link.removeAttribute("aria-current"); });
    if (!active || !linksById[active.id]) return;
    linksById[active.id].forEach(function (link) {
      link.setAttribute("aria-current", "true");
      // Keep the entry in sight when the contents column scrolls.
      if (tocColumn && tocColumn.contains(link) && tocColumn.scrollHeight > tocColumn.clientHeight) {
        var top = link.offsetTop - tocColumn.offsetTop;
        if (top < tocColumn.scrollTop || top > tocColumn.scrollTop + tocColumn.clientHeight - 40) {
          tocColumn.scrollTop = top - tocColumn.clientHeight / 3;
        }
      }
    });
  }

  var markScheduled = false;

  function scheduleMark() {
    if (markScheduled) return;
    markScheduled = true;
    requestAnimationFrame(function () {
      markScheduled = false;
      markSection();
    });
  }

  /* ------------------------------------------------------------ wide content */

  /* Code, tables and diagrams scroll inside their own box. One that overflows can take the
     keyboard focus (so arrow keys scroll it) and shows a fade on the side that has more. */
  function watchOverflow(box, scroller) {
    function update() {
      var overflows = scroller.scrollWidth > scroller.clientWidth + 1;
      if (overflows) {
        box.setAttribute("data-overflow", "");
        if (!scroller.hasAttribute("tabindex")) scroller.setAttribute("tabindex", "0");
        box.toggleAttribute("data-scroll-start", scroller.scrollLeft > 1);
        box.toggleAttribute("data-scroll-end", scroller.scrollLeft + scroller.clientWidth >= scroller.scrollWidth - 1);
      } else {
        box.removeAttribute("data-overflow");
        box.removeAttribute("data-scroll-start");
        box.removeAttribute("data-scroll-end");
        if (scroller.getAttribute("tabindex") === "0") scroller.removeAttribute("tabindex");
      }
    }
    scroller.addEventListener("scroll", update, { passive: true });
    if ("ResizeObserver" in window) new ResizeObserver(update).observe(scroller);
    update();
  }

  function setUpOverflow() {
    each(".code-block", "overflow", function (block) {
      var pre = block.querySelector("pre");
      if (pre) watchOverflow(block, pre);
    });
    each(".table-wrap", "overflow", function (wrap) {
      watchOverflow(wrap, wrap);
    });
    each(".diagram", "overflow", function (box) {
      var pre = box.querySelector("pre");
      if (pre) watchOverflow(box, pre);
    });
  }

  /* ------------------------------------------------------------ diagrams */

  /* Mermaid (about 3 MB) is fetched only by pages that have a diagram, from beside this
     script, and draws again in the other colours when the theme changes. */
  var diagrams = [];
  var mermaidScript = null;

  function assetUrl(name) {
    var self = doc.querySelector('script[src*="guidebook.js"]');
    var src = self ? self.getAttribute("src") : siteRoot + "assets/guidebook.js";
    return src.replace(/guidebook\.js/, name);
  }

  function drawDiagrams() {
    var mermaid = window.mermaid;
    if (!mermaid) return;
    var styles = getComputedStyle(body);
    mermaid.initialize({
      startOnLoad: false,
      securityLevel: "strict",
      theme: currentTheme() === "dark" ? "dark" : "default",
      fontFamily: styles.fontFamily,
    });
    diagrams.forEach(function (pre) {
      pre.removeAttribute("data-processed");
      pre.removeAttribute("data-diagram");
      pre.textContent = pre.getAttribute("data-source");
    });
    mermaid.run({ nodes: diagrams, suppressErrors: true }).then(function () {
      diagrams.forEach(function (pre) {
        var svg = pre.querySelector("svg");
        if (svg) {
          pre.setAttribute("data-diagram", "");
          // On a narrow screen a wide diagram keeps a legible size and scrolls sideways
          // rather than shrinking to fit.
          var natural = parseFloat(svg.style.maxWidth) || 0;
          if (natural) svg.style.minWidth = Math.min(natural, 560) + "px";
          svg.setAttribute("role", "img");
          if (!svg.getAttribute("aria-label")) svg.setAttribute("aria-label", "Diagram");
        } else {
          // A diagram Mermaid could not read keeps its source on show.
          pre.textContent = pre.getAttribute("data-source");
        }
      });
    });
  }

  function setUpDiagrams() {
    var added = false;
    each("pre[data-mermaid]", "mermaid", function (pre) {
      pre.setAttribute("data-source", pre.textContent);
      added = true;
    });
    diagrams = Array.prototype.slice.call(doc.querySelectorAll("pre[data-mermaid]"));
    if (!added) return;
    if (mermaidScript) {
      if (window.mermaid) drawDiagrams();
      return;
    }
    mermaidScript = doc.createElement("script");
    mermaidScript.src = assetUrl("mermaid.min.js");
    // Added here, not by the page: the live preview leaves it out when comparing pages.
    mermaidScript.setAttribute("data-added", "");
    mermaidScript.addEventListener("load", drawDiagrams);
    doc.head.appendChild(mermaidScript);
    var redraw = function () { if (window.mermaid) drawDiagrams(); };
    if (themeButton) themeButton.addEventListener("click", redraw);
    if (darkQuery && darkQuery.addEventListener) darkQuery.addEventListener("change", redraw);
  }

  /* ------------------------------------------------------------ emoji icons */

  /* An emoji icon needs a colour emoji font, which many Linux systems lack: there it would be
     an empty box. When an emoji draws without colour, the style's own icon shows instead. */
  var context;
  var drawsInColour = {};

  function inColour(text) {
    if (context === undefined) {
      var canvas = doc.createElement("canvas");
      canvas.width = canvas.height = 32;
      context = (canvas.getContext && canvas.getContext("2d", { willReadFrequently: true })) || null;
    }
    if (!context) return true;
    if (text in drawsInColour) return drawsInColour[text];
    context.clearRect(0, 0, 32, 32);
    context.font = "24px sans-serif";
    context.textBaseline = "top";
    context.fillStyle = "#000";
    context.fillText(text, 2, 2);
    var data = context.getImageData(0, 0, 32, 32).data;
    var found = false;
    for (var i = 0; i < data.length && !found; i += 4) {
      var r = data[i], g = data[i + 1], b = data[i + 2];
      found = data[i + 3] > 0 && (Math.abs(r - g) > 24 || Math.abs(g - b) > 24 || Math.abs(r - b) > 24);
    }
    drawsInColour[text] = found;
    return found;
  }

  function setUpEmoji() {
    each(".emoji", "emoji", function (emoji) {
      if (!inColour(emoji.textContent)) emoji.parentElement.setAttribute("data-emoji-missing", "");
    });
    // The folded contents on narrow screens close once the reader has chosen a section.
    each("[data-toc-inline]", "fold", function (inlineToc) {
      inlineToc.addEventListener("click", function (event) {
        var plain = event.button === 0 && !(event.metaKey || event.ctrlKey || event.shiftKey || event.altKey);
        if (plain && event.target.closest("a")) inlineToc.open = false;
      });
    });
  }

  /* ------------------------------------------------------------ practice page */

  // The practice page works as a plain list of questions with <details> answers; with this
  // script the reader also opens one answer at a time, marks each question "I knew it" or
  // "Review again" (kept in localStorage, one key per book), sees how many are known, can
  // show only the ones to review, and can shuffle the questions.
  // (The <html> element's data-practice is practice mode's state, not this page.)
  function setUpPracticePages() {
    each("[data-practice]:not(html)", "practice-page", setUpPractice);
  }

  function setUpPractice(page) {
    var key = page.getAttribute("data-practice-storage") || "guidebook-practice-marks";
    var cards = Array.prototype.slice.call(page.querySelectorAll("[data-practice-question]"));
    var list = page.querySelector("[data-practice-list]");
    var knownCount = page.querySelector("[data-practice-known]");
    var filter = page.querySelector("[data-practice-filter]");
    var shuffleButton = page.querySelector("[data-practice-shuffle]");
    var none = page.querySelector("[data-practice-none]");
    var shuffled = null;
    var marks = {};
    try {
      marks = JSON.parse(store(key) || "{}") || {};
    } catch (e) {
      marks = {};
    }

    function save() {
      store(key, JSON.stringify(marks));
    }

    function show() {
      var known = 0;
      var shown = 0;
      cards.forEach(function (card) {
        var mark = marks[card.getAttribute("data-practice-question")];
        if (mark === "known") known += 1;
        card.setAttribute("data-practice-mark", mark || "");
        Array.prototype.forEach.call(card.querySelectorAll("[data-mark]"), function (button) {
          if (button.tagName === "BUTTON") {
            button.setAttribute("aria-pressed", button.getAttribute("data-mark") === mark ? "true" : "false");
          }
        });
        var hide = filter && filter.checked && mark === "known";
        card.hidden = hide;
        if (!hide) shown += 1;
      });
      // A group whose questions are all hidden is hidden with them.
      Array.prototype.forEach.call(page.querySelectorAll("[data-practice-group]"), function (group) {
        group.hidden = !group.querySelector("[data-practice-question]:not([hidden])");
      });
      if (knownCount) knownCount.textContent = String(known);
      if (none) none.hidden = shown > 0;
    }

    cards.forEach(function (card) {
      var id = card.getAttribute("data-practice-question");
      reveal(card.querySelector("[data-practice-marks]"));
      Array.prototype.forEach.call(card.querySelectorAll("button[data-mark]"), function (button) {
        button.addEventListener("click", function () {
          var mark = button.getAttribute("data-mark");
          if (marks[id] === mark) delete marks[id];
          else marks[id] = mark;
          save();
          show();
        });
      });
      // One answer open at a time.
      var answer = card.querySelector("details[data-answer]");
      if (answer) {
        answer.addEventListener("toggle", function () {
          if (!answer.open) return;
          cards.forEach(function (other) {
            var details = other.querySelector("details[data-answer]");
            if (details && details !== answer && details.open) details.open = false;
          });
        });
      }
    });

    if (filter) filter.addEventListener("change", show);

    if (shuffleButton && list) {
      shuffleButton.addEventListener("click", function () {
        if (shuffled) {
          // Back to book order: every card returns to its chapter.
          cards.forEach(function (card) { card.__home.appendChild(card); });
          shuffled.remove();
          shuffled = null;
          list.hidden = false;
          shuffleButton.setAttribute("aria-pressed", "false");
          shuffleButton.textContent = "Shuffle";
          return;
        }
        shuffled = doc.createElement("div");
        shuffled.className = "practice-list practice-shuffled";
        shuffled.setAttribute("data-practice-shuffled", "");
        var order = cards.slice();
        for (var i = order.length - 1; i > 0; i -= 1) {
          var j = Math.floor(Math.random() * (i + 1));
          var swap = order[i];
          order[i] = order[j];
          order[j] = swap;
        }
        order.forEach(function (card) {
          card.__home = card.__home || card.parentElement;
          shuffled.appendChild(card);
        });
        list.parentElement.insertBefore(shuffled, list);
        list.hidden = true;
        shuffleButton.setAttribute("aria-pressed", "true");
        shuffleButton.textContent = "Book order";
      });
    }

    reveal(page.querySelector("[data-practice-controls]"));
    show();
  }

  /* ------------------------------------------------------------ link previews */

  // A link to a callout carries the callout's first paragraph in data-preview; hovering or
  // focusing it shows that paragraph in a small tooltip (Escape closes it).
  var previewLink = null;

  function setUpPreviews() {
    each("a[data-preview]", "preview", function (link) {
      previewLink = previewLink || previewTip();
      previewLink(link);
    });
  }

  // Makes the tooltip, once; returns what sets up a link.
  function previewTip() {
    var tip = doc.createElement("div");
    tip.className = "link-preview";
    tip.id = "link-preview";
    tip.setAttribute("role", "tooltip");
    tip.hidden = true;
    body.appendChild(tip);
    var owner = null;
    var hideTimer = null;

    function place(link) {
      var box = link.getBoundingClientRect();
      tip.style.left = "0px";
      tip.style.top = "0px";
      var width = tip.offsetWidth;
      var height = tip.offsetHeight;
      var left = Math.min(Math.max(8, box.left), window.innerWidth - width - 8);
      var top = box.bottom + 8;
      if (top + height > window.innerHeight - 8 && box.top - height - 8 > 8) top = box.top - height - 8;
      tip.style.left = Math.max(8, left + window.scrollX) + "px";
      tip.style.top = top + window.scrollY + "px";
    }

    function open(link) {
      clearTimeout(hideTimer);
      if (owner && owner !== link) owner.removeAttribute("aria-describedby");
      owner = link;
      tip.textContent = "";
      var title = doc.createElement("strong");
      title.className = "link-preview-title";
      title.textContent = link.textContent;
      var text = doc.createElement("span");
      text.textContent = link.getAttribute("data-preview");
      tip.appendChild(title);
      tip.appendChild(text);
      tip.hidden = false;
      link.setAttribute("aria-describedby", tip.id);
      place(link);
    }

    function close() {
      clearTimeout(hideTimer);
      tip.hidden = true;
      if (owner) owner.removeAttribute("aria-describedby");
      owner = null;
    }

    function closeSoon() {
      clearTimeout(hideTimer);
      hideTimer = setTimeout(close, 150);
    }

    tip.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
    tip.addEventListener("mouseleave", closeSoon);
    doc.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && owner) close();
    });
    window.addEventListener("scroll", function () { if (owner) place(owner); }, { passive: true });
    return function (link) {
      link.addEventListener("mouseenter", function () { open(link); });
      link.addEventListener("mouseleave", closeSoon);
      link.addEventListener("focus", function () { open(link); });
      link.addEventListener("blur", close);
    };
  }

  /* ------------------------------------------------------------ setting up */

  // Sets up whatever in the page is not set up yet; safe to call again after the sidebar,
  // <main> or the contents were replaced (the live preview does).
  function enhance() {
    setUpNav();
    setUpCopyButtons();
    setUpPageMenus();
    setUpTabs();
    setUpPracticeMode();
    setUpToc();
    setUpOverflow();
    setUpDiagrams();
    setUpEmoji();
    setUpPracticePages();
    setUpPreviews();
  }

  enhance();
  if (location.hash) openTo(location.hash);
  window.guidebook = { enhance: enhance, selectTab: selectTab };
})();
