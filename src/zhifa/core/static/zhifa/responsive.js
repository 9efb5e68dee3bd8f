/* zhifa — phone layout helpers (see responsive.css), for the internal app and the public portal.
   1. Every data table in <main> (one with a header row of three or more columns) gets the class .table-cards
      and every body cell a data-label with its column's header, so that phones show each row as a card.
      A table opts out with data-no-cards; a cell already carrying data-label keeps it.
   2. A tab row that overflows scrolls its active tab into view and gets a hint below it.
   Runs on load and after every htmx swap; a cell already labelled or wrapped is left as it is. */
(function () {
  "use strict";

  function headerLabels(table) {
    var head = table.tHead && table.tHead.rows.length ? table.tHead.rows[table.tHead.rows.length - 1] : null;
    if (!head) { return null; }
    var labels = [];
    Array.prototype.forEach.call(head.cells, function (th) {
      var text = (th.getAttribute("data-label") || th.textContent || "").replace(/\s+/g, " ").trim();
      for (var i = 0; i < (th.colSpan || 1); i++) { labels.push(text); }
    });
    return labels;
  }

  // The cell's content in one box beside its label (a float), so that a second line does not run under it.
  function wrap(cell) {
    if (!cell.getAttribute("data-label") || cell.querySelector(":scope > .cell-value")) { return; }
    var box = document.createElement("div");
    box.className = "cell-value";
    while (cell.firstChild) { box.appendChild(cell.firstChild); }
    cell.appendChild(box);
  }

  function cardify(table) {
    if (table.hasAttribute("data-no-cards")) { return; }
    var labels = headerLabels(table);
    if (!labels || labels.length < 3) { return; }
    table.classList.add("table-cards");
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var col = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          var span = cell.colSpan || 1;
          if (!cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", span >= labels.length ? "" : (labels[col] || ""));
          }
          wrap(cell);
          col += span;
        });
      });
    });
  }

  function tabRows(root) {
    root.querySelectorAll(".nav-tabs, main .nav-pills").forEach(function (row) {
      if (row.scrollWidth <= row.clientWidth + 1) { return; }
      var active = row.querySelector(".active");
      if (active) {
        var left = active.getBoundingClientRect().left - row.getBoundingClientRect().left + row.scrollLeft;
        if (left + active.offsetWidth > row.scrollLeft + row.clientWidth) { row.scrollLeft = left - 24; }
      }
      var next = row.nextElementSibling;
      if (!next || !next.classList.contains("nav-scroll-hint")) {
        var hint = document.createElement("div");
        hint.className = "nav-scroll-hint";
        hint.setAttribute("aria-hidden", "true");
        hint.textContent = "← 左右滑动查看更多 →";
        row.parentNode.insertBefore(hint, row.nextSibling);
      }
    });
  }

  function apply() {
    var main = document.getElementById("main") || document.body;
    Array.prototype.forEach.call(main.querySelectorAll("table"), cardify);
    tabRows(document);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", apply);
  } else {
    apply();
  }
  // rows and tables swapped in by htmx get their labels too (cells already labelled are left alone)
  document.addEventListener("htmx:afterSettle", apply);
  window.addEventListener("resize", function () { tabRows(document); });
}());
