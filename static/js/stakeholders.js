/* Step 2: the thank-you helper's copy button. Without JavaScript (or clipboard access)
   the button stays hidden and the hint to select and copy remains. Messages come
   translated from the template (data-copied, data-select-hint). */
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var source = document.querySelector(button.getAttribute("data-copy-target"));
    if (!source) return;
    var container = button.parentElement;
    var status = container.querySelector("[data-copy-status]");
    var hint = container.querySelector("[data-copy-hint]");
    var copied = button.getAttribute("data-copied");
    var selectHint = button.getAttribute("data-select-hint");
    button.classList.remove("d-none");
    if (hint) hint.classList.add("d-none");

    function done(message) {
      if (status) status.textContent = message;
    }

    button.addEventListener("click", function () {
      var text = source.value;
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(
          function () { done(copied); },
          function () { fallback(); }
        );
      } else {
        fallback();
      }
    });

    function fallback() {
      source.focus();
      source.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      done(ok ? copied : selectHint);
    }
  });
})();
