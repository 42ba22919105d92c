/* Step 2: the thank-you helper's copy button. Without JavaScript (or clipboard access)
   the button stays hidden and the hint to select and copy remains. */
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var source = document.querySelector(button.getAttribute("data-copy-target"));
    if (!source) return;
    var container = button.parentElement;
    var status = container.querySelector("[data-copy-status]");
    var hint = container.querySelector("[data-copy-hint]");
    button.classList.remove("d-none");
    if (hint) hint.classList.add("d-none");

    function done(message) {
      if (status) status.textContent = message;
    }

    button.addEventListener("click", function () {
      var text = source.value;
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(
          function () { done("Copied. Paste it into your letter or email."); },
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
      done(ok ? "Copied. Paste it into your letter or email." : "The text is selected: press Ctrl+C (or ⌘C) to copy.");
    }
  });
})();
