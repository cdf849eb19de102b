// Downloads of generated documents: when generation takes more than a second, a progress
// indicator is shown until the file arrives. Without this file the links download directly.
(function () {
  "use strict";
  var status = document.getElementById("generate-status");
  if (!status || !window.fetch) { return; }
  document.querySelectorAll("a[data-generate]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var timer = setTimeout(function () { status.hidden = false; }, 1000);
      fetch(link.href, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.blob();
      }).then(function (blob) {
        var url = URL.createObjectURL(blob);
        var save = document.createElement("a");
        save.href = url;
        save.download = link.getAttribute("data-generate");
        document.body.appendChild(save);
        save.click();
        save.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
        status.hidden = true;
      }).catch(function () {
        status.hidden = false;
        status.querySelector("span").textContent = "生成失败，请稍后重试。";
        status.querySelector("progress").hidden = true;
      }).finally(function () { clearTimeout(timer); });
    });
  });
}());
