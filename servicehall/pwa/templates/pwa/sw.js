{% load static %}{% autoescape off %}// The hall's service worker (served by servicehall.pwa.views.service_worker).
//
// - Pages (navigations) always come from the network. Only when the network fails does the
//   worker answer, with the offline page it keeps. Pages are never stored: they may hold
//   personal data. The one page kept, the offline page, is fetched without cookies, so it is
//   the page as anybody would see it.
// - The hall's own static files come from the cache first, then the network (and are kept).
// - Everything else (form posts, htmx fragments, other sites) is left to the browser.
//
// The cache name carries a version computed from the static files: when any of them changes,
// this file changes, the browser installs the new worker and the old cache is deleted.
// The URLs below come from the static tag and reverse(), which percent-encode quotes and
// backslashes, so they are safe in double-quoted strings without HTML escaping.
"use strict";

const CACHE_PREFIX = "hall-";
const CACHE = CACHE_PREFIX + "{{ version }}";
const OFFLINE_URL = "{% url 'pwa:offline' %}";
const STATIC_URL = new URL("{% get_static_prefix %}", self.location.href).href;
const PRECACHE_STATIC = [
  "{% static 'hall/css/hall.css' %}",
  "{% static 'hall/js/htmx.min.js' %}",
  "{% static 'hall/js/hall.js' %}",
  "{% static 'hall/img/favicon.svg' %}",
  "{% static 'pwa/register.js' %}",
  "{% static 'pwa/icon.svg' %}",
  "{% static 'pwa/icon-192.png' %}",
  "{% static 'pwa/icon-512.png' %}",
  "{% static 'pwa/icon-maskable-512.png' %}",
];

self.addEventListener("install", (event) => {
  const requests = PRECACHE_STATIC.map((url) => new Request(url, { cache: "reload" }));
  // No cookies: the kept copy must not carry anybody's name or session.
  requests.push(new Request(OFFLINE_URL, { cache: "reload", credentials: "omit" }));
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(requests))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names
          .filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE)
          .map((name) => caches.delete(name))
      ))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(pageFromNetwork(request));
  } else if (request.url.startsWith(STATIC_URL)) {
    event.respondWith(staticFromCache(request));
  }
});

// A page: the network's answer, whatever it is; the offline page only when there is none.
// Nothing here writes to the cache.
async function pageFromNetwork(request) {
  try {
    return await fetch(request);
  } catch (error) {
    const offline = await caches.match(OFFLINE_URL, { cacheName: CACHE, ignoreVary: true });
    return offline || Response.error();
  }
}

// A static file: the kept copy, or the network's, which is kept when it is a whole, good,
// same-origin file that is not HTML.
async function staticFromCache(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request, { ignoreVary: true });
  if (kept) {
    return kept;
  }
  const response = await fetch(request);
  const type = response.headers.get("Content-Type") || "";
  if (response.status === 200 && response.type === "basic" && !type.startsWith("text/html")) {
    await cache.put(request, response.clone());
  }
  return response;
}
{% endautoescape %}