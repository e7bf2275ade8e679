/* The begeleider's offline app: service worker (begeleiding/pwa.py), scope {{ config.scope }}.
 *
 * - The shell's static files (CSS, scripts, vendored libraries, icons) are precached with a
 *   hash of their content (Workbox precaching): a new release replaces them.
 * - The app page itself: network first, the last good copy kept for use offline (a redirect to
 *   the log-in page or a refusal is never kept).
 * - The API: network only. No API answer is ever put in the Cache Storage: the client list and
 *   the drafts live in IndexedDB only, where the page (and log-out) can wipe them.
 * Workbox is served from our own origin (node_modules via staticfiles), never from a CDN. */
{% autoescape off %}const CONFIG = {{ config_json }};{% endautoescape %}

importScripts(CONFIG.workboxSw);

workbox.setConfig({
  debug: false,
  modulePathCb: function (naam) { return CONFIG.modules[naam]; },
});
workbox.core.setCacheNameDetails({ prefix: CONFIG.prefix, suffix: "v1" });

const SHELL_CACHE = CONFIG.prefix + "-shell-v1";
const { precacheAndRoute, cleanupOutdatedCaches } = workbox.precaching;
const { registerRoute } = workbox.routing;
const { NetworkFirst, NetworkOnly } = workbox.strategies;

precacheAndRoute(CONFIG.precache);
cleanupOutdatedCaches();

/* Only a real answer is kept: status 200 and not redirected (to the log-in page). */
const alleenEchteAntwoorden = {
  cacheWillUpdate: async function ({ response }) {
    return response && response.status === 200 && !response.redirected ? response : null;
  },
  cacheKeyWillBeUsed: async function () { return CONFIG.scope; },
};

const shell = new NetworkFirst({
  cacheName: SHELL_CACHE,
  networkTimeoutSeconds: 6,
  plugins: [alleenEchteAntwoorden],
});

registerRoute(function ({ request, url }) {
  return request.mode === "navigate" && url.origin === self.location.origin && url.pathname === CONFIG.scope;
}, shell);

registerRoute(function ({ url }) {
  return url.origin === self.location.origin && url.pathname.indexOf("/api/") === 0;
}, new NetworkOnly(), "GET");
["POST", "PATCH", "PUT", "DELETE"].forEach(function (methode) {
  registerRoute(function ({ url }) {
    return url.origin === self.location.origin && url.pathname.indexOf("/api/") === 0;
  }, new NetworkOnly(), methode);
});

/* The page as it is now for whoever is logged in, kept for use offline (not a log-in page). */
async function paginaBewaren() {
  try {
    const antwoord = await fetch(CONFIG.scope, { credentials: "same-origin", cache: "no-store" });
    if (antwoord.status === 200 && !antwoord.redirected) {
      const cache = await caches.open(SHELL_CACHE);
      await cache.put(CONFIG.scope, antwoord);
    }
  } catch (e) {
    /* offline: the page is kept on its next visit */
  }
}

/* At install the page is fetched once, so the app opens offline even before its next visit. */
self.addEventListener("install", function (event) {
  event.waitUntil(paginaBewaren().then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

/* The page wiped the device's store (another user, expiry): drop the kept page, which carries
 * the previous user's name, and keep the current one instead. Log-out removes everything
 * (static/begeleiding/uitloggen.js). */
self.addEventListener("message", function (event) {
  if (event.data && event.data.soort === "pagina-vernieuwen") {
    event.waitUntil(caches.delete(SHELL_CACHE).then(paginaBewaren));
  }
});
