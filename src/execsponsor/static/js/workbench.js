// Matching workbench: the "Add" buttons append what was searched to the form's one-per-line fields.
(function () {
  "use strict";
  function appendLine(textarea, line) {
    var text = textarea.value.replace(/\s+$/, "");
    textarea.value = (text ? text + "\n" : "") + line;
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-append-to]");
    if (!button) return;
    event.preventDefault();
    var target = document.getElementById(button.dataset.appendTo);
    var name = document.getElementById(button.dataset.nameFrom);
    if (!target || !name || !name.value.trim()) return;
    var line = name.value.trim();
    if (button.dataset.minFrom) {
      var low = document.getElementById(button.dataset.minFrom).value;
      var high = document.getElementById(button.dataset.maxFrom).value;
      if (low === "" || high === "") return;
      line += " = " + low + "-" + high;
    }
    appendLine(target, line);
    name.value = "";
  });
})();
