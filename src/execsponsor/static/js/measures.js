// The measures page and the scorecards: one line chart per group of figures, read from a json_script
// element (data-source) whose "labels" are the quarters; each chart element names its group (data-group).
(function () {
  "use strict";

  const COLORS = ["#3b6fd8", "#e07b39", "#2f9e6f", "#9b59b6"];

  function options(labels, group, width) {
    const names = Object.keys(group);
    // On a phone the legend wraps to one line per series: leave it room above the plot.
    const top = width < 520 ? 12 + 22 * names.length : 32;
    const counts = names.every((name) => group[name].every((v) => v == null || Number.isInteger(v)));
    return {
      animation: false,
      grid: { left: 8, right: 16, top, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", valueFormatter: (value) => (value == null ? "—" : String(value)) },
      legend: { data: names, top: 0, left: 0, textStyle: { fontSize: 11 } },
      xAxis: { type: "category", data: labels, axisLabel: { hideOverlap: true } },
      // Counts of opportunities are whole numbers: no 0.2 ticks.
      yAxis: { type: "value", minInterval: counts ? 1 : 0, splitLine: { lineStyle: { color: "#eef0f3" } } },
      series: names.map((name, k) => ({
        name, type: "line", data: group[name], connectNulls: false, symbolSize: 6,
        lineStyle: { color: COLORS[k % COLORS.length], width: 2 }, itemStyle: { color: COLORS[k % COLORS.length] },
      })),
    };
  }

  function draw() {
    if (!window.echarts) return;
    document.querySelectorAll("[data-measures-chart]").forEach((element) => {
      const source = document.getElementById(element.dataset.source);
      if (!source) return;
      const data = JSON.parse(source.textContent);
      const group = data[element.dataset.group];
      if (!group) return;
      const chart = window.echarts.init(element, null, { renderer: "svg" });
      chart.setOption(options(data.labels, group, element.clientWidth));
      window.addEventListener("resize", () => chart.resize());
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
