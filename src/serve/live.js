/* guidebook serve: live reload, style swapping and the build-error overlay.
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

  function connect() {
    var source = new EventSource("/__guidebook/events");
    source.addEventListener("reload", function (event) {
      var data = JSON.parse(event.data);
      if (!data.pages || data.pages.indexOf(url) >= 0) reload();
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
