/* The public survey without a connection. With this script the form is sent in the background
   (Accept: application/json); when that fails on the network the answers wait on the device
   (survey-queue.js) and go when the connection returns (the online event, the next page load,
   Background Sync where the browser has it). Without it, the form posts as it always did. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-offline-worker]");
  var queue = window.SurveyQueue;
  if (!form || !queue || !window.indexedDB || !window.fetch) return;
  var status = document.getElementById("offline-status");
  var refused = document.getElementById("offline-refused");
  var again = document.getElementById("offline-again");
  var registration = null;

  function freshKey() { form.elements.submission_key.value = queue.newKey(); }
  freshKey();  // the page may come from the device's cache: never reuse the key it was served with

  function say(element, text) {
    element.textContent = text;
    element.hidden = !text;
  }

  function refresh(outcome) {
    return queue.all().then(function (items) {
      var gone = items.filter(function (item) { return item.refused; });
      var waiting = items.length - gone.length;
      say(status, waiting ? status.dataset.saved.replace("{n}", waiting) : "");
      if (gone.length) {
        say(refused, refused.dataset.refused.replace("{n}", gone.length));
        // Shown: now they go from the device.
        return Promise.all(gone.map(function (item) { return queue.remove(item.key); }));
      }
      if (outcome && outcome.stored && !waiting && !outcome.refused) say(refused, "");
    });
  }

  function flush() { return queue.sendAll().then(refresh, refresh); }

  function keep(fields) {
    var item = { key: form.elements.submission_key.value, url: form.action, fields: fields, refused: "" };
    return queue.put(item).then(function () {
      if (registration && registration.sync) registration.sync.register("survey-queue").catch(function () {});
      form.hidden = true;
      again.hidden = false;
      return refresh();
    }).then(function () { status.focus(); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var fields = [];
    new FormData(form).forEach(function (value, name) { fields.push([name, String(value)]); });
    if (navigator.onLine === false) { keep(fields); return; }
    var item = { url: form.action, fields: fields };
    queue.sendAll().catch(function () {});  // anything already waiting goes first
    fetchOne(item).then(function (answer) {
      if (answer.status === "stored") {
        // At a kiosk the thanks page takes the form's place in history: Back shows no answers.
        if (form.hasAttribute("data-kiosk")) window.location.replace(answer.thanks_url);
        else window.location.assign(answer.thanks_url);
        return;
      }
      if (answer.status === "offline") { keep(fields); return; }
      form.submit();  // invalid, busy or closed: the server's own page says what to do
    });
  });

  function fetchOne(item) {
    var body = new URLSearchParams();
    item.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    return fetch(item.url, { method: "POST", body: body, headers: { Accept: "application/json" }, credentials: "omit" })
      .then(function (response) { return response.json(); })
      .then(function (data) { return data && data.status ? data : { status: "offline" }; }, function () { return { status: "offline" }; });
  }

  again.querySelector("button").addEventListener("click", function () {
    form.reset();
    freshKey();
    form.hidden = false;
    again.hidden = true;
    window.scrollTo(0, 0);
    var first = form.querySelector("input:not([type=hidden]), textarea");
    if (first) first.focus();
  });

  window.addEventListener("online", flush);
  if (navigator.serviceWorker) {
    navigator.serviceWorker.register(form.dataset.offlineWorker).then(function (reg) {
      registration = reg;
      return navigator.serviceWorker.ready;
    }).then(function (reg) {
      // Keep this page (and its files) on the device, so it opens again without a connection.
      if (reg.active) reg.active.postMessage({ keep: window.location.href });
    }).catch(function () {});
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.queue) refresh(event.data.queue);
    });
  }
  flush();
})();
