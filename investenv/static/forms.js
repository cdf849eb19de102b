// Progressive enhancement of forms the server refused: everything works without this file.
// - the focus moves to the error summary ([data-error-summary]), so that a keyboard or screen-reader user
//   starts from the list of what to change;
// - an entry of the summary moves the focus to its field (a plain link only scrolls to it).
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) { return; }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var target = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!target) { return; }
    var scope = target.tagName === "LEGEND" ? target.parentElement : target;  // a question's anchor is its legend
    var control = scope.matches("input, select, textarea") ? scope : scope.querySelector("input, select, textarea");
    if (!control) { return; }
    event.preventDefault();
    var label = document.querySelector("label[for='" + control.id + "']") || target;
    label.scrollIntoView();
    control.focus({ preventScroll: true });
  });
})();
