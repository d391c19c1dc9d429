/**
 * The inline script of the HTML report: filters the test list (status, product, text) and
 * renders a test's details (requirements, assertions, grouped validation messages, each
 * exchange's request, JWT claims and response) from the embedded JSON the first time it is
 * opened, so the page stays fast with thousands of tests. Data is only ever inserted with
 * `textContent`, never as markup.
 *
 * @module
 */

/** JavaScript placed in the report's single executable `<script>` (its hash goes in the CSP). */
export const HTML_SCRIPT = String.raw`
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var results = data.results;
  var list = document.getElementById("list");
  var rows = Array.prototype.slice.call(list.querySelectorAll("details.test"));
  // What the text filter searches, per test: built here from the data, not repeated in markup.
  var hays = results.map(function (r) {
    var failed = r.assertions.filter(function (a) { return !a.passed; }).map(function (a) {
      return (a.requirement || "") + " " + a.description + " " + (a.message || "");
    });
    return [r.id, r.title, r.product, r.interaction || "flow", r.status, r.reason || ""]
      .concat(r.requirements, r.tags, failed).join(" ").toLowerCase();
  });
  var q = document.getElementById("q");
  var statusSel = document.getElementById("status");
  var productSel = document.getElementById("product");
  var shown = document.getElementById("shown");

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function add(parent, child) { parent.appendChild(child); return child; }
  function txt(parent, text) { parent.appendChild(document.createTextNode(String(text))); }
  function headerLines(h) {
    return Object.keys(h || {}).map(function (k) { return k + ": " + h[k]; }).join("\n");
  }
  function pretty(body) {
    var t = body.trim();
    if (t.charAt(0) === "{" || t.charAt(0) === "[") {
      try { return JSON.stringify(JSON.parse(t), null, 2); } catch (_) { return body; }
    }
    return body;
  }
  function bodyText(m) {
    if (!m.body) return "";
    if (!m.bodyTruncatedFrom) return "\n\n" + pretty(m.body);
    return "\n\n" + m.body + "\n\u2026 [truncated in this report: " + m.body.length + " of " +
      m.bodyTruncatedFrom + " characters shown; the evidence folder has the whole body]";
  }

  function renderValidation(body, v) {
    add(body, el("h3", null, "Validation messages (" + v.length + ")"));
    if (!v.length) { add(body, el("p", "muted", "None.")); return; }
    ["error", "warning", "information"].forEach(function (sev) {
      var msgs = v.filter(function (m) { return m.severity === sev; });
      if (!msgs.length) return;
      var det = add(body, el("details", "vgroup"));
      det.open = sev === "error";
      var cls = sev === "error" ? "t-fail" : sev === "warning" ? "t-skip" : "muted";
      add(det, el("summary", cls, sev + " (" + msgs.length + ")"));
      var groups = {}, order = [];
      msgs.forEach(function (m) {
        var key = m.rule + "\u0000" + m.message + "\u0000" + (m.profile || "");
        if (!groups[key]) { groups[key] = { m: m, paths: [] }; order.push(key); }
        groups[key].paths.push(m.path);
      });
      var ul = add(det, el("ul"));
      order.forEach(function (k) {
        var g = groups[k], li = add(ul, el("li"));
        add(li, el("span", "req", g.m.rule));
        txt(li, " " + g.m.message + " (" + g.paths.length + ")");
        if (g.m.profile) add(li, el("div", "muted mono", g.m.profile));
        var paths = g.paths.slice(0, 25).join("\n");
        if (g.paths.length > 25) paths += "\n\u2026 and " + (g.paths.length - 25) + " more";
        add(li, el("pre", null, paths));
      });
    });
  }

  function renderExchange(body, e, i) {
    var box = add(body, el("div", "ex"));
    var outcome = e.response ? String(e.response.status) : "no response";
    add(box, el("h4", null, "#" + (i + 1) + " " + (e.step ? "[" + e.step + "] " : "") +
      e.request.method + " " + e.request.url + " \u2192 " + outcome + " in " +
      Math.round(e.latencyMs) + " ms"));
    add(box, el("div", "muted", "sent " + e.startedAt));
    var cols = add(box, el("div", "cols"));
    var req = add(cols, el("div"));
    add(req, el("h4", null, "Request"));
    add(req, el("pre", null, e.request.method + " " + e.request.url + "\n" +
      headerLines(e.request.headers) + bodyText(e.request)));
    if (e.request.jwt !== undefined) {
      add(req, el("h4", null, "JWT claims (decoded)"));
      add(req, el("pre", null, JSON.stringify(e.request.jwt, null, 2)));
    }
    var res = add(cols, el("div"));
    add(res, el("h4", null, "Response"));
    if (e.response) {
      add(res, el("pre", null, "HTTP " + e.response.status + "\n" +
        headerLines(e.response.headers) + bodyText(e.response)));
    }
    if (e.error) add(res, el("pre", "t-error", "Transport error: " + e.error));
  }

  function render(d, r) {
    var body = d.querySelector(".body");
    add(body, el("p", "muted", [
      "product " + r.product,
      r.interaction ? "interaction " + r.interaction : "multi-step flow",
      "tags: " + (r.tags.length ? r.tags.join(", ") : "none"),
      "started " + r.startedAt,
      "duration " + Math.round(r.durationMs) + " ms"
    ].join(" \u00b7 ")));
    if (r.reason) add(body, el("p", "t-" + r.status, "Reason: " + r.reason));
    if (r.detail === "summary") {
      add(body, el("p", "muted", "Passed, shown in brief: " + r.passedChecks +
        " check(s) passed; no bodies, JWT claims or headers" +
        (r.omittedMessages ? ", " + r.omittedMessages + " information message(s) left out" : "") +
        " (run with --evidence all to keep them in the evidence folder)."));
    }
    add(body, el("h3", null, "Requirements"));
    var reqs = add(body, el("p"));
    if (!r.requirements.length) txt(reqs, "none");
    r.requirements.forEach(function (id) { add(reqs, el("span", "req", id)); });
    var passed = r.assertions.filter(function (a) { return a.passed; }).length;
    var brief = r.passedChecks || 0;
    add(body, el("h3", null, "Assertions (" + (passed + brief) + " of " +
      (r.assertions.length + brief) + " passed)"));
    if (!r.assertions.length && !brief) add(body, el("p", "muted", "No assertions were checked."));
    else if (brief) {
      add(body, el("p", "muted", brief + " passed check(s) counted, not listed (in brief)."));
    }
    else {
      var table = add(body, el("table"));
      r.assertions.forEach(function (a) {
        var tr = add(table, el("tr"));
        add(tr, el("td", a.passed ? "t-pass" : "t-fail", a.passed ? "\u2713 pass" : "\u2717 fail"));
        var td = add(tr, el("td"));
        if (a.step) add(td, el("span", "muted", "[" + a.step + "] "));
        txt(td, a.description);
        if (a.message) add(td, el("div", "t-fail mono", a.message));
        var rq = add(tr, el("td"));
        if (a.requirement) add(rq, el("span", "req", a.requirement));
      });
    }
    renderValidation(body, r.validation);
    add(body, el("h3", null, "Exchanges (" + r.exchanges.length + ")"));
    r.exchanges.forEach(function (e, i) { renderExchange(body, e, i); });
  }

  list.addEventListener("toggle", function (ev) {
    var d = ev.target;
    if (!d.classList || !d.classList.contains("test") || !d.open) return;
    if (d.getAttribute("data-rendered")) return;
    d.setAttribute("data-rendered", "1");
    var r = results[Number(d.getAttribute("data-i"))];
    if (r) render(d, r);
  }, true);

  function apply() {
    var terms = q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var st = statusSel.value, pr = productSel.value, n = 0;
    rows.forEach(function (d) {
      var s = d.getAttribute("data-status");
      var ok = (st === "all" || s === st || (st === "bad" && (s === "fail" || s === "error"))) &&
        (pr === "all" || d.getAttribute("data-product") === pr);
      if (ok && terms.length) {
        var hay = hays[Number(d.getAttribute("data-i"))] || "";
        ok = terms.every(function (t) { return hay.indexOf(t) >= 0; });
      }
      d.hidden = !ok;
      if (ok) n++;
    });
    shown.textContent = n + " of " + rows.length + " tests shown";
  }
  q.addEventListener("input", apply);
  statusSel.addEventListener("change", apply);
  productSel.addEventListener("change", apply);
  Array.prototype.forEach.call(document.querySelectorAll("[data-filter]"), function (b) {
    b.addEventListener("click", function () {
      productSel.value = b.getAttribute("data-filter-product") || "all";
      statusSel.value = b.getAttribute("data-filter-status") || "all";
      q.value = b.getAttribute("data-filter-text") || "";
      apply();
      document.getElementById("tests").scrollIntoView();
    });
  });
  document.getElementById("expand").addEventListener("click", function () {
    rows.forEach(function (d) { if (!d.hidden) d.open = true; });
  });
  document.getElementById("collapse").addEventListener("click", function () {
    rows.forEach(function (d) { d.open = false; });
  });
  apply();
})();
`;
