/**
 * The site's one stylesheet and one script, as files beside index.html (a
 * strict Content-Security-Policy allows neither inline styles nor inline
 * scripts). Kept as text here so the core writes them without reading a file,
 * and the same bytes come out of the sources and the build.
 *
 * The layout: the whole table readable from 1280 to 1920 px wide (text wraps
 * in its cells, nothing is cut or hidden), and on a phone (under 48rem) every
 * table becomes a list of cards, each cell with its column's name, and the
 * charts are drawn in their narrow layout: no page wider than the screen.
 *
 * The script only improves what the HTML already shows: it marks the page
 * (`html.js`: controls that need it appear, their plain stand-ins go), turns
 * the links to status and people pages into this page's views, filters the
 * rows by status, type and words, sorts them by a column (the header
 * buttons, with aria-sort), shows one person's view above the table, and
 * keeps that in the URL's query (`?status=in-review&q=widgets&sort=-age&person=grace`)
 * so a link opens the same view. It reads the URL into form controls whose
 * values it checks against the options, moves rows and sections, and sets
 * text and attributes: it never writes HTML.
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
  --ok-ink: #1d5e2b;
  --ok-paper: #e5f4e8;
}
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: var(--paper); line-height: 1.45; }
body { margin: 0; }
a { color: var(--link); }
a:focus-visible, button:focus-visible, select:focus-visible, input:focus-visible, summary:focus-visible, [tabindex]:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: 0.5rem; top: -3rem; background: var(--paper); padding: 0.5rem 0.75rem; border: 2px solid var(--ink); z-index: 1; }
.skip:focus { top: 0.5rem; }
header, main, footer { max-width: 120rem; margin: 0 auto; padding: 0 1rem; }
header { padding-top: 1rem; border-bottom: 1px solid var(--line); }
header h1 { margin: 0.25rem 0 0.5rem; font-size: 1.75rem; }
.repo { margin: 0; color: var(--muted); }
p, li, caption, summary, figcaption, td { overflow-wrap: break-word; }
/* Titles and names may be one long word (a hostile one too): they break anywhere rather than widen the table. */
td.title, td.people { overflow-wrap: anywhere; }
td.num, th.num { white-space: nowrap; }
nav ul { display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; list-style: none; padding: 0; margin: 0.75rem 0; }
ul.statuses { gap: 0.25rem 1rem; margin: 0.25rem 0 0.75rem; }
nav p { margin: 0.5rem 0 0; }
section { margin: 2rem 0; }
h2 { font-size: 1.4rem; margin: 0 0 0.75rem; border-bottom: 2px solid var(--ink); padding-bottom: 0.25rem; }
h3 { font-size: 1.15rem; margin: 1.5rem 0 0.5rem; }
h4 { font-size: 1rem; margin: 1rem 0 0.4rem; }
form.filters { display: flex; flex-wrap: wrap; gap: 0.75rem 1.25rem; align-items: end; background: var(--band); padding: 0.75rem 1rem; border: 1px solid var(--line); border-radius: 4px; margin: 0 0 0.75rem; }
form.filters div { display: flex; flex-direction: column; gap: 0.2rem; max-width: 100%; }
label { font-weight: 600; font-size: 0.95rem; }
select, input[type="search"], button { font: inherit; color: var(--ink); background: var(--paper); border: 1px solid #767676; border-radius: 3px; padding: 0.3rem 0.5rem; max-width: 100%; }
input[type="search"] { min-width: min(16rem, 100%); }
form.filters button { cursor: pointer; }
html:not(.js) .js-only { display: none; }
html.js .no-js { display: none; }
.count { margin: 0.5rem 0; color: var(--muted); }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.95rem; }
caption { text-align: left; color: var(--muted); padding: 0.25rem 0; }
th, td { text-align: left; vertical-align: top; padding: 0.4rem 0.5rem; border-bottom: 1px solid var(--line); }
thead th { background: var(--band); border-bottom: 2px solid var(--ink); }
/* The SEP table: ten columns in 1280 px and more; titles and names wrap, nothing is cut. */
table.sep-table { font-size: 0.9rem; }
table.sep-table th, table.sep-table td { padding: 0.35rem 0.4rem; }
table.sep-table td.title { min-width: 14rem; }
table.sep-table td.people { min-width: 9rem; }
th button { all: unset; cursor: pointer; font-weight: 700; }
th button:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
th button::after { content: " \\2195"; color: var(--muted); }
th[aria-sort="ascending"] button::after { content: " \\2191"; color: var(--ink); }
th[aria-sort="descending"] button::after { content: " \\2193"; color: var(--ink); }
time { white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr[hidden] { display: none; }
details { margin: 1rem 0; }
summary { cursor: pointer; font-weight: 600; padding: 0.4rem 0; }
.badge { display: inline-block; padding: 0 0.4rem; border-radius: 3px; font-size: 0.85rem; border: 1px solid var(--line); background: var(--band); }
.badge.warning, .badge.unchecked { color: var(--warn-ink); background: var(--warn-paper); border-color: var(--warn-ink); }
.badge.dormancy, .badge.failure { color: var(--act-ink); background: var(--act-paper); border-color: var(--act-ink); }
/* A SEP in an SDK: done (or not needed) reads as settled, no access and not planned as someone's to sort out. */
.badge.sdk-done, .badge.sdk-not-needed { color: var(--ok-ink); background: var(--ok-paper); border-color: var(--ok-ink); }
.badge.sdk-no-access, .badge.sdk-not-planned { color: var(--warn-ink); background: var(--warn-paper); border-color: var(--warn-ink); }
table.release-matrix td.title { min-width: 14rem; }
figure { margin: 1rem 0; }
figcaption { color: var(--muted); font-size: 0.95rem; }
svg.chart { max-width: 100%; height: auto; display: block; }
svg.chart.narrow { display: none; }
ul.people { columns: 14rem; padding-left: 1.25rem; }
.person { border-left: 4px solid transparent; padding-left: 0.75rem; }
.person:target, .person.chosen { border-left-color: var(--focus); background: var(--band); }
.muted { color: var(--muted); }
footer { border-top: 1px solid var(--line); padding-top: 0.75rem; padding-bottom: 2rem; color: var(--muted); }
/* A phone: every table a list of cards (a cell per line, with its column's name), the charts' narrow layout. */
@media (max-width: 48rem) {
  header, main, footer { padding: 0 0.75rem; }
  header h1 { font-size: 1.4rem; }
  table.cards, table.cards tbody, table.cards tr, table.cards td, table.cards caption { display: block; width: 100%; }
  table.cards thead { display: none; }
  table.cards tr { border: 1px solid var(--line); border-radius: 4px; margin: 0 0 0.6rem; padding: 0.3rem 0.5rem; }
  table.cards tr[hidden] { display: none; }
  table.cards td { display: grid; grid-template-columns: 7.5rem minmax(0, 1fr); gap: 0.5rem; border: 0; padding: 0.15rem 0; min-width: 0; text-align: left; overflow-wrap: anywhere; }
  table.cards td.num { white-space: normal; }
  table.sep-table td.title, table.sep-table td.people, table.release-matrix td.title { min-width: 0; }
  table.cards td::before { content: attr(data-label); font-weight: 600; color: var(--muted); }
  svg.chart.wide { display: none; }
  svg.chart.narrow { display: block; }
  ul.people { columns: 1; }
}
`;

export const SITE_JS = `(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var ANY = "";
  function byId(id) { return document.getElementById(id); }
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  // Links to the pages of their own (status/, people/) become this page's views.
  each(document.querySelectorAll("a[data-person]"), function (a) {
    a.setAttribute("href", "?person=" + encodeURIComponent(a.getAttribute("data-person")));
  });
  each(document.querySelectorAll("a[data-status]"), function (a) {
    a.setAttribute("href", "?status=" + encodeURIComponent(a.getAttribute("data-status")) + "#seps");
  });

  var form = byId("sep-filter");
  var table = byId("sep-table");
  if (!form || !table || !table.tBodies[0]) return;
  var bodies = [table.tBodies[0]];
  var finishedTable = byId("sep-finished");
  if (finishedTable && finishedTable.tBodies[0]) bodies.push(finishedTable.tBodies[0]);
  var rowsOf = bodies.map(function (b) { return Array.prototype.slice.call(b.rows); });
  var finished = byId("finished");
  var count = byId("sep-count");
  var status = form.elements.namedItem("status");
  var type = form.elements.namedItem("type");
  var q = form.elements.namedItem("q");
  var sortField = form.elements.namedItem("sort");
  var personField = form.elements.namedItem("person");
  var picker = byId("person-picker");
  var pick = byId("f-person");
  var view = byId("needs-view");
  var waiting = byId("waiting");
  var buttons = Array.prototype.slice.call(document.querySelectorAll("table.sep-table thead button[data-sort]"));
  var keys = buttons.map(function (b) { return b.getAttribute("data-sort"); });
  var NUMERIC = { number: true, status: true, type: true, age: true };
  var sort = "";
  var person = "";
  var finishedOpen = false;

  function option(select, value) {
    for (var i = 0; i < select.options.length; i++) if (select.options[i].value === value) return value;
    return ANY;
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
    person = pick ? option(pick, p.get("person") || "") : "";
    if (pick) pick.value = person;
    personField.value = person;
    finishedOpen = p.get("finished") === "1";
  }
  function toUrl() {
    var p = new URLSearchParams();
    if (status.value) p.set("status", status.value);
    if (type.value) p.set("type", type.value);
    if (q.value.trim()) p.set("q", q.value.trim());
    if (sort) p.set("sort", sort);
    if (person) p.set("person", person);
    if (finished && finished.open && !finishedAsked()) p.set("finished", "1");
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
    rowsOf.forEach(function (rows, i) {
      var sorted = rows.slice();
      if (key) sorted.sort(function (a, b) { return compare(a, b, key, dir) || compare(a, b, "number", 1); });
      sorted.forEach(function (row) { bodies[i].appendChild(row); });
    });
    buttons.forEach(function (b) {
      var th = b.parentNode;
      if (b.getAttribute("data-sort") === (key || "number")) th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
      else th.removeAttribute("aria-sort");
    });
  }
  // A status filter on an end state asks for the finished SEPs.
  function finishedAsked() {
    return !!status.value && (rowsOf[1] || []).some(function (row) { return row.getAttribute("data-status") === status.value; });
  }
  // One person's view above the table: their section moves there (and back when another is chosen).
  function showPerson() {
    if (!view) return;
    var current = view.querySelector("section.person");
    if (current && current.getAttribute("data-login") !== person) {
      current.classList.remove("chosen");
      if (waiting) waiting.appendChild(current);
      current = null;
    }
    if (person && !current) {
      each(document.querySelectorAll("#waiting section.person[data-login]"), function (s) {
        if (s.getAttribute("data-login") === person) current = s;
      });
      if (current) {
        current.classList.add("chosen");
        view.appendChild(current);
      }
    }
    view.hidden = !current;
  }
  function apply(remember) {
    var words = q.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var shown = [0, 0];
    rowsOf.forEach(function (rows, i) {
      rows.forEach(function (row) {
        var text = row.getAttribute("data-text") || "";
        var ok = (!status.value || row.getAttribute("data-status") === status.value) &&
          (!type.value || row.getAttribute("data-type") === type.value) &&
          words.every(function (w) { return text.indexOf(w) >= 0; });
        row.hidden = !ok;
        if (ok) shown[i]++;
      });
    });
    order();
    if (finished && (finishedOpen || finishedAsked())) finished.open = true;
    var active = rowsOf[0].length;
    var done = rowsOf[1] ? rowsOf[1].length : 0;
    var filtered = !!(status.value || type.value || words.length);
    var sepWord = function (n) { return n + (n === 1 ? " SEP" : " SEPs"); };
    count.textContent = filtered
      ? "Showing " + shown[0] + " of " + sepWord(active) + " in progress" + (done ? ", and " + shown[1] + " of " + done + " finished" : "") + "."
      : "Showing all " + sepWord(active) + " in progress" + (done ? "; " + done + " finished below" : "") + ".";
    showPerson();
    if (remember) toUrl();
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); apply(true); });
  status.addEventListener("change", function () { apply(true); });
  type.addEventListener("change", function () { apply(true); });
  q.addEventListener("input", function () { apply(true); });
  if (finished) finished.addEventListener("toggle", function () { finishedOpen = finished.open; toUrl(); });
  function choose() {
    person = pick.value;
    personField.value = person;
    apply(true);
    if (person && view && !view.hidden) view.scrollIntoView();
  }
  if (picker && pick) {
    picker.addEventListener("submit", function (event) { event.preventDefault(); choose(); });
    pick.addEventListener("change", choose);
  }
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
