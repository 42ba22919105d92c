/* A background job's page: while the job waits or runs, ask its status every 1.5 s and move the
   progress bar; once it has finished, reload the page to show the outcome. Without JavaScript
   the "Refresh" link does the same by hand. */
(function () {
  "use strict";
  var box = document.querySelector("[data-job-status-url]");
  if (!box) return;
  var url = box.getAttribute("data-job-status-url");
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-job-count]");
  var template = box.getAttribute("data-count-template");

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { window.setTimeout(poll, 5000); return; }
        if (data.finished) { window.location.reload(); return; }
        if (bar && data.total) { bar.max = data.total; bar.value = data.done; }
        if (text && data.total) {
          text.textContent = template.replace("DONE", data.done.toLocaleString("en-US")).replace("TOTAL", data.total.toLocaleString("en-US"));
        }
        window.setTimeout(poll, 1500);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
