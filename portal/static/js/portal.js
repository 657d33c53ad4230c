/* Small progressive enhancements; every page works without JavaScript. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // Move focus to the error summary so screen-reader users hear it first.
    var summary = document.getElementById("form-errors");
    if (summary) { summary.focus(); }
    // Search filters: behind the "Filtri" button on phones, open beside the results on wide screens.
    var filters = document.getElementById("filters");
    if (filters && window.matchMedia("(min-width: 992px)").matches) { filters.open = true; }
    // Ask before leaving the page with a confirmation button marked data-confirm.
    document.querySelectorAll("[data-confirm]").forEach(function (el) {
      el.addEventListener("click", function (event) {
        if (!window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  });
})();
