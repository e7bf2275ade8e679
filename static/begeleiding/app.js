/* The begeleider's offline app (templates/begeleiding/app/app.html, begeleiding/pwa.py).
 *
 * IndexedDB (npm "idb", database "inburgering-begeleiding") holds, for one user only:
 *   meta      {sleutel: "eigenaar", gebruiker} · {sleutel: "sync", op}  (last contact with the server)
 *   clienten  the running begeleidingen as the API gives them, only the fields the list shows
 *   outbox    the drafts: {uuid, aanmelding, naam, body, modus: nieuw|correctie, versie, status:
 *             wacht|bezig|verzonden|fout|conflict, fouten, melding, huidige, aangemaaktOp, verzondenOp}
 * A draft is posted with the uuid made here (crypto.randomUUID()): the server answers 201 the
 * first time and 200 to a replay, so a resend after a lost answer creates it once. One sync runs
 * at a time (a Web Lock across tabs). Nothing medical and no BSN: the API sends neither.
 * The store is wiped at log-out (uitloggen.js), when another user's page is loaded and when the
 * last contact with the server is more than data-offline-dagen days ago. */
(function () {
  "use strict";

  var wortel = document.getElementById("begeleiding-app");
  if (!wortel || !window.idb) { return; }
  var CONFIG = JSON.parse(document.getElementById("app-config").textContent);
  var T = JSON.parse(document.getElementById("app-teksten").textContent);
  var DB_NAAM = CONFIG.opslag;
  var DAG_MS = 24 * 60 * 60 * 1000;
  var BEWAAR_VERZONDEN_MS = DAG_MS; // a sent draft is shown for a day, then forgotten
  var taal = document.documentElement.lang || "nl";
  var csrf = wortel.dataset.csrf;
  var dbBelofte = null;
  var syncBezig = null;
  var nogEenRonde = false;
  var sessieVerlopen = false;
  var bewerkt = null; // the outbox uuid being edited, if any

  var el = {
    verbinding: document.getElementById("verbinding"),
    melding: document.getElementById("app-melding"),
    outbox: document.getElementById("outbox"),
    samenvatting: document.getElementById("outbox-samenvatting"),
    outboxLijst: document.getElementById("outbox-lijst"),
    nuVerzenden: document.getElementById("nu-verzenden"),
    clienten: document.getElementById("app-clienten"),
    clientenLijst: document.getElementById("clienten-lijst"),
    gesynchroniseerd: document.getElementById("gesynchroniseerd"),
    paneel: document.getElementById("contact-paneel"),
    kop: document.getElementById("contact-kop"),
    form: document.getElementById("app-contact-form"),
    annuleren: document.getElementById("contact-annuleren"),
    sjabloon: document.getElementById("client-sjabloon"),
  };

  /* --- texts and formats ---------------------------------------------------------------- */

  function fmt(tekst, waarden) {
    return String(tekst).replace(/%\((\w+)\)s/g, function (_, k) {
      return waarden && waarden[k] !== undefined && waarden[k] !== null ? String(waarden[k]) : "";
    });
  }
  function meervoud(vorm, n) { return fmt(n === 1 ? vorm.een : vorm.meer, { n: n }); }
  function datum(iso) {
    if (!iso) { return "—"; }
    var d = new Date(iso.length === 10 ? iso + "T12:00:00" : iso);
    return new Intl.DateTimeFormat(taal, { day: "2-digit", month: "2-digit", year: "numeric" }).format(d);
  }
  function tijd(iso) {
    if (!iso) { return "—"; }
    var d = new Date(iso);
    return datum(iso) + " " + new Intl.DateTimeFormat(taal, { hour: "2-digit", minute: "2-digit" }).format(d);
  }
  function maak(tag, klasse, tekst) {
    var e = document.createElement(tag);
    if (klasse) { e.className = klasse; }
    if (tekst !== undefined && tekst !== null) { e.textContent = tekst; }
    return e;
  }
  function melden(tekst, soort) {
    el.melding.textContent = "";
    if (!tekst) { return; }
    var p = maak("p", "utrecht-alert utrecht-alert--" + (soort || "info") + " notice", tekst);
    el.melding.appendChild(p);
  }
  function keuzeLabel(naam, waarde) {
    var invoer = el.form.querySelector('input[name="' + naam + '"][value="' + waarde + '"]');
    var label = invoer && el.form.querySelector('label[for="' + invoer.id + '"]');
    if (label) { return label.textContent.trim(); }
    var optie = el.form.querySelector('select[name="' + naam + '"] option[value="' + waarde + '"]');
    return optie ? optie.textContent.trim() : waarde;
  }

  /* --- the store ---------------------------------------------------------------------------- */

  function db() {
    if (!dbBelofte) {
      dbBelofte = window.idb.openDB(DB_NAAM, 1, {
        upgrade: function (d) {
          d.createObjectStore("meta", { keyPath: "sleutel" });
          d.createObjectStore("clienten", { keyPath: "uuid" });
          d.createObjectStore("outbox", { keyPath: "uuid" });
        },
        blocking: function () { sluiten(); }, // log-out elsewhere deletes the database
        terminated: function () { dbBelofte = null; },
      });
    }
    return dbBelofte;
  }
  function sluiten() {
    if (dbBelofte) {
      dbBelofte.then(function (d) { d.close(); }).catch(function () {});
      dbBelofte = null;
    }
  }

  async function alles(store) { return (await db()).getAll(store); }
  async function meta(sleutel) { return (await db()).get("meta", sleutel); }
  async function zetMeta(sleutel, waarden) {
    return (await db()).put("meta", Object.assign({ sleutel: sleutel }, waarden));
  }
  async function opslaan(item) { return (await db()).put("outbox", item); }

  /* Wipe the device's store; the worker drops its copy of the page (it carries the user's name)
   * and fetches the page anew for whoever is logged in now. The precached static files stay:
   * nothing personal is in them. */
  async function wissen(reden) {
    sluiten();
    await new Promise(function (klaar) {
      var v = indexedDB.deleteDatabase(DB_NAAM);
      v.onsuccess = v.onerror = function () { klaar(); };
      v.onblocked = function () { window.setTimeout(klaar, 1500); };
    });
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ soort: "pagina-vernieuwen" });
    }
    if (reden) { melden(fmt(T.gewist, { reden: reden }), "warning"); }
  }

  /* Whose data is this, and is it too old? */
  async function bewaking() {
    var eigenaar = await meta("eigenaar");
    if (eigenaar && eigenaar.gebruiker !== CONFIG.gebruiker) {
      await wissen(T.redenAndereGebruiker);
    } else {
      var sync = await meta("sync");
      var dagen = Number(wortel.dataset.offlineDagen) || CONFIG.offlineDagen;
      if (sync && Date.now() - new Date(sync.op).getTime() > dagen * DAG_MS) {
        await wissen(T.redenVerlopen);
      }
    }
    await zetMeta("eigenaar", { gebruiker: CONFIG.gebruiker });
    var d = await db();
    var items = await d.getAll("outbox");
    for (var i = 0; i < items.length; i++) {
      var item = items[i];
      if (item.status === "verzonden" && Date.now() - new Date(item.verzondenOp).getTime() > BEWAAR_VERZONDEN_MS) {
        await d.delete("outbox", item.uuid);
      }
    }
  }

  /* --- the connection ----------------------------------------------------------------------- */

  function toonVerbinding() {
    var online = navigator.onLine;
    el.verbinding.dataset.online = online ? "1" : "0";
    el.verbinding.querySelector(".verbinding__icoon").textContent = online ? "✓" : "⚠";
    el.verbinding.querySelector(".verbinding__tekst").textContent = online ? T.online : T.offline;
  }

  /* --- clients ---------------------------------------------------------------------------- */

  function bewaarVelden(a) {
    var p = a.persoon || {};
    return {
      uuid: a.uuid,
      status: a.status,
      dossier: a.dossier,
      persoon: {
        naam: p.naam || "", telefoonnummer: p.telefoonnummer || "", taal: p.taal || "",
        tolkNodig: !!p.tolkNodig, tolkTaal: p.tolkTaal || "", woonadres: p.woonadres || "",
      },
      organisatie: a.organisatie ? { uuid: a.organisatie.uuid, naam: a.organisatie.naam } : null,
      begeleider: a.begeleider ? { uuid: a.begeleider.uuid, naam: a.begeleider.naam } : null,
      startdatum: a.startdatum || null,
      einddatum: a.einddatum || null,
      afspraken: a.afspraken || "",
      voorPartner: a.voorPartner || "",
      laatsteContact: a.laatsteContact || null,
      contactUiterlijk: a.contactUiterlijk || null,
      openVervolgacties: a.openVervolgacties || 0,
    };
  }

  async function clientenOphalen() {
    var url = CONFIG.aanmeldingen;
    var alle = [];
    while (url) {
      var r = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (r.status === 401 || r.status === 403) { sessieVerlopen = true; throw new Error(String(r.status)); }
      if (!r.ok) { throw new Error(String(r.status)); }
      var pagina = await r.json();
      alle = alle.concat(pagina.results || []);
      url = pagina.next || null;
    }
    var d = await db();
    var tx = d.transaction(["clienten", "meta"], "readwrite");
    await tx.objectStore("clienten").clear();
    for (var i = 0; i < alle.length; i++) { await tx.objectStore("clienten").put(bewaarVelden(alle[i])); }
    await tx.objectStore("meta").put({ sleutel: "sync", op: new Date().toISOString() });
    await tx.done;
    sessieVerlopen = false;
  }

  async function toonClienten() {
    var clienten = await alles("clienten");
    var sync = await meta("sync");
    clienten.sort(function (a, b) { return a.persoon.naam.localeCompare(b.persoon.naam, taal); });
    el.gesynchroniseerd.dataset.op = sync ? sync.op : "";
    el.gesynchroniseerd.textContent = sync ? fmt(T.laatstBijgewerkt, { tijd: tijd(sync.op) }) : T.nooitGesynchroniseerd;
    el.clientenLijst.textContent = "";
    el.clienten.dataset.aantal = String(clienten.length);
    if (sync && !clienten.length) { el.clientenLijst.appendChild(maak("li", "muted", T.geenClienten)); }
    clienten.forEach(function (c) {
      var li = el.sjabloon.content.firstElementChild.cloneNode(true);
      li.dataset.aanmelding = c.uuid;
      var kopId = "client-" + c.uuid;
      li.querySelector(".app-client__naam").textContent = c.persoon.naam;
      li.querySelector(".app-client__naam").id = kopId;
      li.querySelector("article").setAttribute("aria-labelledby", kopId);
      var gegevens = li.querySelector(".app-client__gegevens");
      if (c.persoon.telefoonnummer) {
        var tel = maak("li");
        var a = maak("a", "utrecht-link utrecht-link--html-a", c.persoon.telefoonnummer);
        a.href = "tel:" + c.persoon.telefoonnummer.replace(/[^+\d]/g, "");
        tel.appendChild(a);
        gegevens.appendChild(tel);
      }
      if (c.persoon.woonadres) { gegevens.appendChild(maak("li", "", c.persoon.woonadres)); }
      if (c.persoon.taal) { gegevens.appendChild(maak("li", "", fmt(T.taal, { taal: c.persoon.taal }))); }
      if (c.persoon.tolkNodig) { gegevens.appendChild(maak("li", "", fmt(T.tolk, { taal: c.persoon.tolkTaal }))); }
      gegevens.appendChild(maak("li", "", fmt(T.laatsteContact, { datum: c.laatsteContact ? datum(c.laatsteContact) : "—" })));
      gegevens.appendChild(maak("li", "", fmt(T.contactUiterlijk, { datum: datum(c.contactUiterlijk) })));
      gegevens.appendChild(maak("li", "", meervoud(T.openActies, c.openVervolgacties)));
      gegevens.appendChild(maak("li", "", fmt(T.einde, { datum: datum(c.einddatum) })));
      var knop = li.querySelector(".app-client__nieuw");
      knop.dataset.aanmelding = c.uuid;
      li.querySelector(".app-client__wie").textContent = ": " + c.persoon.naam;
      knop.addEventListener("click", function () { formOpenen(c, null); });
      el.clientenLijst.appendChild(li);
    });
    el.clienten.setAttribute("aria-busy", "false");
  }

  /* --- the form ------------------------------------------------------------------------------ */

  function lokaleTijd(d) {
    var z = function (n) { return String(n).padStart(2, "0"); };
    return d.getFullYear() + "-" + z(d.getMonth() + 1) + "-" + z(d.getDate()) + "T" + z(d.getHours()) + ":" + z(d.getMinutes());
  }
  function veld(naam) { return el.form.elements.namedItem(naam); }

  function foutenWeg() {
    Array.prototype.forEach.call(el.form.querySelectorAll(".app-veldfout"), function (f) { f.remove(); });
    Array.prototype.forEach.call(el.form.querySelectorAll("[aria-invalid]"), function (i) {
      i.removeAttribute("aria-invalid");
      var ids = (i.getAttribute("aria-describedby") || "").split(" ").filter(function (id) { return id && id.indexOf("_apperror") === -1; });
      if (ids.length) { i.setAttribute("aria-describedby", ids.join(" ")); } else { i.removeAttribute("aria-describedby"); }
    });
    Array.prototype.forEach.call(el.form.querySelectorAll(".field--error"), function (f) { f.classList.remove("field--error", "utrecht-form-field--invalid", "utrecht-form-fieldset--invalid"); });
  }

  /* An error at its field (the API names fields in camelCase; an action's as vervolgacties…). */
  function veldFout(naam, reden) {
    var snake = String(naam).replace(/[A-Z]/g, function (c) { return "_" + c.toLowerCase(); });
    var actie = /^vervolgacties(?:[.[]0]?)?\.?(\w+)?/.exec(snake);
    if (actie) { snake = "actie_1_" + (actie[1] || "omschrijving"); }
    var wrapper = document.getElementById("field-app-" + snake);
    if (!wrapper) { return false; }
    var id = "id_app-" + snake + "_apperror";
    var lijst = document.getElementById(id);
    if (!lijst) {
      lijst = maak("ul", "utrecht-form-field__error-message utrecht-form-field-error-message field__errors app-veldfout");
      lijst.id = id;
      var anker = wrapper.querySelector(".utrecht-form-field__input, .field__options");
      wrapper.insertBefore(lijst, anker);
    }
    var li = maak("li");
    li.appendChild(maak("span", "error-prefix", "⚠")).setAttribute("aria-hidden", "true");
    li.appendChild(document.createTextNode(" " + reden));
    lijst.appendChild(li);
    wrapper.classList.add("field--error", wrapper.tagName === "FIELDSET" ? "utrecht-form-fieldset--invalid" : "utrecht-form-field--invalid");
    var invoer = wrapper.tagName === "FIELDSET" ? wrapper : wrapper.querySelector("input, select, textarea");
    if (invoer) {
      if (invoer.tagName !== "FIELDSET") { invoer.setAttribute("aria-invalid", "true"); }
      var ids = (invoer.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (ids.indexOf(id) === -1) { ids.push(id); }
      invoer.setAttribute("aria-describedby", ids.join(" "));
    }
    return true;
  }

  function formOpenen(client, item) {
    foutenWeg();
    el.form.reset();
    bewerkt = item ? item.uuid : null;
    veld("uuid").value = item ? item.uuid : "";
    veld("aanmelding").value = client.uuid;
    el.form.dataset.naam = client.persoon ? client.persoon.naam : client.naam;
    var naam = el.form.dataset.naam;
    el.kop.textContent = fmt(item ? T.bewerkContactMet : T.nieuwContactMet, { naam: naam });
    if (item) {
      vullen(item.body);
      (item.fouten || []).forEach(function (f) { veldFout(f.name, f.reason); });
    } else {
      veld("tijdstip").value = lokaleTijd(new Date());
    }
    el.paneel.hidden = false;
    el.kop.focus();
  }

  function formSluiten() {
    el.paneel.hidden = true;
    bewerkt = null;
    el.form.reset();
    foutenWeg();
  }

  function vullen(body) {
    var zet = function (naam, waarden) {
      Array.prototype.forEach.call(el.form.querySelectorAll('input[name="' + naam + '"]'), function (i) {
        i.checked = waarden.indexOf(i.value) !== -1;
      });
    };
    zet("soort", [body.soort]);
    veld("tijdstip").value = body.tijdstip ? lokaleTijd(new Date(body.tijdstip)) : "";
    veld("duur_minuten").value = body.duurMinuten || "";
    zet("aanwezig", body.aanwezig || []);
    zet("onderwerpen", body.onderwerpen || []);
    veld("verslag").value = body.verslag || "";
    veld("signaal_werkcoach").checked = !!body.signaalWerkcoach;
    veld("signaal_toelichting").value = body.signaalToelichting || "";
    var actie = (body.vervolgacties || [])[0];
    veld("actie_1_omschrijving").value = actie ? actie.omschrijving : "";
    veld("actie_1_eigenaar").value = actie ? actie.eigenaar : "";
    veld("actie_1_deadline").value = actie ? actie.deadline : "";
  }

  function aangevinkt(naam) {
    return Array.prototype.filter.call(el.form.querySelectorAll('input[name="' + naam + '"]'), function (i) { return i.checked; })
      .map(function (i) { return i.value; });
  }

  /* The draft as the API's body (camelCase). */
  function lezen(uuid, vorige) {
    var soort = aangevinkt("soort")[0] || "";
    var tijdstip = veld("tijdstip").value;
    var duur = veld("duur_minuten").value;
    var body = {
      uuid: uuid,
      aanmelding: veld("aanmelding").value,
      tijdstip: tijdstip ? new Date(tijdstip).toISOString() : null,
      soort: soort,
      duurMinuten: duur ? Number(duur) : null,
      aanwezig: aangevinkt("aanwezig"),
      onderwerpen: aangevinkt("onderwerpen"),
      verslag: veld("verslag").value.trim(),
      signaalWerkcoach: veld("signaal_werkcoach").checked,
      signaalToelichting: veld("signaal_toelichting").value.trim(),
      vervolgacties: [],
    };
    var omschrijving = veld("actie_1_omschrijving").value.trim();
    var eigenaar = veld("actie_1_eigenaar").value;
    var deadline = veld("actie_1_deadline").value;
    if (omschrijving || eigenaar || deadline) {
      var oud = vorige && vorige.vervolgacties && vorige.vervolgacties[0];
      body.vervolgacties.push({
        uuid: (oud && oud.uuid) || crypto.randomUUID(),
        omschrijving: omschrijving, eigenaar: eigenaar, deadline: deadline || null,
      });
    }
    return body;
  }

  /* Only what a person must fill in is checked here; every rule is the server's (a 400). */
  function verplichtOntbreekt(body) {
    var ontbreekt = [];
    if (!body.soort) { ontbreekt.push("soort"); }
    if (!body.tijdstip) { ontbreekt.push("tijdstip"); }
    if (!body.duurMinuten) { ontbreekt.push("duurMinuten"); }
    if (!body.verslag) { ontbreekt.push("verslag"); }
    return ontbreekt;
  }

  async function bewaren(event) {
    event.preventDefault();
    foutenWeg();
    var d = await db();
    var vorig = bewerkt ? await d.get("outbox", bewerkt) : null;
    var uuid = vorig ? vorig.uuid : crypto.randomUUID();
    var body = lezen(uuid, vorig && vorig.body);
    var ontbreekt = verplichtOntbreekt(body);
    if (ontbreekt.length) {
      ontbreekt.forEach(function (n) { veldFout(n, T.verplicht); });
      var eerste = el.form.querySelector("[aria-invalid=true], .field--error input");
      if (eerste) { eerste.focus(); }
      return;
    }
    var nu = new Date().toISOString();
    var item = Object.assign({}, vorig || {}, {
      uuid: uuid,
      aanmelding: body.aanmelding,
      naam: el.form.dataset.naam,
      body: body,
      modus: vorig ? vorig.modus || "nieuw" : "nieuw",
      versie: vorig ? vorig.versie || null : null,
      status: "wacht",
      fouten: [],
      melding: "",
      aangemaaktOp: vorig ? vorig.aangemaaktOp : nu,
      gewijzigdOp: nu,
    });
    if (item.modus !== "correctie") { item.huidige = null; }
    await opslaan(item);
    formSluiten();
    await toonOutbox();
    melden(T.opgeslagen, "ok");
    el.samenvatting.focus();
    synchroniseren();
  }

  /* --- the outbox ---------------------------------------------------------------------------- */

  function samenvatting(body) {
    var delen = [keuzeLabel("soort", body.soort), tijd(body.tijdstip)];
    if (body.duurMinuten) { delen.push(meervoud(T.minuten, body.duurMinuten)); }
    return delen.join(" · ");
  }

  function vergelijking(item) {
    var h = item.huidige || {};
    var tabel = maak("dl", "outbox__vergelijking");
    tabel.appendChild(maak("dt", "", fmt(T.serverVersie, { versie: h.versie })));
    tabel.appendChild(maak("dd", "", samenvatting(h) + " — " + (h.verslag || "")));
    tabel.appendChild(maak("dt", "", T.jouwVersie));
    tabel.appendChild(maak("dd", "", samenvatting(item.body) + " — " + item.body.verslag));
    return tabel;
  }

  function knop(tekst, soort, actie, wie) {
    var b = maak("button", "utrecht-button utrecht-button--" + (soort || "secondary-action") + " button--small");
    b.type = "button";
    b.appendChild(document.createTextNode(tekst));
    if (wie) { b.appendChild(maak("span", "visually-hidden", ": " + wie)); }
    b.addEventListener("click", actie);
    return b;
  }

  async function toonOutbox() {
    var items = await alles("outbox");
    items.sort(function (a, b) { return String(a.aangemaaktOp).localeCompare(String(b.aangemaaktOp)); });
    var wachtend = items.filter(function (i) { return i.status !== "verzonden"; }).length;
    el.outbox.dataset.wachtend = String(wachtend);
    el.samenvatting.textContent = wachtend ? meervoud(T.wachtend, wachtend) : T.nietsWachtend;
    el.outboxLijst.textContent = "";
    items.forEach(function (item) {
      var li = maak("li", "outbox__item outbox__item--" + item.status);
      li.dataset.uuid = item.uuid;
      li.dataset.status = item.status;
      var kop = maak("p", "outbox__kop");
      kop.appendChild(maak("strong", "", item.naam || ""));
      kop.appendChild(document.createTextNode(" — " + samenvatting(item.body) + " "));
      var status = maak("span", "utrecht-status-badge badge outbox__status outbox__status--" + item.status);
      status.appendChild(maak("span", "badge__icon", { wacht: "○", bezig: "↻", verzonden: "✓", fout: "⚠", conflict: "⚠" }[item.status] || "")).setAttribute("aria-hidden", "true");
      status.appendChild(document.createTextNode(" " + (item.status === "fout" && item.melding && !(item.fouten && item.fouten.length)
        ? fmt(T.foutMelding, { reden: item.melding }) : T.status[item.status] || item.status)));
      kop.appendChild(status);
      li.appendChild(kop);
      if (item.status === "wacht" && item.melding) { li.appendChild(maak("p", "muted", item.melding)); }
      if (item.status === "fout" && item.fouten && item.fouten.length) {
        var fouten = maak("ul", "outbox__fouten");
        item.fouten.forEach(function (f) { fouten.appendChild(maak("li", "", f.reason)); });
        li.appendChild(fouten);
      }
      var acties = maak("div", "outbox__acties");
      if (item.status === "conflict") {
        li.appendChild(maak("p", "", T.conflictUitleg));
        li.appendChild(vergelijking(item));
        acties.appendChild(knop(T.alsCorrectie, "primary-action", function () { alsCorrectie(item.uuid); }, item.naam));
        acties.appendChild(knop(T.verwerpen, "secondary-action", function () { verwerpen(item.uuid); }, item.naam));
        acties.lastChild.dataset.actie = "verwerpen";
        acties.firstChild.dataset.actie = "correctie";
      }
      if (item.status === "fout" || item.status === "wacht") {
        acties.appendChild(knop(T.bewerken, "secondary-action", function () { bewerken(item.uuid); }, item.naam));
        acties.lastChild.dataset.actie = "bewerken";
        acties.appendChild(knop(T.verwijderen, "subtle", function () {
          if (window.confirm(T.bevestigVerwijderen)) { verwerpen(item.uuid); }
        }, item.naam));
        acties.lastChild.dataset.actie = "verwijderen";
      }
      if (acties.childNodes.length) { li.appendChild(acties); }
      el.outboxLijst.appendChild(li);
    });
  }

  async function bewerken(uuid) {
    var item = await (await db()).get("outbox", uuid);
    if (!item) { return; }
    var client = await (await db()).get("clienten", item.aanmelding);
    formOpenen(client || { uuid: item.aanmelding, naam: item.naam }, item);
  }

  async function verwerpen(uuid) {
    await (await db()).delete("outbox", uuid);
    await toonOutbox();
    el.samenvatting.focus();
  }

  /* Send my version again as a correction of the server's (PATCH with the version I saw). */
  async function alsCorrectie(uuid) {
    var d = await db();
    var item = await d.get("outbox", uuid);
    if (!item || !item.huidige) { return; }
    item.modus = "correctie";
    item.versie = item.huidige.versie;
    item.status = "wacht";
    item.melding = "";
    await d.put("outbox", item);
    await toonOutbox();
    synchroniseren();
  }

  /* --- sending --------------------------------------------------------------------------------- */

  /* A fresh CSRF token, and whether the session still is this user's (the page may have come
   * from the worker's cache, from before a new log-in). */
  async function sessie() {
    var r = await fetch(CONFIG.scope, { credentials: "same-origin", cache: "no-store", headers: { Accept: "text/html" } });
    if (r.redirected && new URL(r.url).pathname.indexOf(CONFIG.inloggen) === 0) { return { verlopen: true }; }
    if (r.status === 401 || r.status === 403) { return { verlopen: true }; }
    if (!r.ok) { throw new Error(String(r.status)); }
    var doc = new DOMParser().parseFromString(await r.text(), "text/html");
    var app = doc.getElementById("begeleiding-app");
    if (!app) { return { verlopen: true }; }
    return { csrf: app.dataset.csrf, gebruiker: app.dataset.gebruiker };
  }

  function verzoek(item) {
    var body = item.body;
    var url = CONFIG.contactmomenten;
    var methode = "POST";
    if (item.modus === "correctie") {
      url = CONFIG.contactmomenten + "/" + item.uuid;
      methode = "PATCH";
      body = Object.assign({}, item.body, { versie: item.versie });
      delete body.uuid;
      delete body.aanmelding;
    }
    return fetch(url, {
      method: methode,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body),
    });
  }

  async function leesProbleem(r) {
    try { return await r.json(); } catch (e) { return {}; }
  }

  /* One item: returns false when sending must stop for now (offline, session, server). */
  async function verzenden(item) {
    var d = await db();
    item.status = "bezig";
    await d.put("outbox", item);
    await toonOutbox();
    var r;
    try {
      r = await verzoek(item);
    } catch (e) {
      item.status = "wacht";
      item.melding = T.geenVerbinding;
      await d.put("outbox", item);
      return false;
    }
    if (r.status === 200 || r.status === 201) {
      var contact = await leesProbleem(r);
      item.status = "verzonden";
      item.verzondenOp = new Date().toISOString();
      item.versie = contact.versie || item.versie;
      item.fouten = [];
      item.melding = "";
      item.huidige = null;
      await d.put("outbox", item);
      melden(fmt(T.verzondenMelding, { naam: item.naam, tijd: tijd(item.body.tijdstip) }), "ok");
      return true;
    }
    var p = await leesProbleem(r);
    if (r.status === 409 && p.huidige) {
      item.status = "conflict";
      item.huidige = p.huidige;
      item.melding = p.detail || "";
    } else if (r.status === 400) {
      item.status = "fout";
      item.fouten = (p.invalidParams || []).map(function (f) { return { name: f.name, reason: f.reason }; });
      item.melding = p.detail || p.title || String(r.status);
      if (item.fouten.length) { item.melding = item.fouten.map(function (f) { return f.reason; }).join(" "); }
    } else if (r.status === 401 || r.status === 403) {
      var s = await sessie().catch(function () { return { verlopen: true }; });
      if (s.verlopen || s.csrf !== csrf) {
        if (s.csrf) { csrf = s.csrf; }
        item.status = "wacht";
        await d.put("outbox", item);
        if (s.verlopen) { sessieVerlopen = true; }
        return false;
      }
      item.status = "fout";
      item.melding = p.detail || p.title || String(r.status);
    } else if (r.status === 404) {
      item.status = "fout";
      item.melding = T.nietGevonden;
    } else {
      item.status = "wacht";
      item.melding = fmt(T.serverFout, { status: r.status });
      await d.put("outbox", item);
      return false;
    }
    await d.put("outbox", item);
    return true;
  }

  async function verzendRonde() {
    if (!navigator.onLine) { return; }
    var items = (await alles("outbox")).filter(function (i) { return i.status === "wacht" || i.status === "bezig"; });
    items.sort(function (a, b) { return String(a.aangemaaktOp).localeCompare(String(b.aangemaaktOp)); });
    if (items.length) {
      var s;
      try { s = await sessie(); } catch (e) { return; }
      if (s.verlopen) { sessieVerlopen = true; return; }
      if (s.gebruiker !== CONFIG.gebruiker) {
        await wissen(T.redenAndereGebruiker);
        window.location.reload();
        return;
      }
      csrf = s.csrf;
      sessieVerlopen = false;
      melden("");
      for (var i = 0; i < items.length; i++) {
        if (!(await verzenden(items[i]))) { break; }
      }
    }
    try {
      await clientenOphalen();
    } catch (e) {
      if (!sessieVerlopen && navigator.onLine) { melden(fmt(T.clientenFout, { reden: e.message }), "error"); }
    }
  }

  function toonSessie() {
    if (!sessieVerlopen) { return; }
    el.melding.textContent = "";
    var p = maak("p", "utrecht-alert utrecht-alert--warning notice", T.inloggenNodig + " ");
    var a = maak("a", "utrecht-link utrecht-link--html-a", T.inloggen);
    a.href = CONFIG.inloggen + "?next=" + encodeURIComponent(CONFIG.scope);
    p.appendChild(a);
    el.melding.appendChild(p);
  }

  /* One sync at a time, also across tabs (Web Locks where the browser has them). A request
   * that comes while a round runs (a draft saved, the connection back) is not lost: one more
   * round follows, which sends what the running one did not see. */
  function synchroniseren() {
    if (syncBezig) { nogEenRonde = true; return syncBezig; }
    wortel.dataset.sync = "bezig";
    var ronde = function () { return verzendRonde(); };
    var werk = navigator.locks && navigator.locks.request
      ? navigator.locks.request(DB_NAAM + "-sync", ronde)
      : ronde();
    syncBezig = Promise.resolve(werk).catch(function (e) {
      melden(String(e && e.message ? e.message : e), "error");
    }).then(async function () {
      await toonOutbox();
      await toonClienten();
      toonSessie();
      wortel.dataset.rondes = String(Number(wortel.dataset.rondes || 0) + 1);
      syncBezig = null;
      if (nogEenRonde) {
        nogEenRonde = false;
        return synchroniseren();
      }
      wortel.dataset.sync = "klaar";
    });
    return syncBezig;
  }

  /* --- start -------------------------------------------------------------------------------- */

  async function starten() {
    toonVerbinding();
    window.addEventListener("online", function () { toonVerbinding(); synchroniseren(); });
    window.addEventListener("offline", toonVerbinding);
    el.form.addEventListener("submit", bewaren);
    el.annuleren.addEventListener("click", formSluiten);
    el.nuVerzenden.addEventListener("click", function () { synchroniseren(); });
    el.samenvatting.tabIndex = -1;
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register(CONFIG.sw, { scope: CONFIG.scope }).catch(function () {});
    }
    await bewaking();
    await toonOutbox();
    await toonClienten();
    wortel.dataset.klaar = "1";
    await synchroniseren();
  }

  starten().catch(function (e) { melden(String(e && e.message ? e.message : e), "error"); });
})();
