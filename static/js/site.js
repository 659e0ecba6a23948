// Behaviour the pages share. Scripts live in files: the Content-Security-Policy allows no inline script.
// Without this file every page still works: the menu is shown in full and each group opens by itself.

// On a narrow screen the navigation folds behind a "Menu" button.
document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", function () {
  var toggle = document.querySelector(".menu-toggle");
  var nav = document.getElementById("site-nav");
  if (!toggle || !nav) return;
  toggle.hidden = false;
  toggle.addEventListener("click", function () {
    var open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("open", open);
  });
});

// One task group open at a time; a click elsewhere or Escape closes it.
function closeGroups(except) {
  document.querySelectorAll(".nav-group details[open]").forEach(function (group) {
    if (group !== except) group.removeAttribute("open");
  });
}
document.addEventListener("toggle", function (event) {
  var target = event.target;
  if (target.matches && target.matches(".nav-group details") && target.open) closeGroups(target);
}, true);
document.addEventListener("click", function (event) {
  if (!event.target.closest || !event.target.closest(".nav-group")) closeGroups(null);
});
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") return;
  var open = document.querySelector(".nav-group details[open]");
  if (open) {
    open.removeAttribute("open");
    open.querySelector("summary").focus();
  }
});

// Tables stack on a phone (one block per row, each cell led by its column's name; see site.css): the
// column names are copied from the header row into each cell's data-label.  Tables whose header spans
// columns or rows, and comparisons (read across), keep scrolling inside themselves instead.
function stackTables(root) {
  root.querySelectorAll("table:not(.stack):not(.compare):not(.counters)").forEach(function (table) {
    var rows = table.tHead ? table.tHead.rows : [];
    if (rows.length !== 1 || table.querySelector("[colspan], [rowspan]")) return;
    var names = Array.prototype.map.call(rows[0].cells, function (cell) { return cell.textContent.trim(); });
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        Array.prototype.forEach.call(row.cells, function (cell, i) {
          if (names[i] && !cell.hasAttribute("data-label") && cell.tagName === "TD") cell.setAttribute("data-label", names[i]);
        });
      });
    });
    table.classList.add("stack");
  });
}
document.addEventListener("DOMContentLoaded", function () { stackTables(document); });
document.addEventListener("htmx:afterSwap", function (event) { stackTables(event.target); });
