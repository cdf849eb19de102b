// Paper questionnaire keying (survey/paper_entry.html): the form number narrows the counties to its
// prefecture, and a 其它 text box joins the tab order only while its question's answer holds 其它.
(function () {
  "use strict";
  var form = document.querySelector("form.paper-entry");
  if (!form) return;
  var code = form.querySelector("[name=form_code]");
  var county = form.querySelector("[name=county]");

  function narrowCounties() {
    var head = (code.value.trim().match(/^(\d{4})-/) || [])[1];
    county.querySelectorAll("optgroup").forEach(function (group) {
      var first = group.querySelector("option");
      var mine = !head || (first && first.value.indexOf(head) === 0);
      group.hidden = group.disabled = !mine;
      if (!mine && group.contains(county.selectedOptions[0])) county.value = "";
    });
  }

  function followOther(box) {
    var other = document.getElementById(box.dataset.other);
    var chosen = box.value.toUpperCase().indexOf(box.dataset.otherCode) >= 0;
    other.tabIndex = chosen ? 0 : -1;
    other.closest(".other").classList.toggle("chosen", chosen);
  }

  code.addEventListener("input", narrowCounties);
  narrowCounties();
  form.querySelectorAll("[data-other]").forEach(function (box) {
    box.addEventListener("input", function () { followOther(box); });
    followOther(box);
  });
})();
