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

/* The thank-you helper's stories: "Tell this story in the letter" swaps the story the draft
   tells (or its placeholder) for the chosen one. Without JavaScript the buttons stay hidden. */
(function () {
  "use strict";
  var buttons = document.querySelectorAll("[data-story-insert]");
  var paragraphs = Array.prototype.map.call(buttons, function (b) { return b.getAttribute("data-story-text"); });
  Array.prototype.forEach.call(buttons, function (button) {
    var letter = document.querySelector(button.getAttribute("data-story-insert"));
    if (!letter) return;
    button.classList.remove("d-none");
    button.addEventListener("click", function () {
      var wanted = button.getAttribute("data-story-text");
      var text = letter.value;
      var told = paragraphs.filter(function (p) { return text.indexOf(p) !== -1; })[0];
      var placeholder = text.match(/\n\[[^\]]*\]\n/);
      // A function as the replacement: the story's own "$" signs stay as typed.
      if (told) text = text.replace(told, function () { return wanted; });
      else if (placeholder) text = text.replace(placeholder[0], function () { return "\n" + wanted + "\n"; });
      else text = text.replace(/\s*$/, "") + "\n\n" + wanted + "\n";
      letter.value = text;
      letter.focus();
    });
  });
})();
