// Progressive enhancement of the intake page: everything works without this file (the search is
// a GET form that fills the intake form).  As the clerk types in the registry search, the matching
// enterprises are listed under it; each is a link that fills the form from the registry.
(function () {
  "use strict";
  var form = document.querySelector("[data-enterprise-search]");
  if (!form) { return; }
  var input = form.querySelector("#find");
  var results = document.getElementById("found");
  var address = form.getAttribute("data-enterprise-search");
  var timer = null;
  var latest = 0;

  function item(enterprise) {
    var li = document.createElement("li");
    var link = document.createElement("a");
    link.href = enterprise.url;
    link.textContent = enterprise.name;
    var code = document.createElement("span");
    code.className = "mono small";
    code.textContent = " " + enterprise.credit_code + " ";
    var place = document.createElement("span");
    place.className = "muted small";
    place.textContent = enterprise.place;
    li.append(link, code, place);
    return li;
  }

  function show(text, enterprises) {
    results.textContent = "";
    if (enterprises.length) {
      var list = document.createElement("ul");
      list.className = "enterprise-results";
      enterprises.forEach(function (e) { list.appendChild(item(e)); });
      results.appendChild(list);
    } else {
      var none = document.createElement("p");
      none.textContent = "企业名录中没有找到“" + text + "”。";
      results.appendChild(none);
    }
    var path = document.createElement("p");
    var link = document.createElement("a");
    link.id = "not-in-registry";
    link.href = form.getAttribute("action") + "?new=" + encodeURIComponent(text);
    link.textContent = "不在名录中：以“" + text + "”直接填写投诉企业";
    path.append(link, "（名录外的企业也可以登记投诉；信用代码可以不填）。");
    results.appendChild(path);
  }

  function search() {
    var text = input.value.trim();
    var ticket = ++latest;
    if (!text) { results.textContent = ""; return; }
    fetch(address + "?find=" + encodeURIComponent(text), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (enterprises) { if (ticket === latest) { show(text, enterprises); } })
      .catch(function () { /* the search button still works */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  });
})();
