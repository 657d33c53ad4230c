/* "Cosa fa per me?": keeps the answers only in this browser (the URL fragment and
   sessionStorage), sends them as JSON to the stateless results endpoint and shows the list.
   No inline script (CSP); without JavaScript the form posts once and nothing is kept. */
(function () {
  "use strict";
  var STORE = "crocevia-matching";
  var SINGLE = ["age", "comune", "province", "travel", "italian", "hours"];
  var MULTIPLE = ["looking", "situation", "sectors"];

  function collect(form) {
    var answers = {};
    SINGLE.forEach(function (name) {
      var field = form.elements[name];
      var value = field ? String(field.value || "").trim().slice(0, 100) : "";
      if (value) { answers[name] = value; }
    });
    MULTIPLE.forEach(function (name) {
      var values = [];
      form.querySelectorAll('input[name="' + name + '"]:checked').forEach(function (box) { values.push(box.value); });
      if (values.length) { answers[name] = values; }
    });
    return answers;
  }

  function toFragment(answers) {
    var params = new URLSearchParams();
    Object.keys(answers).forEach(function (name) {
      [].concat(answers[name]).forEach(function (value) { params.append(name, value); });
    });
    return params.toString();
  }

  function fromFragment(text) {
    var answers = {};
    var params;
    try { params = new URLSearchParams(text.replace(/^#/, "").slice(0, 4000)); } catch (e) { return answers; }
    SINGLE.forEach(function (name) {
      var value = params.get(name);
      if (value) { answers[name] = value.slice(0, 100); }
    });
    MULTIPLE.forEach(function (name) {
      var values = params.getAll(name).slice(0, 30);
      if (values.length) { answers[name] = values; }
    });
    return answers;
  }

  /* Only values the form offers are set; anything else in the fragment is ignored. */
  function fill(form, answers) {
    SINGLE.forEach(function (name) {
      var value = answers[name];
      if (!value) { return; }
      var field = form.elements[name];
      if (!field) { return; }
      if (field instanceof RadioNodeList) {
        var radios = form.querySelectorAll('input[name="' + name + '"]');
        if ([].some.call(radios, function (radio) { return radio.value === value; })) {
          radios.forEach(function (radio) { radio.checked = radio.value === value; });
        }
      } else if (field.tagName === "SELECT") {
        if ([].some.call(field.options, function (o) { return o.value === value; })) { field.value = value; }
      } else {
        field.value = value;
      }
    });
    MULTIPLE.forEach(function (name) {
      var values = answers[name] || [];
      form.querySelectorAll('input[name="' + name + '"]').forEach(function (box) { box.checked = values.indexOf(box.value) !== -1; });
    });
  }

  function saved() {
    if (window.location.hash.length > 1) { return fromFragment(window.location.hash); }
    try { return fromFragment(window.sessionStorage.getItem(STORE) || ""); } catch (e) { return {}; }
  }

  function remember(answers) {
    // Only this tab's storage: writing the answers into the address would put them in the
    // browser's history, which outlives the tab (and a shared computer's next user sees it).
    // A fragment someone opens (a link they made themselves) is read once and then removed.
    try { window.sessionStorage.setItem(STORE, toFragment(answers)); } catch (e) { /* private mode: nothing kept */ }
    if (window.location.hash) { window.history.replaceState(null, "", window.location.pathname + window.location.search); }
  }

  function show(target, html, focus) {
    target.innerHTML = html;
    var heading = target.querySelector("#match-results-title");
    if (heading && focus) { heading.focus(); }
  }

  function announce(text) {
    var live = document.getElementById("match-summary");
    if (live) { live.textContent = text || ""; }
  }

  function failure(form, target, message) {
    var box = document.createElement("div");
    box.className = "alert alert-danger";
    box.setAttribute("role", "alert");
    box.textContent = message;
    target.replaceChildren(box);
    announce("");
  }

  function run(form, target, answers, focus) {
    target.setAttribute("aria-busy", "true");
    return fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json"},
      body: JSON.stringify(answers)
    }).then(function (response) {
      // A refusal from in front of the portal (a proxy's 413 or 429) may not be JSON.
      var fallback = {413: "data-too-large", 429: "data-too-many"}[response.status] || "data-offline";
      return response.json().catch(function () { return {error: form.getAttribute(fallback)}; })
        .then(function (body) { return {ok: response.ok, body: body || {}}; });
    }).then(function (result) {
      if (result.ok && typeof result.body.html === "string") {
        show(target, result.body.html, focus);
        announce(result.body.summary);
      } else {
        failure(form, target, result.body.error || form.getAttribute("data-offline") || "Error");
      }
    }).catch(function () {
      failure(form, target, form.getAttribute("data-offline") || "Network error");
    }).finally(function () { target.removeAttribute("aria-busy"); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("match-form");
    var target = document.getElementById("match-results");
    if (!form || !target) { return; }
    var clear = form.querySelector("[data-matching-clear]");
    if (clear) { clear.hidden = false; }
    var answers = saved();
    fill(form, answers);
    if (Object.keys(answers).length) { run(form, target, collect(form), false); }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var current = collect(form);
      remember(current);
      run(form, target, current, true);
    });
    // Back/forward, or a link to the page with other answers in its fragment: show those.
    window.addEventListener("hashchange", function () {
      if (window.location.hash.length <= 1) { return; }
      var changed = fromFragment(window.location.hash);
      form.reset();
      fill(form, changed);
      var current = collect(form);
      remember(current);
      run(form, target, current, false);
    });
    if (clear) {
      clear.addEventListener("click", function () {
        form.reset();
        remember({});
        try { window.sessionStorage.removeItem(STORE); } catch (e) { /* nothing to remove */ }
        target.replaceChildren();
        announce("");
      });
    }
    target.addEventListener("click", function (event) {
      if (event.target.closest("[data-matching-print]")) { window.print(); }
    });
  });
})();
