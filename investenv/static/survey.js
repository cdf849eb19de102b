// Progressive enhancement of the questionnaire: everything works without this file.
// - a conditional question (data-show-if) is hidden, and its answer cleared, while it does not apply;
// - the text box of a "其它" option is shown only while that option is chosen;
// - "以上都没有" (data-exclusive) clears the other boxes of its question, and another box clears it;
// - every answer is saved to the server as it is given (the form's data-autosave address): a choice
//   at once, typed text after a pause and when the page is hidden or closed; data-save-status says how;
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

  function keepExclusive(ticked) {
    if (!ticked || ticked.type !== "checkbox" || !ticked.checked) { return; }
    document.querySelectorAll('input[type="checkbox"][name="' + ticked.name + '"]').forEach(function (box) {
      if (box !== ticked && (ticked.hasAttribute("data-exclusive") || box.hasAttribute("data-exclusive"))) {
        box.checked = false;
      }
    });
  }

  function autosaver(form) {
    var address = form.getAttribute("data-autosave");
    var status = form.querySelector("[data-save-status]");
    var timer = null, busy = false, again = false, dirty = false, submitter = null;

    function say(text, failed) {
      if (status) {
        status.textContent = text;
        status.classList.toggle("error", Boolean(failed));
      }
    }

    function payload() { return new FormData(form); }

    function explain(body) {
      var errors = body.errors || {};
      var messages = Object.keys(errors).map(function (key) {
        var number = /^q(\d+)/.exec(key);
        return (number ? "第 " + number[1] + " 题：" : "") + errors[key];
      });
      return "未能自动保存" + (messages.length ? "：" + messages.join("；") : (body.message ? "：" + body.message : "")) +
        "。也可以点击页面下方的按钮保存。";
    }

    function finished() {
      busy = false;
      if (submitter !== null) {  // the page's button was pressed while a save was on its way
        var button = submitter;
        submitter = null;
        if (form.requestSubmit) { form.requestSubmit(button || undefined); } else { form.submit(); }
      } else if (again) {
        again = false;
        save();
      }
    }

    function save() {
      clearTimeout(timer);
      timer = null;
      if (busy) { again = true; return; }
      busy = true;
      dirty = false;
      say("正在保存…");
      fetch(address, { method: "POST", body: payload(), credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.json().catch(function () { return {}; }).then(function (body) {
            if (response.ok && body.saved) {
              say("已自动保存（" + new Date().toTimeString().slice(0, 5) + "）。可以随时关闭页面，之后用同一链接继续。");
            } else {
              say(explain(body), true);
            }
          });
        })
        .catch(function () {
          dirty = true;
          say("网络不通，暂未保存；恢复后会自动再试，也可以点击页面下方的按钮保存。", true);
        })
        .then(finished);
    }

    function soon() {
      dirty = true;
      clearTimeout(timer);
      timer = setTimeout(save, 800);
    }

    function flush() {  // the page is going away: hand what is not saved yet to the browser to send
      if ((dirty || timer !== null) && navigator.sendBeacon) {
        clearTimeout(timer);
        timer = null;
        dirty = false;
        navigator.sendBeacon(address, payload());
      }
    }

    say("您的回答会随时自动保存，可以随时关闭页面，之后用同一链接继续。");
    form.addEventListener("input", function (event) {
      if (event.target.type === "text" || event.target.tagName === "TEXTAREA") { soon(); }
    });
    form.addEventListener("submit", function (event) {
      clearTimeout(timer);
      timer = null;
      dirty = false;
      if (busy) {  // let the save on its way finish first, so that it cannot overwrite this newer page
        event.preventDefault();
        submitter = event.submitter || false;
      }
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") { flush(); }
    });
    window.addEventListener("pagehide", flush);
    window.addEventListener("online", function () { if (dirty) { save(); } });
    return save;
  }

  var form = document.querySelector("form[data-autosave]");
  var saveNow = form ? autosaver(form) : null;

  document.addEventListener("change", function (event) {
    keepExclusive(event.target);
    updateConditions();
    updateOthers();
    if (saveNow && form.contains(event.target)) { saveNow(); }
  });
  updateConditions();
  updateOthers();

  document.querySelectorAll("form").forEach(function (each) {
    each.addEventListener("submit", function () {
      var button = each.querySelector("[data-once]");
      if (button) { setTimeout(function () { button.disabled = true; button.textContent = "正在提交…"; }, 0); }
    });
  });
})();
