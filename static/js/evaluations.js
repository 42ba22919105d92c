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

  function days(iso) {
    return Date.parse(iso + "T00:00:00Z") / 86400000;
  }

  var trend = data("indicator-chart-data");
  var trendCanvas = document.getElementById("indicator-chart");
  if (trend && trendCanvas) {
    var start = days(trend.baselineDate), end = days(trend.targetDate);
    var labels = [trend.baselineDate].concat(trend.labels.filter(function (d) { return d !== trend.baselineDate; }));
    if (labels.indexOf(trend.targetDate) === -1 && trend.targetDate > labels[labels.length - 1]) labels.push(trend.targetDate);
    var byDate = {};
    trend.labels.forEach(function (d, i) { byDate[d] = trend.values[i]; });
    var expected = labels.map(function (d) {
      var share = Math.max(0, Math.min(1, (days(d) - start) / (end - start)));
      return trend.baseline + (trend.target - trend.baseline) * share;
    });
    new Chart(trendCanvas, {
      type: "line",
      data: {
        labels: labels,
        datasets: [
          { label: trend.name, data: labels.map(function (d) { return d in byDate ? byDate[d] : null; }),
            borderColor: "#114b5f", backgroundColor: "#114b5f", spanGaps: true, tension: 0.2 },
          { label: trendCanvas.dataset.line || "Straight line to target", data: expected, borderColor: "#adb5bd", borderDash: [6, 4],
            pointRadius: 0, fill: false }
        ]
      },
      options: { maintainAspectRatio: false, plugins: { legend: { position: "bottom" } } }
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
