/* Kiosk mode: after "thank you", a fresh empty form for the next person (a visible countdown,
   or "Start now"), each time in place of the last page in history, so Back shows no answers. */
(function () {
  "use strict";
  var countdown = document.getElementById("kiosk-countdown");
  if (countdown) {
    var left = Number(countdown.dataset.seconds) || 10;
    var next = countdown.dataset.next;
    var tick = function () {
      countdown.textContent = String(left);
      if (left <= 0) { window.location.replace(next); return; }
      left -= 1;
      window.setTimeout(tick, 1000);
    };
    tick();
    document.getElementById("kiosk-start-now").addEventListener("click", function (event) {
      event.preventDefault();
      window.location.replace(next);
    });
  }
  var form = document.querySelector("form[data-kiosk]");
  if (form) {
    // The device was a staff member's a moment ago: htmx's history (the last staff page's path,
    // snapshots of staff pages) stays in web storage, which the survey itself never uses.
    try { window.sessionStorage.clear(); window.localStorage.clear(); } catch (error) { /* storage off */ }
    // A page restored from the browser's memory (Back, bfcache) shows an empty form.
    window.addEventListener("pageshow", function () { form.reset(); });
  }
})();
