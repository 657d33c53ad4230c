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

  function run(form, target, answers, focus) {
    target.setAttribute("aria-busy", "true");
    return fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json"},
      body: JSON.stringify(answers)
    }).then(function (response) {
      return response.json().then(function (body) { return {ok: response.ok, body: body}; });
    }).then(function (result) {
      if (result.ok) {
        show(target, result.body.html, focus);
      } else {
        var box = document.createElement("div");
        box.className = "alert alert-danger";
        box.setAttribute("role", "alert");
        box.textContent = result.body.error || "Error";
        target.replaceChildren(box);
      }
    }).catch(function () {
      var box = document.createElement("div");
      box.className = "alert alert-danger";
      box.setAttribute("role", "alert");
      box.textContent = form.getAttribute("data-offline") || "Network error";
      target.replaceChildren(box);
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
    if (clear) {
      clear.addEventListener("click", function () {
        form.reset();
        remember({});
        try { window.sessionStorage.removeItem(STORE); } catch (e) { /* nothing to remove */ }
        target.replaceChildren();
      });
    }
    target.addEventListener("click", function (event) {
      if (event.target.closest("[data-matching-print]")) { window.print(); }
    });
  });
})();
