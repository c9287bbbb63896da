/**
 * The site's one stylesheet and one script, as files beside index.html (a
 * strict Content-Security-Policy allows neither inline styles nor inline
 * scripts). Kept as text here so the core writes them without reading a file,
 * and the same bytes come out of the sources and the build.
 *
 * The script only improves what the HTML already shows: it filters the rows
 * by status, type and words, sorts them by a column (the header buttons, with
 * aria-sort), and keeps that in the URL's query (`?status=in-review&q=widgets&sort=-age`)
 * so a link opens the same view. It reads the URL into form controls whose
 * values it checks against the options, moves rows, and sets text: it never
 * writes HTML.
 */

export const SITE_CSS = `:root {
  --ink: #1b1b1b;
  --muted: #4a4a4a;
  --line: #c8c8c8;
  --paper: #ffffff;
  --band: #f3f5f8;
  --link: #0b57d0;
  --focus: #b35c00;
  --warn-ink: #7a3e00;
  --warn-paper: #fff1db;
  --act-ink: #8a1c1c;
  --act-paper: #fde8e8;
}
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: var(--paper); line-height: 1.45; }
body { margin: 0; }
a { color: var(--link); }
a:focus-visible, button:focus-visible, select:focus-visible, input:focus-visible, [tabindex]:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: 0.5rem; top: -3rem; background: var(--paper); padding: 0.5rem 0.75rem; border: 2px solid var(--ink); z-index: 1; }
.skip:focus { top: 0.5rem; }
header, main, footer { max-width: 80rem; margin: 0 auto; padding: 0 1rem; }
header { padding-top: 1rem; border-bottom: 1px solid var(--line); }
header h1 { margin: 0.25rem 0 0.5rem; font-size: 1.75rem; }
.repo { margin: 0; color: var(--muted); }
nav ul { display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; list-style: none; padding: 0; margin: 0.75rem 0; }
section { margin: 2rem 0; }
h2 { font-size: 1.4rem; margin: 0 0 0.75rem; border-bottom: 2px solid var(--ink); padding-bottom: 0.25rem; }
h3 { font-size: 1.15rem; margin: 1.5rem 0 0.5rem; }
h4 { font-size: 1rem; margin: 1rem 0 0.4rem; }
form.filters { display: flex; flex-wrap: wrap; gap: 0.75rem 1.25rem; align-items: end; background: var(--band); padding: 0.75rem 1rem; border: 1px solid var(--line); border-radius: 4px; }
form.filters div { display: flex; flex-direction: column; gap: 0.2rem; }
label { font-weight: 600; font-size: 0.95rem; }
select, input[type="search"], button { font: inherit; color: var(--ink); background: var(--paper); border: 1px solid #767676; border-radius: 3px; padding: 0.3rem 0.5rem; }
input[type="search"] { min-width: 16rem; }
form.filters button { cursor: pointer; }
.count { margin: 0.5rem 0; color: var(--muted); }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.95rem; }
caption { text-align: left; color: var(--muted); padding: 0.25rem 0; }
th, td { text-align: left; vertical-align: top; padding: 0.4rem 0.5rem; border-bottom: 1px solid var(--line); }
thead th { background: var(--band); border-bottom: 2px solid var(--ink); white-space: nowrap; }
th button { all: unset; cursor: pointer; font-weight: 700; }
th button:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
th button::after { content: " \\2195"; color: var(--muted); }
th[aria-sort="ascending"] button::after { content: " \\2191"; color: var(--ink); }
th[aria-sort="descending"] button::after { content: " \\2193"; color: var(--ink); }
time { white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr[hidden] { display: none; }
.badge { display: inline-block; padding: 0 0.4rem; border-radius: 3px; font-size: 0.85rem; border: 1px solid var(--line); background: var(--band); }
.badge.warning { color: var(--warn-ink); background: var(--warn-paper); border-color: var(--warn-ink); }
.badge.dormancy, .badge.failure { color: var(--act-ink); background: var(--act-paper); border-color: var(--act-ink); }
figure { margin: 1rem 0; }
figcaption { color: var(--muted); font-size: 0.95rem; }
svg.chart { max-width: 100%; height: auto; display: block; }
ul.people { columns: 14rem; padding-left: 1.25rem; }
.person { border-left: 4px solid transparent; padding-left: 0.75rem; }
.person:target { border-left-color: var(--focus); background: var(--band); }
.muted { color: var(--muted); }
footer { border-top: 1px solid var(--line); padding-top: 0.75rem; padding-bottom: 2rem; color: var(--muted); }
`;

export const SITE_JS = `(function () {
  "use strict";
  var form = document.getElementById("sep-filter");
  var table = document.getElementById("sep-table");
  if (!form || !table || !table.tBodies[0]) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var count = document.getElementById("sep-count");
  var status = form.elements.namedItem("status");
  var type = form.elements.namedItem("type");
  var q = form.elements.namedItem("q");
  var sortField = form.elements.namedItem("sort");
  var buttons = Array.prototype.slice.call(table.querySelectorAll("thead button[data-sort]"));
  var keys = buttons.map(function (b) { return b.getAttribute("data-sort"); });
  var NUMERIC = { number: true, status: true, type: true, age: true };
  var sort = "";
  var note = document.getElementById("sep-nojs");
  if (note) note.hidden = true;

  function option(select, value) {
    for (var i = 0; i < select.options.length; i++) if (select.options[i].value === value) return value;
    return "";
  }
  function validSort(value) {
    var key = (value || "").replace(/^-/, "");
    return keys.indexOf(key) >= 0 ? value : "";
  }
  function fromUrl() {
    var p = new URLSearchParams(window.location.search);
    status.value = option(status, p.get("status") || "");
    type.value = option(type, p.get("type") || "");
    q.value = (p.get("q") || "").slice(0, 200);
    sort = validSort(p.get("sort"));
    sortField.value = sort;
  }
  function toUrl() {
    var p = new URLSearchParams();
    if (status.value) p.set("status", status.value);
    if (type.value) p.set("type", type.value);
    if (q.value.trim()) p.set("q", q.value.trim());
    if (sort) p.set("sort", sort);
    var query = p.toString();
    try {
      window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
    } catch (e) {
      /* a browser that refuses to change a file: URL keeps the view, not the link */
    }
  }
  function value(row, key) {
    var v = row.getAttribute("data-key-" + key);
    return v === null || v === "" ? null : v;
  }
  function compare(a, b, key, dir) {
    var x = value(a, key);
    var y = value(b, key);
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    var c = NUMERIC[key] ? Number(x) - Number(y) : x < y ? -1 : x > y ? 1 : 0;
    return c * dir;
  }
  function order() {
    var key = sort.replace(/^-/, "");
    var dir = sort.charAt(0) === "-" ? -1 : 1;
    var sorted = rows.slice();
    if (key) sorted.sort(function (a, b) { return compare(a, b, key, dir) || compare(a, b, "number", 1); });
    sorted.forEach(function (row) { body.appendChild(row); });
    buttons.forEach(function (b) {
      var th = b.parentNode;
      var own = b.getAttribute("data-sort");
      if (own === (key || "number")) th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
      else th.removeAttribute("aria-sort");
    });
  }
  function apply(remember) {
    var words = q.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row) {
      var text = row.getAttribute("data-text") || "";
      var ok = (!status.value || row.getAttribute("data-status") === status.value) &&
        (!type.value || row.getAttribute("data-type") === type.value) &&
        words.every(function (w) { return text.indexOf(w) >= 0; });
      row.hidden = !ok;
      if (ok) shown++;
    });
    order();
    count.textContent = shown === rows.length
      ? "Showing all " + rows.length + " SEPs."
      : "Showing " + shown + " of " + rows.length + " SEPs.";
    if (remember) toUrl();
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); apply(true); });
  status.addEventListener("change", function () { apply(true); });
  type.addEventListener("change", function () { apply(true); });
  q.addEventListener("input", function () { apply(true); });
  buttons.forEach(function (b) {
    b.addEventListener("click", function () {
      var key = b.getAttribute("data-sort");
      sort = sort === key ? "-" + key : key;
      sortField.value = sort;
      apply(true);
    });
  });
  fromUrl();
  apply(false);
})();
`;
