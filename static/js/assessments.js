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

  // Question editor: "Add another option" adds an empty row in place (copied from the page's
  // <template>) and counts it in the formset's TOTAL_FORMS; without JavaScript the button submits
  // and the server adds the row.
  var addChoice = document.querySelector("[data-add-choice]");
  var rowTemplate = document.getElementById("choice-row-template");
  var rows = document.getElementById("choice-rows");
  if (addChoice && rowTemplate && rows) {
    var prefix = addChoice.getAttribute("data-add-choice");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var max = parseInt(addChoice.getAttribute("data-max"), 10);
    var limit = document.getElementById("choice-limit");
    addChoice.addEventListener("click", function (event) {
      event.preventDefault();
      var index = parseInt(total.value, 10);
      if (index >= max) return;
      var row = rowTemplate.content.firstElementChild.cloneNode(true);
      row.querySelectorAll("[name], [id], [for]").forEach(function (el) {
        ["name", "id", "for"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value) el.setAttribute(attr, value.replace("__prefix__", String(index)));
        });
      });
      var walker = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) {
        walker.currentNode.nodeValue = walker.currentNode.nodeValue.replace("__num__", String(index + 1));
      }
      rows.appendChild(row);
      total.value = String(index + 1);
      if (index + 1 >= max) {
        addChoice.disabled = true;
        if (limit) limit.hidden = false;
      }
      var first = row.querySelector("input[type=text]");
      if (first) first.focus();
    });
  }
})();
