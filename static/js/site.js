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
