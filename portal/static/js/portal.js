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
    // Share: the Web Share API where the device has it, else copy the link; the link itself
    // (href) is the fallback without JavaScript.
    document.querySelectorAll("[data-share]").forEach(function (link) {
      var status = link.closest(".share-save") && link.closest(".share-save").querySelector("[data-share-status]");
      function say(text) { if (status) { status.textContent = text; } }
      link.addEventListener("click", function (event) {
        var url = link.getAttribute("href");
        if (navigator.share) {
          event.preventDefault();
          navigator.share({ title: link.getAttribute("data-share-title") || document.title, url: url })
            .catch(function () { /* cancelled by the person: nothing to say */ });
        } else if (navigator.clipboard && navigator.clipboard.writeText) {
          event.preventDefault();
          navigator.clipboard.writeText(url).then(
            function () { say(link.getAttribute("data-share-copied")); },
            function () { say(link.getAttribute("data-share-failed")); }
          );
        }
      });
    });
    // Print: a button only JavaScript can work, so it stays hidden without it.
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
