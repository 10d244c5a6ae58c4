// The impact page's event study: effect per quarter from the start, with its 95% interval as a band.
(function () {
  "use strict";

  function draw() {
    const element = document.getElementById("impact-chart");
    const source = document.getElementById("impact-data");
    if (!element || !source || !window.echarts) return;
    const data = JSON.parse(source.textContent);
    const chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 16, top: 16, bottom: 28, containLabel: true },
      tooltip: { trigger: "axis", valueFormatter: (value) => (value == null ? "—" : value.toFixed(2)) },
      xAxis: { type: "category", data: data.labels, name: "quarter from start", nameLocation: "middle", nameGap: 24 },
      yAxis: { type: "value", splitLine: { lineStyle: { color: "#eef0f3" } } },
      series: [
        { name: "lower", type: "line", data: data.low, stack: "band", stackStrategy: "all", symbol: "none", lineStyle: { opacity: 0 } },
        {
          name: "95% interval", type: "line", symbol: "none", stack: "band", stackStrategy: "all", lineStyle: { opacity: 0 },
          areaStyle: { color: "#3b6fd8", opacity: 0.15 },
          data: data.high.map((high, k) => high - data.low[k]),
          tooltip: { show: false },
        },
        {
          name: "estimate", type: "line", data: data.estimate, symbolSize: 6,
          lineStyle: { color: "#3b6fd8", width: 2 }, itemStyle: { color: "#3b6fd8" },
          markLine: { symbol: "none", silent: true, label: { show: false }, lineStyle: { color: "#94a3b8", type: "dashed" }, data: [{ yAxis: 0 }] },
        },
      ],
    });
    window.addEventListener("resize", () => chart.resize());
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
