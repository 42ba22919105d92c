// Search-as-you-type for <select data-chooser="/choose/?kind=<app.model>"> (integration_hub/choosers.py):
// tom-select asks the scoped JSON endpoint as the user types; the select keeps working without it.
(function () {
  function setUp(select) {
    if (select.tomselect || typeof TomSelect === "undefined") {
      return;
    }
    var url = select.getAttribute("data-chooser");
    new TomSelect(select, {
      valueField: "value",
      labelField: "text",
      // The server searches (every word in any field) and orders; showing its answers as they come.
      searchField: [],
      score: function () { return function () { return 1; }; },
      maxOptions: null,
      loadThrottle: 250,
      plugins: select.multiple ? ["remove_button"] : [],
      shouldLoad: function (query) { return query.length > 0; },
      load: function (query, callback) {
        var self = this;
        fetch(url + "&q=" + encodeURIComponent(query), {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            self.clearOptions();  // drop the rows listed for no-JavaScript use; chosen ones stay
            callback(data.results);
          })
          .catch(function () { callback(); });
      },
      render: {
        no_results: function () {
          return '<div class="no-results">' + (select.getAttribute("data-chooser-none") || "No match") + "</div>";
        },
      },
    });
  }
  function setUpAll(root) {
    (root || document).querySelectorAll("select[data-chooser]").forEach(setUp);
  }
  document.addEventListener("DOMContentLoaded", function () { setUpAll(document); });
  document.addEventListener("htmx:afterSettle", function (event) { setUpAll(event.target); });
})();
