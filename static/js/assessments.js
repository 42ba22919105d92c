/* Step 1: the results charts and the question editor's kind-dependent sections. */
(function () {
  "use strict";

  // Results: one bar chart per choice or scale question, data from json_script.
  var source = document.getElementById("results-chart-data");
  if (source && window.Chart) {
    var colours = { newcomer: "#1a7f8e", resident: "#c17c00", all: "#114b5f" };
    JSON.parse(source.textContent).forEach(function (chart) {
      var canvas = document.getElementById(chart.id);
      if (!canvas) return;
      new window.Chart(canvas, {
        type: "bar",
        data: {
          labels: chart.labels,
          datasets: chart.series.map(function (s) {
            return { label: s.label, data: s.data, backgroundColor: colours[s.side] || "#6c757d" };
          }),
        },
        options: {
          maintainAspectRatio: false,
          animation: false,
          indexAxis: chart.labels.length > 5 ? "y" : "x",
          scales: { x: { beginAtZero: true }, y: { beginAtZero: true } },
          plugins: {
            tooltip: {
              callbacks: {
                label: function (ctx) {
                  var v = ctx.raw;
                  return ctx.dataset.label + ": " + (v === null ? "fewer than 5 / hidden" : v + "%");
                },
              },
            },
          },
        },
      });
    });
  }

  // Question editor: show the range only for numbers and the options only for choices.
  var kind = document.getElementById("id_kind");
  if (kind) {
    var sections = document.querySelectorAll("[data-kinds]");
    var update = function () {
      sections.forEach(function (section) {
        var kinds = section.getAttribute("data-kinds").split(" ");
        section.classList.toggle("is-hidden-kind", kinds.indexOf(kind.value) === -1);
      });
    };
    kind.addEventListener("change", update);
    update();
  }
})();
