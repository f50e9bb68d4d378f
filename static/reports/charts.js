/* The dashboard's charts: each <canvas data-chart="..." data-source="id"> is drawn from the
   JSON in <script type="application/json" id="id"> (Django's json_script), so no inline
   script is needed under the Content Security Policy. Every chart has a table beside it. */
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  var money = new Intl.NumberFormat("vi-VN");
  function dong(value) { return money.format(value) + " ₫"; }
  function compact(value) {
    if (Math.abs(value) >= 1e9) { return money.format(Math.round(value / 1e8) / 10) + " tỷ"; }
    if (Math.abs(value) >= 1e6) { return money.format(Math.round(value / 1e5) / 10) + " tr"; }
    return money.format(value);
  }
  var palette = ["#0d6efd", "#fd7e14", "#dc3545", "#6f42c1", "#198754", "#20c997"];
  // The tooltip shows the value along ``axis`` in đồng.
  function tooltip(axis) {
    return { callbacks: { label: function (item) {
      return (item.dataset.label ? item.dataset.label + ": " : "") + dong(item.parsed[axis]);
    } } };
  }
  var builders = {
    trend: function (d) {
      return {
        type: "bar",
        data: { labels: d.labels, datasets: [
          { type: "line", label: d.names[0], data: d.arrears, borderColor: palette[0], backgroundColor: palette[0], tension: 0.2, yAxisID: "y" },
          { type: "bar", label: d.names[1], data: d.recovered, backgroundColor: palette[4], yAxisID: "y" }
        ] },
        options: { maintainAspectRatio: false, plugins: { tooltip: tooltip("y") },
                   scales: { y: { beginAtZero: true, ticks: { callback: compact } } } }
      };
    },
    aging: function (d) {
      return {
        type: "bar",
        data: { labels: d.labels, datasets: [{ data: d.values, backgroundColor: palette.slice(0, d.values.length) }] },
        options: { maintainAspectRatio: false, plugins: { legend: { display: false }, tooltip: tooltip("y") },
                   scales: { y: { beginAtZero: true, ticks: { callback: compact } } } }
      };
    },
    offices: function (d) {
      return {
        type: "bar",
        data: { labels: d.labels, datasets: [{ data: d.values, backgroundColor: palette[0] }] },
        options: { indexAxis: "y", maintainAspectRatio: false, plugins: { legend: { display: false }, tooltip: tooltip("x") },
                   scales: { x: { beginAtZero: true, ticks: { callback: compact } } } }
      };
    }
  };
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.source);
    var build = builders[canvas.dataset.chart];
    if (!source || !build) { return; }
    new Chart(canvas, build(JSON.parse(source.textContent)));
  });
})();
