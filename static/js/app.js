/* Inburgering — small progressive enhancements. No framework, no eval (CSP: script-src 'self'). */
(function () {
  "use strict";

  function dossierBoxes(form) {
    return form ? Array.prototype.slice.call(form.querySelectorAll('input[type="checkbox"][name="dossiers"]')) : [];
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
    var all = form.querySelector("#select-all, .js-select-all");
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
    } else if (target.name === "dossiers") {
      syncSelectAll(target.form);
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { initSelectAll(document); });
  } else {
    initSelectAll(document);
  }
  /* htmx swaps in a new caseload table: enhance it too. */
  document.addEventListener("htmx:load", function (event) { initSelectAll(event.target); });
})();
