/* The offline app's log-out hook, on every logged-in page (templates/base.html and the app):
 * before the log-out form (#uitloggen-form) is sent, the device forgets what the begeleider's
 * offline app kept — its IndexedDB database, the service worker's caches and the worker itself.
 * Names start with "inburgering-begeleiding" (begeleiding/pwa.py OPSLAG_PREFIX). */
(function () {
  "use strict";

  var PREFIX = "inburgering-begeleiding";
  var DATABASE = PREFIX;

  function databaseWissen() {
    return new Promise(function (klaar) {
      if (!window.indexedDB) { klaar(); return; }
      var verzoek;
      try {
        verzoek = window.indexedDB.deleteDatabase(DATABASE);
      } catch (e) {
        klaar();
        return;
      }
      verzoek.onsuccess = verzoek.onerror = function () { klaar(); };
      /* another tab still holds it open: it closes on "versionchange"; deletion then goes on */
      verzoek.onblocked = function () { window.setTimeout(klaar, 1500); };
    });
  }

  function cachesWissen() {
    if (!window.caches) { return Promise.resolve(); }
    return window.caches.keys().then(function (namen) {
      return Promise.all(namen.filter(function (n) { return n.indexOf(PREFIX) === 0; })
        .map(function (n) { return window.caches.delete(n); }));
    }).catch(function () {});
  }

  function workerWeg() {
    if (!navigator.serviceWorker || !navigator.serviceWorker.getRegistrations) { return Promise.resolve(); }
    return navigator.serviceWorker.getRegistrations().then(function (registraties) {
      return Promise.all(registraties.filter(function (r) {
        return r.scope.indexOf("/begeleiding/app/") !== -1;
      }).map(function (r) { return r.unregister(); }));
    }).catch(function () {});
  }

  /* Everything at once; never longer than a few seconds (the log-out itself must go on). */
  function wissen() {
    var werk = Promise.all([databaseWissen(), cachesWissen(), workerWeg()]);
    var uiterlijk = new Promise(function (klaar) { window.setTimeout(klaar, 4000); });
    return Promise.race([werk, uiterlijk]);
  }

  function koppelen() {
    var form = document.getElementById("uitloggen-form");
    if (!form || form.dataset.offlineWissen) { return; }
    form.dataset.offlineWissen = "1";
    form.addEventListener("submit", function (event) {
      if (form.dataset.gewist === "1") { return; }
      event.preventDefault();
      var knop = form.querySelector("button[type=submit]");
      if (knop) { knop.disabled = true; }
      wissen().then(function () {
        form.dataset.gewist = "1";
        form.submit();
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", koppelen);
  } else {
    koppelen();
  }
})();
