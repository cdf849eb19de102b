// Progressive enhancement of the questionnaire: everything works without this file.
// - a conditional question (data-show-if) is hidden, and its answer cleared, while it does not apply;
// - the text box of a "其它" option is shown only while that option is chosen;
// - the submit button is disabled after the first click.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function chosen(name) {
    var values = [];
    document.querySelectorAll('input[name="' + name + '"]:checked').forEach(function (input) {
      values.push(input.value);
    });
    return values;
  }

  function updateConditions() {
    document.querySelectorAll("[data-show-if]").forEach(function (set) {
      var wanted = set.getAttribute("data-any-of").split(" ");
      var applies = chosen(set.getAttribute("data-show-if")).some(function (v) { return wanted.indexOf(v) >= 0; });
      set.hidden = !applies;
      if (!applies) {
        set.querySelectorAll("input").forEach(function (input) {
          if (input.type === "radio" || input.type === "checkbox") { input.checked = false; } else { input.value = ""; }
        });
      }
    });
  }

  function updateOthers() {
    document.querySelectorAll("[data-other-of]").forEach(function (box) {
      var on = chosen(box.getAttribute("data-other-of")).indexOf(box.getAttribute("data-other-code")) >= 0;
      box.hidden = !on;
      if (!on) { box.querySelector("input").value = ""; }
    });
  }

  document.addEventListener("change", function () { updateConditions(); updateOthers(); });
  updateConditions();
  updateOthers();

  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("[data-once]");
      if (button) { setTimeout(function () { button.disabled = true; button.textContent = "正在提交…"; }, 0); }
    });
  });
})();
