{% load static %}// 现场检查的 service worker (离线现场检查): served by zhifa from {{ scope }} so that its scope covers the
// officer's today list and the on-site pages. It keeps those pages, and the static files they use, in one
// cache: pages network first (the cached copy when there is no network), static files cache first.
// Nothing is written here: the work captured offline waits in the page's IndexedDB queue (offline.js).
"use strict";
var CACHE = "zhifa-onsite-v{{ version }}";
var SCOPE = "{{ scope }}";
var STATIC = "{% get_static_prefix %}";
var CORE = [
  "{% static 'vendor/bootstrap/bootstrap.min.css' %}",
  "{% static 'vendor/bootstrap-icons/bootstrap-icons.min.css' %}",
  "{% static 'vendor/bootstrap-icons/fonts/bootstrap-icons.woff2' %}",
  "{% static 'zhifa/zhifa.css' %}",
  "{% static 'zhifa/responsive.css' %}",
  "{% static 'zhifa/favicon.svg' %}",
  "{% static 'vendor/bootstrap/bootstrap.bundle.min.js' %}",
  "{% static 'vendor/htmx/htmx.min.js' %}",
  "{% static 'zhifa/responsive.js' %}",
  "{% static 'zhifa/behaviours.js' %}",
  "{% static 'inspections/offline.js' %}",
  "{% static 'inspections/onsite.js' %}"
];
var PAGES = [/^\/inspections\/today\/$/, /^\/inspections\/inspections\/\d+\/onsite\/$/, /^\/inspections\/inspections\/\d+\/qr\.svg$/];

function cachedPage(path) {
  return PAGES.some(function (re) { return re.test(path); });
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(CORE); }).then(function () {
    return self.skipWaiting();
  }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("zhifa-onsite-") === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

// A page and the static files its HTML names (a page never opened online still has what it needs).
function keepPage(cache, url) {
  return fetch(url, { credentials: "same-origin", redirect: "follow" }).then(function (response) {
    if (!response.ok || response.redirected) { return 0; }
    return response.clone().text().then(function (html) {
      var found = [];
      html.replace(/(?:src|href)="([^"]+)"/g, function (_, u) {
        if (u.indexOf(STATIC) === 0 && found.indexOf(u) < 0) { found.push(u); }
        return _;
      });
      return cache.put(url, response).then(function () {
        return Promise.all(found.map(function (u) {
          return cache.match(u).then(function (hit) { return hit || cache.add(u).catch(function () {}); });
        }));
      }).then(function () { return 1; });
    });
  }).catch(function () { return 0; });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "keep" || !Array.isArray(data.urls)) { return; }
  var urls = data.urls.filter(function (u) { return cachedPage(new URL(u, self.location).pathname); });
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(urls.map(function (u) { return keepPage(cache, u); }));
  }).then(function (done) {
    var kept = done.reduce(function (a, b) { return a + b; }, 0);
    if (event.source) { event.source.postMessage({ type: "kept", count: kept }); }
  }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf(STATIC) === 0) {
    event.respondWith(caches.open(CACHE).then(function (cache) {
      return cache.match(request, { ignoreSearch: true }).then(function (hit) {
        return hit || fetch(request).then(function (response) {
          if (response.ok) { cache.put(request, response.clone()); }
          return response;
        });
      });
    }));
    return;
  }
  if (request.mode === "navigate" && cachedPage(url.pathname)) {
    event.respondWith(caches.open(CACHE).then(function (cache) {
      return fetch(request).then(function (response) {
        if (response.ok && !response.redirected) { cache.put(url.pathname, response.clone()); }
        return response;
      }).catch(function () {
        return cache.match(url.pathname).then(function (hit) {
          return hit || new Response(
            "<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'>" +
            "<title>离线</title><p style='font:16px sans-serif;padding:1rem'>离线：该页面尚未缓存。" +
            "请联网后先打开今日检查，再离线使用。</p>",
            { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
        });
      });
    }));
  }
});
