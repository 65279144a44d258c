// dossier serve's live script, injected into every HTML page it serves.
// Reloads the tab after each good rebuild, shows the findings of every
// rebuild in an overlay (errors cover the page, which stays the last good
// version; warnings alone are a small collapsed panel), says when the
// connection to the server is lost and reloads when a restarted server is
// back. The events are described at the top of src/serve/http.rs.
(function () {
  "use strict";
  if (window.__dossierLive) return;
  window.__dossierLive = true;

  var GUIDE = "/__dossier/guide/";
  var instance = null;   // the server process this page came from
  var editor = null;     // URL template, e.g. vscode://file/{path}:{line}:{column}
  var root = null;       // the site's absolute folder, for {path}
  var findings = [];
  var shown = "";        // JSON of the findings on screen
  var dismissed = null;  // JSON of the findings the editor dismissed
  var collapsed = {};    // by mode ("errors" | "warnings"): collapsed or not
  var lost = false;
  var returnFocus = null;
  var inerted = [];

  var STYLE =
    ":host{all:initial}" +
    "*{box-sizing:border-box}" +
    ".status{position:fixed;top:.75rem;right:.75rem;z-index:2147483647;max-width:22rem;" +
    "background:#1a1a1a;color:#fff;font:14px/1.4 system-ui,sans-serif;border-radius:6px;padding:.5rem .75rem;" +
    "box-shadow:0 2px 8px rgba(0,0,0,.4)}" +
    ".status:empty{padding:0;box-shadow:none}" +
    ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}" +
    "section{position:fixed;z-index:2147483646;font:15px/1.5 system-ui,sans-serif;color:#f2f2f2;background:#161616;" +
    "box-shadow:0 0 0 1px #555,0 4px 16px rgba(0,0,0,.5)}" +
    "section.errors{inset:0;overflow:auto}" +
    "section.errors.collapsed{inset:auto 0 0 0;overflow:visible}" +
    "section.warnings{right:.75rem;bottom:.75rem;width:min(34rem,calc(100vw - 1.5rem));max-height:60vh;overflow:auto;border-radius:8px}" +
    ".bar{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;padding:.75rem 1rem;background:#161616;position:sticky;top:0}" +
    "section.errors .bar{border-bottom:3px solid #ff8f8f}" +
    "section.warnings .bar{border-bottom:3px solid #ffd479}" +
    "section.collapsed .bar{border-bottom:0}" +
    "h2{font:bold 1rem/1.3 system-ui,sans-serif;margin:0;flex:1 1 16rem;color:#fff}" +
    "h2:focus{outline:2px solid #8ab4ff;outline-offset:2px}" +
    "h3{font:bold .95rem system-ui,sans-serif;margin:1.25rem 0 .5rem;color:#fff}" +
    ".sub{margin:.1rem 0 0;font-weight:normal;font-size:.9rem;color:#d6d6d6}" +
    "button{font:600 14px/1.2 system-ui,sans-serif;color:#161616;background:#f2f2f2;border:1px solid #f2f2f2;" +
    "border-radius:4px;padding:.4rem .7rem;cursor:pointer}" +
    "button:hover{background:#fff}" +
    "button:focus-visible,a:focus-visible{outline:3px solid #8ab4ff;outline-offset:2px}" +
    ".body{padding:0 1rem 1rem}" +
    "section.collapsed .body{display:none}" +
    "ol,ul{margin:0;padding:0 0 0 1.25rem}" +
    "li{margin:0 0 .9rem}" +
    "p{margin:.15rem 0}" +
    "a{color:#9cc3ff}" +
    ".code{font:bold 14px ui-monospace,Menlo,Consolas,monospace}" +
    ".error .kind{color:#ff9e9e}" +
    ".warning .kind{color:#ffd479}" +
    ".where{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:14px;color:#e0e0e0}" +
    ".hint,.note,.pages{color:#d6d6d6}" +
    "kbd{font:13px ui-monospace,monospace;border:1px solid #888;border-radius:3px;padding:0 .25rem}";

  var host = document.createElement("div");
  host.id = "dossier-live";
  var shadow = host.attachShadow({ mode: "open" });
  var style = document.createElement("style");
  style.textContent = STYLE;
  // Connection state, visible: role=status is announced politely.
  var status = element("div", { "class": "status", role: "status" });
  // Build results for screen readers (the overlay itself is not live).
  var announcer = element("div", { "class": "sr", "aria-live": "polite" });
  shadow.appendChild(style);
  shadow.appendChild(status);
  shadow.appendChild(announcer);
  var overlay = null;

  function mount() {
    if (!host.isConnected) document.body.appendChild(host);
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    for (var name in attributes || {}) node.setAttribute(name, attributes[name]);
    if (text != null) node.textContent = text;
    return node;
  }

  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  function place(f) {
    return (f.file || "") + (f.line ? ":" + f.line + (f.column ? ":" + f.column : "") : "");
  }

  function editorLink(f) {
    if (!editor || !root || !f.file) return null;
    var path = (root.replace(/\/$/, "") + "/" + f.file).split("/").map(encodeURIComponent).join("/")
      .replace(/%3A/gi, ":");
    return editor.replace(/\{path\}/g, path)
      .replace(/\{line\}/g, String(f.line || 1))
      .replace(/\{column\}/g, String(f.column || 1));
  }

  function findingItem(f) {
    var item = element("li", { "class": "finding " + (f.severity === "error" ? "error" : "warning") });
    var head = element("p");
    head.appendChild(element("span", { "class": "kind" }, f.severity === "error" ? "Error " : "Warning "));
    var code = element("a", { "class": "code", href: GUIDE + "#" + encodeURIComponent(f.code || ""), target: "_blank" },
      f.code || "");
    head.appendChild(code);
    head.appendChild(document.createTextNode(" in "));
    var link = editorLink(f);
    if (link) {
      head.appendChild(element("a", { "class": "where", href: link, title: "Open in your editor" }, place(f)));
    } else {
      head.appendChild(element("span", { "class": "where" }, place(f)));
    }
    item.appendChild(head);
    item.appendChild(element("p", { "class": "message" }, f.message || ""));
    if (f.hint) item.appendChild(element("p", { "class": "hint" }, "Hint: " + f.hint));
    (f.notes || []).forEach(function (n) { item.appendChild(element("p", { "class": "note" }, "Note: " + n)); });
    if (f.pages && f.pages.length) {
      item.appendChild(element("p", { "class": "pages" }, "Pages: " + f.pages.join(", ")));
    }
    return item;
  }

  function affectedFiles(list) {
    var seen = {};
    var out = [];
    list.forEach(function (f) {
      [f.file].concat(f.pages || []).forEach(function (name) {
        if (name && !seen[name]) { seen[name] = true; out.push(name); }
      });
    });
    return out.sort();
  }

  function setInert(on) {
    inerted.forEach(function (node) { node.inert = false; });
    inerted = [];
    if (!on || !document.body) return;
    Array.prototype.forEach.call(document.body.children, function (node) {
      if (node !== host && !node.inert) { node.inert = true; inerted.push(node); }
    });
  }

  function removeOverlay() {
    if (overlay) overlay.remove();
    overlay = null;
    shown = "";
    setInert(false);
  }

  function restoreFocus() {
    var target = returnFocus;
    returnFocus = null;
    if (target && target.isConnected && target.focus) target.focus();
  }

  function dismiss() {
    dismissed = shown;
    var hadFocus = overlay && shadow.activeElement;
    removeOverlay();
    if (hadFocus) restoreFocus();
  }

  function applyCollapsed(mode) {
    var isCollapsed = !!collapsed[mode];
    overlay.classList.toggle("collapsed", isCollapsed);
    var toggle = overlay.querySelector(".toggle");
    toggle.setAttribute("aria-expanded", String(!isCollapsed));
    toggle.textContent = isCollapsed ? "Show details" : "Collapse";
    var modal = mode === "errors" && !isCollapsed;
    // Expanded, the errors cover the page: a modal dialog, the page inert.
    if (modal) {
      overlay.setAttribute("role", "dialog");
      overlay.setAttribute("aria-modal", "true");
    } else {
      overlay.removeAttribute("role");
      overlay.removeAttribute("aria-modal");
    }
    setInert(modal);
  }

  function render() {
    var key = JSON.stringify(findings);
    var errors = findings.filter(function (f) { return f.severity === "error"; });
    var warnings = findings.filter(function (f) { return f.severity !== "error"; });
    if (!findings.length || key === dismissed) {
      if (key !== dismissed) dismissed = null;
      var hadFocus = overlay && shadow.activeElement;
      removeOverlay();
      if (hadFocus) restoreFocus();
      return;
    }
    if (key === shown) return;
    var mode = errors.length ? "errors" : "warnings";
    if (!(mode in collapsed)) collapsed[mode] = mode === "warnings";
    var wasOpen = !!overlay;
    var focusInside = wasOpen && shadow.activeElement;
    if (overlay) overlay.remove();
    shown = key;

    var counts = [];
    if (errors.length) counts.push(plural(errors.length, "error"));
    if (warnings.length) counts.push(plural(warnings.length, "warning"));
    var title = mode === "errors"
      ? "The last change could not be built: " + counts.join(", ")
      : counts.join(", ") + " in the last build";

    overlay = element("section", {
      id: "dossier-overlay", "class": mode, "aria-labelledby": "dossier-overlay-title"
    });
    var bar = element("div", { "class": "bar" });
    var heading = element("h2", { id: "dossier-overlay-title", tabindex: "-1" }, title);
    if (mode === "errors") {
      heading.appendChild(element("span", { "class": "sub" },
        " The page shows the last good version."));
    }
    bar.appendChild(heading);
    var toggle = element("button", { type: "button", "class": "toggle", "aria-controls": "dossier-overlay-body" });
    toggle.addEventListener("click", function () {
      collapsed[mode] = !collapsed[mode];
      applyCollapsed(mode);
    });
    bar.appendChild(toggle);
    var close = element("button", { type: "button", "class": "close", "aria-keyshortcuts": "Escape" }, "Dismiss");
    close.addEventListener("click", dismiss);
    bar.appendChild(close);
    overlay.appendChild(bar);

    var body = element("div", { id: "dossier-overlay-body", "class": "body" });
    if (errors.length) {
      body.appendChild(element("h3", {}, "Errors"));
      var errorList = element("ol", { "class": "errors-list" });
      errors.forEach(function (f) { errorList.appendChild(findingItem(f)); });
      body.appendChild(errorList);
    }
    if (warnings.length) {
      body.appendChild(element("h3", {}, errors.length ? "Warnings (these do not block the build)" : "Warnings"));
      var warningList = element("ol", { "class": "warnings-list" });
      warnings.forEach(function (f) { warningList.appendChild(findingItem(f)); });
      body.appendChild(warningList);
    }
    body.appendChild(element("h3", {}, "Files affected"));
    var files = element("ul", { "class": "files" });
    affectedFiles(findings).forEach(function (name) { files.appendChild(element("li", { "class": "where" }, name)); });
    body.appendChild(files);
    var help = element("p", { "class": "note" });
    help.appendChild(document.createTextNode("Each code links to its entry in the "));
    help.appendChild(element("a", { href: GUIDE, target: "_blank" }, "editors' guide"));
    help.appendChild(document.createTextNode(". Press "));
    help.appendChild(element("kbd", {}, "Esc"));
    help.appendChild(document.createTextNode(" to dismiss this until the findings change."));
    body.appendChild(help);
    overlay.appendChild(body);

    mount();
    shadow.appendChild(overlay);
    applyCollapsed(mode);
    if (mode === "errors" && !collapsed[mode] && (!wasOpen || focusInside)) {
      if (!wasOpen) returnFocus = document.activeElement;
      heading.focus();
    } else if (focusInside) {
      toggle.focus();
    }
  }

  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && overlay) {
      e.preventDefault();
      dismiss();
    }
  }, true);

  function setStatus(text) {
    status.textContent = text;
  }

  function announce(list) {
    var errors = list.filter(function (f) { return f.severity === "error"; }).length;
    var text = errors ? "The last change could not be built: " + plural(errors, "error") + "." : "";
    if (text !== announcer.textContent) announcer.textContent = text;
  }

  function parse(data, fallback) {
    try { return JSON.parse(data); } catch (_) { return fallback; }
  }

  var source = null;
  function connect() {
    source = new EventSource("/__dossier/events");
    source.addEventListener("hello", function (e) {
      var info = parse(e.data, {});
      if (instance && info.instance !== instance) {
        setStatus("dossier serve restarted: reloading the page…");
        location.reload();
        return;
      }
      instance = info.instance;
      editor = info.editor || null;
      root = info.root || null;
      if (lost) {
        lost = false;
        setStatus("Connected to dossier serve again.");
        setTimeout(function () { if (!lost) setStatus(""); }, 3000);
      }
    });
    source.addEventListener("findings", function (e) {
      var list = parse(e.data, null);
      if (!Array.isArray(list)) return;
      findings = list;
      announce(list);
      render();
    });
    source.addEventListener("reload", function () { location.reload(); });
    source.addEventListener("navigate", function (e) {
      var path = e.data;
      if (typeof path !== "string" || path.charAt(0) !== "/" || path.charAt(1) === "/") return;
      if (location.pathname === path) location.reload();
      else location.assign(path);
    });
    source.onerror = function () {
      if (!lost) {
        lost = true;
        setStatus("Lost the connection to dossier serve. Reconnecting…");
      }
      // The browser retries by itself unless the server answered with an
      // error; then try again a little later.
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        setTimeout(connect, 1000);
      }
    };
  }
  connect();
})();
