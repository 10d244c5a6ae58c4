// Small behaviours every page may use, kept out of the templates so the Content-Security-Policy can forbid
// inline script and style attributes.
(function () {
  "use strict";

  // <span class="progress-bar" data-percent="62">: the bar's width, set through the CSS object model
  // (allowed under style-src 'self', unlike a style="" attribute).
  function sizeBars(root) {
    root.querySelectorAll("[data-percent]").forEach(function (bar) {
      const percent = Math.max(0, Math.min(100, Number(bar.dataset.percent) || 0));
      bar.style.width = percent + "%";
    });
  }

  // <input data-select-on-focus>: one click selects the whole value (a token to copy).
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("[data-select-on-focus]")) {
      event.target.select();
    }
  });

  document.addEventListener("DOMContentLoaded", function () { sizeBars(document); });
  document.addEventListener("htmx:afterSwap", function (event) { sizeBars(event.target); });
})();
