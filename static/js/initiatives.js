// Attendance over time on the initiative page: one stacked bar per month and side.
(function () {
  "use strict";
  const dataNode = document.getElementById("attendance-data");
  const canvas = document.getElementById("attendance-chart");
  if (!dataNode || !canvas || typeof Chart === "undefined") {
    return;
  }
  const data = JSON.parse(dataNode.textContent);
  const css = getComputedStyle(document.documentElement);
  const color = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        { label: canvas.dataset.newcomers || "Newcomers", data: data.newcomers, backgroundColor: color("--newcomers", "#1a7f8e") },
        { label: canvas.dataset.receiving || "Receiving community", data: data.receiving, backgroundColor: color("--residents", "#c17c00") },
        { label: canvas.dataset.unknown || "Side not noted", data: data.unknown, backgroundColor: "#adb5bd" },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { legend: { position: "bottom" } },
    },
  });
})();
