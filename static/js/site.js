// Behaviour the pages share. Scripts live in files: the Content-Security-Policy allows no inline script.

// A select marked data-submit-on-change submits its form when changed (the language switch).
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target && target.matches && target.matches("select[data-submit-on-change]") && target.form) {
    target.form.submit();
  }
});
