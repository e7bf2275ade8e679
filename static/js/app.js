/* Inburgering — small progressive enhancements. No framework, no eval (CSP: script-src 'self'). */
(function () {
  "use strict";

  /* A "select all" box selects the row boxes named by its data-select-name (default "dossiers"). */
  function selectName(all) {
    return (all && all.getAttribute("data-select-name")) || "dossiers";
  }

  function selectAllOf(form) {
    return form ? form.querySelector("#select-all, .js-select-all") : null;
  }

  function dossierBoxes(form) {
    if (!form) { return []; }
    var name = selectName(selectAllOf(form));
    return Array.prototype.slice.call(form.querySelectorAll('input[type="checkbox"][name="' + name + '"]'));
  }

  /* Show the "select all" checkbox (hidden without JS) and sync its state with the rows. */
  function initSelectAll(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var boxes = scope.querySelectorAll ? scope.querySelectorAll("#select-all, .js-select-all") : [];
    Array.prototype.forEach.call(boxes, function (box) {
      box.hidden = false;
      syncSelectAll(box.form);
    });
  }

  function syncSelectAll(form) {
    if (!form) { return; }
    var all = selectAllOf(form);
    if (!all) { return; }
    var boxes = dossierBoxes(form);
    var checked = boxes.filter(function (b) { return b.checked; }).length;
    all.checked = boxes.length > 0 && checked === boxes.length;
    all.indeterminate = checked > 0 && checked < boxes.length;
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!(target instanceof HTMLInputElement) || target.type !== "checkbox") { return; }
    if (target.id === "select-all" || target.classList.contains("js-select-all")) {
      dossierBoxes(target.form).forEach(function (b) { b.checked = target.checked; });
      target.indeterminate = false;
    } else if (target.form && target.name === selectName(selectAllOf(target.form))) {
      syncSelectAll(target.form);
    }
  });

  /* A link to "#termijn-…" (from a signal, the overview or after a form) unfolds that
     termijn's history and actions. */
  function openTarget() {
    var id = window.location.hash.slice(1);
    if (!id) { return; }
    var target = null;
    try { target = document.getElementById(decodeURIComponent(id)); } catch (e) { return; }
    if (!target) { return; }
    var details = target.tagName === "DETAILS" ? target : target.querySelector("details");
    if (details) { details.open = true; }
  }
  window.addEventListener("hashchange", openTarget);

  /* The language switch (base.html) returns to the page shown now: since the page was rendered
     htmx may have pushed another URL into the history (a caseload filter, a dossier tab). */
  function keepLanguageNext(event) {
    var path = event.detail && event.detail.path;
    var next = document.querySelector(".language-form input[name=next]");
    if (path && next) { next.value = path; }
  }
  document.addEventListener("htmx:pushedIntoHistory", keepLanguageNext);
  document.addEventListener("htmx:replacedInHistory", keepLanguageNext);

  /* After a refused form the page opens on its error summary (components/form_errors.html):
     focus moves there, so keyboard and screen-reader users start at what to correct. */
  function focusErrorSummary(root) {
    var scope = root && root.querySelector ? root : document;
    var summary = scope.matches && scope.matches(".error-summary") ? scope : scope.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  }

  function init() {
    initSelectAll(document);
    openTarget();
    focusErrorSummary();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
  /* htmx swaps in a new caseload table: enhance it too; a swapped-in form that was refused
     (the note form) gets the focus on its error summary like a full page does. */
  document.addEventListener("htmx:load", function (event) {
    initSelectAll(event.target);
    if (event.target !== document.body) { focusErrorSummary(event.target); }
  });

  /* A dossier tab swapped in by htmx: the focus goes to the new section's heading (its name is
     read out, the next Tab continues in the section), and a "#…" in the link unfolds its target. */
  document.addEventListener("htmx:afterSettle", function (event) {
    var swapped = event.detail && event.detail.target;
    if (!swapped || swapped.id !== "dossier-inhoud") { return; }
    var root = document.getElementById("dossier-inhoud");
    if (!root) { return; }
    var heading = root.querySelector(".dossier-sectie h2");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
    openTarget();
  });
})();
