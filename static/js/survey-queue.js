/* The public survey's queue of answers kept on the device while offline (plain IndexedDB).
   Loaded by the page and by the service worker (importScripts), so both can send it.
   Each item holds only what the form would have sent (its answers and random submission key)
   and the address it goes to; it is deleted once the server has it (or refused it and the
   refusal was shown). Every send carries the key, so a send repeated is stored once. */
(function (scope) {
  "use strict";
  var DB = "survey-queue";
  var STORE = "answers";

  function open() {
    return new Promise(function (resolve, reject) {
      var request = scope.indexedDB.open(DB, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "key" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : undefined); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function all() { return run("readonly", function (store) { return store.getAll(); }); }
  function put(item) { return run("readwrite", function (store) { store.put(item); }); }
  function remove(key) { return run("readwrite", function (store) { store.delete(key); }); }

  function newKey() {
    if (scope.crypto && scope.crypto.randomUUID) return scope.crypto.randomUUID();
    var b = scope.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // One send: resolves to the server's status (stored, closed, invalid, busy), or "offline"
  // when the answer did not come back as ours (no network, a proxy's error page, a 5xx).
  function send(item) {
    var body = new URLSearchParams();
    item.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    return fetch(item.url, {
      method: "POST",
      body: body,
      headers: { Accept: "application/json" },
      credentials: "omit",
      cache: "no-store",
    }).then(function (response) {
      return response.json().then(
        function (data) { return data && data.status ? data : { status: "offline" }; },
        function () { return { status: "offline" }; }
      );
    }, function () { return { status: "offline" }; });
  }

  // The page and its service worker both send (the online event, Background Sync): a Web Lock
  // shared by the two makes one wait for the other, so one item is never sent twice at once.
  function exclusive(work) {
    var locks = scope.navigator && scope.navigator.locks;
    return locks ? locks.request("survey-queue", work) : work();
  }

  var sending = null;
  // Sends every waiting item in turn; stops at the first that cannot go now (offline, busy).
  function sendAll() {
    if (sending) return sending;
    sending = exclusive(function () { return sendWaiting(); }).finally(function () { sending = null; });
    return sending;
  }

  function sendWaiting() {
    return all().then(function (items) {
      var outcome = { stored: 0, refused: 0 };
      var waiting = items.filter(function (item) { return !item.refused; });
      return waiting.reduce(function (chain, item) {
        return chain.then(function (stop) {
          if (stop) return true;
          return send(item).then(function (answer) {
            if (answer.status === "stored") { outcome.stored += 1; return remove(item.key).then(function () { return false; }); }
            if (answer.status === "closed" || answer.status === "invalid") {
              outcome.refused += 1;
              item.refused = answer.status;
              item.fields = [];  // nothing of the answers is kept once refused: only that it was
              return put(item).then(function () { return false; });
            }
            return true;
          });
        });
      }, Promise.resolve(false)).then(function () { return outcome; });
    });
  }

  scope.SurveyQueue = { all: all, put: put, remove: remove, sendAll: sendAll, newKey: newKey };
})(self);
