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
      var horizontal = chart.labels.length > 5;
      var percentAxis = {
        beginAtZero: true,
        suggestedMax: 100,
        title: { display: true, text: chart.axis },
        ticks: { callback: function (value) { return value + "%"; } },
      };
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
          indexAxis: horizontal ? "y" : "x",
          scales: horizontal ? { x: percentAxis, y: {} } : { x: {}, y: percentAxis },
          plugins: {
            tooltip: {
              callbacks: {
                label: function (ctx) {
                  var v = ctx.raw;
                  return ctx.dataset.label + ": " + (v === null ? chart.hidden : v + "%");
                },
              },
            },
          },
        },
      });
    });
  }

  // Results tables wider than the screen say so, and the shadow at the cut edge shows where.
  document.querySelectorAll("[data-scroll-hint]").forEach(function (box) {
    var hint = document.getElementById(box.getAttribute("data-scroll-hint"));
    var update = function () {
      // A few pixels of a border are not worth a sign.
      var hidden = box.scrollWidth - box.clientWidth;
      var scrolls = hidden > 4;
      box.classList.toggle("more-left", scrolls && box.scrollLeft > 2);
      box.classList.toggle("more-right", scrolls && box.scrollLeft < hidden - 2);
      if (hint) hint.hidden = !scrolls;
    };
    window.addEventListener("resize", update);
    box.addEventListener("scroll", update, { passive: true });
    update();
  });

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
