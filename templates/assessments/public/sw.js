{% load static %}/* The public survey's service worker (served from /needs/s/sw.js, so its scope is the survey
   pages only; never a staff page). It keeps the survey pages that were opened and their files,
   so a page opens again without a connection, and sends the device's queue (Background Sync). */
"use strict";
importScripts("{% static 'js/survey-queue.js' %}");
var CACHE = "survey-{{ version }}";
var FILES = {{ files|safe }};

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(FILES); }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name.indexOf("survey-") === 0 && name !== CACHE; }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function keepPage(url) {
  return fetch(url, { credentials: "omit" }).then(function (response) {
    if (response.ok && response.status === 200) return caches.open(CACHE).then(function (cache) { return cache.put(url, response); });
  }).catch(function () {});
}

self.addEventListener("message", function (event) {
  if (event.data && event.data.keep) event.waitUntil(keepPage(event.data.keep));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (FILES.indexOf(url.pathname) !== -1) {
    event.respondWith(caches.match(request).then(function (hit) { return hit || fetch(request); }));
  } else if (request.mode === "navigate" && url.pathname.indexOf("{{ scope }}") === 0 && url.pathname.slice(-9) !== "/thanks/") {
    // The network first (a closed survey must say so); the device's copy when there is none.
    event.respondWith(fetch(request).then(function (response) {
      if (response.status === 200) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(request).then(function (hit) { return hit || caches.match(request, { ignoreSearch: true }); })
        .then(function (hit) { return hit || Response.error(); });
    }));
  }
});

self.addEventListener("sync", function (event) {
  if (event.tag !== "survey-queue") return;
  event.waitUntil(self.SurveyQueue.sendAll().then(function (outcome) {
    return self.clients.matchAll().then(function (clients) {
      clients.forEach(function (client) { client.postMessage({ queue: outcome }); });
    });
  }));
});
