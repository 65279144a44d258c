// dossier serve: reload this tab after each good rebuild, show the findings
// of a failed one over the page, and take them away once fixed.
(function () {
  "use strict";
  var OVERLAY_ID = "dossier-errors";
  function clear() {
    var old = document.getElementById(OVERLAY_ID);
    if (old) old.remove();
  }
  function show(findings) {
    clear();
    var box = document.createElement("div");
    box.id = OVERLAY_ID;
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:0;overflow:auto;z-index:2147483647;background:rgba(20,20,20,.94);" +
      "color:#fff;font:15px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:2rem";
    var title = document.createElement("h2");
    title.textContent = "The last change could not be built (the page shows the last good version)";
    title.style.cssText = "font:bold 1.1rem sans-serif;margin:0 0 1rem;color:#ffb4b4";
    box.appendChild(title);
    findings.forEach(function (f) {
      var item = document.createElement("p");
      var where = f.file + (f.line ? ":" + f.line + (f.column ? ":" + f.column : "") : "");
      item.textContent = where + "  " + f.message + (f.hint ? "  (" + f.hint + ")" : "");
      item.style.margin = "0 0 .75rem";
      box.appendChild(item);
    });
    document.body.appendChild(box);
  }
  var source = new EventSource("/__dossier/events");
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("errors", function (e) {
    var findings = [];
    try { findings = JSON.parse(e.data).filter(function (f) { return f.severity === "error"; }); } catch (_) {}
    show(findings);
  });
  fetch("/__dossier/errors").then(function (r) { return r.json(); }).then(function (findings) {
    var errors = findings.filter(function (f) { return f.severity === "error"; });
    if (errors.length) show(errors);
  }).catch(function () {});
})();
