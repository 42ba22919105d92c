/* Step 4 charts. Data comes from json_script elements; nothing is built from HTML. */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  if (typeof Chart === "undefined") return;

  var colours = { on_track: "#198754", at_risk: "#d39e00", off_track: "#dc3545", no_data: "#adb5bd" };
  // No animation: charts are read, printed and screenshotted, not watched.
  Chart.defaults.animation = false;

  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  var lang = document.documentElement.lang || "en";
  // Dates are calendar days: read and shown in UTC so no time zone moves them by a day.
  function utc(iso) { return Date.parse(iso + "T00:00:00Z"); }
  var monthYear = new Intl.DateTimeFormat(lang, { month: "short", year: "numeric", timeZone: "UTC" });
  var fullDate = new Intl.DateTimeFormat(lang, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

  var trend = data("indicator-chart-data");
  var trendCanvas = document.getElementById("indicator-chart");
  if (trend && trendCanvas) {
    // A real time axis: a year's gap to the target date is drawn as a year, not as one step.
    var measured = trend.labels.map(function (d, i) { return { x: utc(d), y: trend.values[i] }; });
    var line = [{ x: utc(trend.baselineDate), y: trend.baseline }, { x: utc(trend.targetDate), y: trend.target }];
    new Chart(trendCanvas, {
      type: "line",
      data: {
        datasets: [
          { label: trend.name, data: measured, borderColor: "#114b5f", backgroundColor: "#114b5f", tension: 0.2 },
          { label: trendCanvas.dataset.line || "Straight line to target", data: line, borderColor: "#6c757d",
            borderDash: [6, 4], pointRadius: 3, pointStyle: "rectRot", fill: false }
        ]
      },
      options: {
        maintainAspectRatio: false,
        parsing: false,
        scales: {
          x: { type: "time", time: { unit: "month", tooltipFormat: "yyyy-MM-dd" },
               ticks: { autoSkip: true, maxRotation: 0, callback: function (value) { return monthYear.format(new Date(value)); } } }
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: { callbacks: { title: function (items) { return fullDate.format(new Date(items[0].parsed.x)); } } }
        }
      }
    });
  }

  var board = data("dashboard-chart-data");
  var boardCanvas = document.getElementById("dashboard-chart");
  if (board && boardCanvas) {
    new Chart(boardCanvas, {
      type: "bar",
      data: {
        labels: board.labels,
        datasets: [
          { label: boardCanvas.dataset.progress || "Progress (%)", data: board.values,
            backgroundColor: board.statuses.map(function (s) { return colours[s] || colours.no_data; }) },
          { label: boardCanvas.dataset.expected || "Expected by now (%)", data: board.expected, backgroundColor: "rgba(17, 75, 95, 0.15)",
            borderColor: "#114b5f", borderWidth: 1 }
        ]
      },
      options: {
        indexAxis: "y", maintainAspectRatio: false,
        scales: { x: { min: 0, max: 100 } },
        plugins: { legend: { position: "bottom" } }
      }
    });
  }

  var participation = data("participation-chart-data");
  var participationCanvas = document.getElementById("participation-chart");
  if (participation && participationCanvas) {
    new Chart(participationCanvas, {
      type: "bar",
      data: {
        labels: participation.labels,
        datasets: [
          { label: participationCanvas.dataset.newcomers || "Newcomers", data: participation.newcomers, backgroundColor: "#1a7f8e" },
          { label: participationCanvas.dataset.receiving || "Receiving community", data: participation.receiving, backgroundColor: "#c17c00" },
          { label: participationCanvas.dataset.unknown || "Side not known", data: participation.unknown, backgroundColor: "#adb5bd" }
        ]
      },
      options: {
        maintainAspectRatio: false,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } },
        plugins: { legend: { position: "bottom" } }
      }
    });
  }
})();
