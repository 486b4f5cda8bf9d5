/* guidebook serve: live updates, style swapping and the build-error overlay.
   Added to pages by the preview server only; built sites never contain it. */
(function () {
  "use strict";
  var url = (document.body && document.body.getAttribute("data-url")) || location.pathname;
  var scrollKey = "guidebook-scroll:" + location.pathname;
  var overlayId = "guidebook-overlay";

  /* Scroll position survives a reload. */
  try {
    var saved = sessionStorage.getItem(scrollKey);
    if (saved !== null) {
      sessionStorage.removeItem(scrollKey);
      var y = parseInt(saved, 10);
      var restore = function () { window.scrollTo(0, y); };
      if (document.readyState === "complete") restore();
      else window.addEventListener("load", restore);
    }
  } catch (e) {}

  function reload() {
    try { sessionStorage.setItem(scrollKey, String(window.scrollY)); } catch (e) {}
    location.reload();
  }

  function clearOverlay() {
    var old = document.getElementById(overlayId);
    if (old) old.remove();
  }

  function el(tag, css, text) {
    var node = document.createElement(tag);
    if (css) node.style.cssText = css;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function showOverlay(diagnostics) {
    clearOverlay();
    var box = el("div", "position:fixed;inset:0;z-index:2147483647;background:rgba(10,12,16,.82);overflow:auto;padding:4vh 4vw;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;color:#f1f3f5");
    box.id = overlayId;
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-label", "The book has errors");
    var panel = el("div", "max-width:60rem;margin:0 auto;background:#1b1f24;border:1px solid #ff6b6b;border-radius:8px;padding:1.25rem 1.5rem;box-shadow:0 10px 40px rgba(0,0,0,.5)");
    var head = el("div", "display:flex;justify-content:space-between;align-items:center;gap:1rem;margin-bottom:.75rem");
    head.appendChild(el("strong", "color:#ff8787;font:600 16px system-ui,sans-serif", diagnostics.length === 1 ? "The book has an error" : "The book has " + diagnostics.length + " errors"));
    var close = el("button", "background:none;border:1px solid #6c757d;color:#f1f3f5;border-radius:4px;padding:.2rem .6rem;cursor:pointer;font:13px system-ui,sans-serif", "Dismiss");
    close.type = "button";
    close.addEventListener("click", clearOverlay);
    head.appendChild(close);
    panel.appendChild(head);
    panel.appendChild(el("p", "margin:0 0 1rem;color:#adb5bd;font:13px system-ui,sans-serif", "The last good version of the site is still served. Fix the file and save: this page updates by itself."));
    diagnostics.forEach(function (d) {
      var item = el("div", "margin:0 0 1rem;padding-top:.75rem;border-top:1px solid #343a40");
      if (d.location) item.appendChild(el("div", "color:#74c0fc", d.location));
      item.appendChild(el("div", "color:#ffc9c9;font-weight:700", d.message));
      /* The terminal's rendering shows the source line and the hint together. */
      if (d.source) item.appendChild(el("pre", "margin:.5rem 0;padding:.5rem .75rem;background:#111418;border-radius:4px;overflow:auto;white-space:pre", d.source));
      else if (d.hint) item.appendChild(el("div", "color:#b2f2bb", "help: " + d.hint));
      panel.appendChild(item);
    });
    box.appendChild(panel);
    document.body.appendChild(box);
    close.focus();
  }

  function swapStyles() {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      var href = link.getAttribute("href").replace(/([?&])gb-live=\d+/, "").replace(/[?&]$/, "");
      var next = link.cloneNode();
      next.href = href + (href.indexOf("?") >= 0 ? "&" : "?") + "gb-live=" + Date.now();
      next.addEventListener("load", function () { link.remove(); });
      link.after(next);
    });
  }

  /* An edit to this page updates it in place: the new HTML is fetched (same origin: our own
     server's page) and its <main>, sidebar and contents column replace the old ones, keeping
     the scroll position, the open <details> and the selected tabs. Anything else reloads: a
     change every page shares (the event names no pages), another stylesheet or script, other
     page-level markup, or any failure. */
  var updating = 0;

  function linksOf(d) {
    var parts = [];
    Array.prototype.forEach.call(d.querySelectorAll('link[rel~="stylesheet"], script:not([data-added])'), function (node) {
      var src = node.getAttribute("href") || node.getAttribute("src");
      parts.push(src ? src.replace(/([?&])gb-live=\d+&?/, "$1").replace(/[?&]$/, "") : node.textContent);
    });
    return parts.join("\n");
  }

  function sameFrame(a, b) {
    return linksOf(a) === linksOf(b)
      && a.body.getAttribute("data-url") === b.body.getAttribute("data-url")
      && a.body.getAttribute("data-page-kind") === b.body.getAttribute("data-page-kind");
  }

  // Open <details> by id, or else by their place among those without one.
  function detailsState(scope) {
    var state = { ids: {}, order: [] };
    Array.prototype.forEach.call(scope.querySelectorAll("details"), function (d) {
      if (d.id) state.ids[d.id] = d.open;
      else state.order.push(d.open);
    });
    return state;
  }

  // `kept`: elements the update left in place, which still have the reader's state.
  function restoreDetails(scope, state, kept) {
    var i = 0;
    Array.prototype.forEach.call(scope.querySelectorAll("details"), function (d) {
      var open = d.id ? state.ids[d.id] : state.order[i++];
      if (!kept.has(d) && open !== undefined && d.open !== open) d.open = open;
    });
  }

  function selectedTabs(scope) {
    return Array.prototype.map.call(scope.querySelectorAll("[data-tabs]"), function (group) {
      var panels = group.querySelectorAll(":scope > .tab-panel");
      for (var i = 0; i < panels.length; i++) if (!panels[i].hidden) return i;
      return 0;
    });
  }

  function swapIn(old, fresh) {
    Array.prototype.slice.call(old.attributes).forEach(function (a) {
      if (!fresh.hasAttribute(a.name)) old.removeAttribute(a.name);
    });
    Array.prototype.forEach.call(fresh.attributes, function (a) {
      if (a.name !== "open") old.setAttribute(a.name, a.value);
    });
    // A copy of the list first: adopting a node takes it out of `fresh.childNodes`.
    var nodes = Array.prototype.slice.call(fresh.childNodes);
    old.replaceChildren.apply(old, nodes.map(function (n) { return document.adoptNode(n); }));
  }

  /* What the last update put into <main> and into its <article>, as the server sent it:
     each child node with its HTML. The next update replaces only the children whose HTML
     changed, so the blocks an edit did not touch keep their state (an opened diagram, a
     selection) and the browser lays out only what is new. The first update after a load
     has nothing to compare with and replaces everything. */
  var pristine = null;

  function htmlOf(node) {
    return node.nodeType === 1 ? node.outerHTML : node.nodeType + ":" + node.nodeValue;
  }

  function snapshot(container) {
    return Array.prototype.map.call(container.childNodes, function (n) { return { node: n, html: htmlOf(n) }; });
  }

  function articleOf(main) {
    return main.querySelector(":scope > article");
  }

  // Taken from the fetched page before its nodes move into this one.
  function snapshotMain(fresh) {
    var article = articleOf(fresh);
    return { main: snapshot(fresh), article: article ? snapshot(article) : null };
  }

  // The sent HTML paired with the nodes now in the page, place by place (kept or new).
  function rebind(main, sent) {
    var pair = function (container, list) {
      if (!container || !list || container.childNodes.length !== list.length) return null;
      return list.map(function (k, i) { return { node: container.childNodes[i], html: k.html }; });
    };
    var mainList = pair(main, sent.main);
    var articleList = pair(articleOf(main), sent.article);
    return mainList && articleList ? { main: mainList, article: articleList } : null;
  }

  function attributesOf(node) {
    return Array.prototype.map.call(node.attributes, function (a) { return a.name + "=" + a.value; }).sort().join(" ");
  }

  // Whether `container` still holds exactly the nodes `known` lists (the page's script adds
  // none at this level; if it did, or anything else moved them, everything is replaced).
  function holds(container, known) {
    var live = container.childNodes;
    if (!known || live.length !== known.length) return false;
    for (var i = 0; i < known.length; i++) if (live[i] !== known[i].node) return false;
    return true;
  }

  // Replaces the run of children between the longest unchanged start and end.
  function patchChildren(old, fresh, known) {
    var next = Array.prototype.slice.call(fresh.childNodes);
    var html = next.map(htmlOf);
    var start = 0;
    while (start < known.length && start < next.length && known[start].html === html[start]) start++;
    var endOld = known.length;
    var endNew = next.length;
    while (endOld > start && endNew > start && known[endOld - 1].html === html[endNew - 1]) { endOld--; endNew--; }
    var before = endOld < known.length ? known[endOld].node : null;
    for (var i = start; i < endOld; i++) old.removeChild(known[i].node);
    for (var j = start; j < endNew; j++) old.insertBefore(document.adoptNode(next[j]), before);
  }

  // <main> patched in place: false (nothing done) when it cannot be.
  function patchMain(main, fresh, known) {
    var oldArticle = articleOf(main);
    var freshArticle = articleOf(fresh);
    if (!known || !known.article || !oldArticle || !freshArticle) return false;
    // A container the page's script set up as a whole (the practice page's article) holds
    // references to its old children: it is replaced, and set up again.
    if (main.__guidebook || oldArticle.__guidebook) return false;
    if (attributesOf(main) !== attributesOf(fresh) || attributesOf(oldArticle) !== attributesOf(freshArticle)) return false;
    if (!holds(main, known.main) || !holds(oldArticle, known.article)) return false;
    var next = Array.prototype.slice.call(fresh.childNodes);
    if (next.length !== known.main.length) return false;
    var articleAt = known.main.findIndex(function (k) { return k.node === oldArticle; });
    if (next[articleAt] !== freshArticle) return false;
    patchChildren(oldArticle, freshArticle, known.article);
    next.forEach(function (node, i) {
      if (i !== articleAt && htmlOf(node) !== known.main[i].html) {
        main.replaceChild(document.adoptNode(node), known.main[i].node);
      }
    });
    return true;
  }

  /* A sidebar the theme's script built from `assets/nav.js` (a large book's) is the same
     after the update unless that script or the page's own part of the sidebar changed: the
     first makes the server reload the tab, the second is checked here (against the sidebar
     the last update sent, once there is one; before that, its attributes, Start entry and
     anything beside the list, which is all the built-in script keeps of the page's HTML).
     Keeping it keeps the reader's opened and closed groups, and spares rebuilding
     thousands of entries. */
  var sentNav = null;

  function builtNavStays(old, fresh) {
    var sent = sentNav;
    sentNav = fresh.outerHTML;
    if (sent !== null) return sent === sentNav && old.hasAttribute("data-nav-full");
    if (!old.hasAttribute("data-nav-full") || !Array.isArray(window.GUIDEBOOK_NAV)) return false;
    var list = old.querySelector(".nav-list");
    if (!list || !list.__guidebook || !list.__guidebook.nav) return false;
    var home = function (node) {
      var item = node.querySelector(".nav-home");
      return item ? item.outerHTML : "";
    };
    // Whatever the sidebar holds beside the list (a book's own partial may add some).
    var beside = function (node) {
      return Array.prototype.filter.call(node.children, function (c) { return !c.classList.contains("nav-list"); })
        .map(function (c) { return c.outerHTML; }).join("");
    };
    return attributesOf(old) === attributesOf(fresh) && home(old) === home(fresh) && beside(old) === beside(fresh);
  }

  function updateInPlace() {
    var ticket = ++updating;
    var api = window.guidebook;
    if (!api || !api.enhance || !window.DOMParser) return reload();
    fetch(location.pathname + location.search, {
      cache: "no-store",
      credentials: "same-origin",
      headers: { Accept: "text/html" },
    })
      .then(function (response) {
        var type = response.headers.get("content-type") || "";
        if (!response.ok || response.redirected || type.indexOf("text/html") !== 0) {
          throw new Error("status " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        if (ticket !== updating) return;
        var next = new DOMParser().parseFromString(html, "text/html");
        if (!sameFrame(document, next)) return reload();
        var selectors = ["main", "[data-nav]", "[data-toc]"];
        var pairs = selectors.map(function (s) { return [document.querySelector(s), next.querySelector(s)]; });
        if (!pairs[0][0] || pairs.some(function (p) { return !p[0] !== !p[1]; })) return reload();
        var main = pairs[0][0];
        var scrollY = window.scrollY;
        var sidebar = pairs[1][0];
        var sidebarTop = sidebar ? sidebar.scrollTop : 0;
        var details = detailsState(main);
        var tabs = selectedTabs(main);
        var before = new Set(main.querySelectorAll("details, [data-tabs]"));
        var sent = snapshotMain(pairs[0][1]);
        if (!patchMain(main, pairs[0][1], pristine)) swapIn(main, pairs[0][1]);
        pristine = rebind(main, sent);
        if (pairs[1][0] && !builtNavStays(pairs[1][0], pairs[1][1])) swapIn(pairs[1][0], pairs[1][1]);
        if (pairs[2][0]) swapIn(pairs[2][0], pairs[2][1]);
        document.title = next.title;
        api.enhance();
        var kept = new Set(Array.prototype.filter.call(main.querySelectorAll("details, [data-tabs]"), function (n) { return before.has(n); }));
        restoreDetails(main, details, kept);
        if (api.selectTab) {
          Array.prototype.forEach.call(main.querySelectorAll("[data-tabs][data-enhanced]"), function (group, i) {
            var count = group.querySelectorAll(":scope > .tab-panel").length;
            if (!kept.has(group) && tabs[i] !== undefined && tabs[i] < count) api.selectTab(group, tabs[i], false);
          });
        }
        if (sidebar) sidebar.scrollTop = sidebarTop;
        window.scrollTo(0, scrollY);
        clearOverlay();
        window.dispatchEvent(new Event("guidebook:updated"));
      })
      .catch(function () { reload(); });
  }

  function connect() {
    var source = new EventSource("/__guidebook/events");
    source.addEventListener("reload", function (event) {
      var data = JSON.parse(event.data);
      if (!data.pages) reload();
      else if (data.pages.indexOf(url) >= 0) updateInPlace();
      else clearOverlay();
    });
    source.addEventListener("styles", function () {
      clearOverlay();
      swapStyles();
    });
    source.addEventListener("build-error", function (event) {
      showOverlay(JSON.parse(event.data).diagnostics || []);
    });
    window.guidebookLive = source;
  }

  connect();
})();
