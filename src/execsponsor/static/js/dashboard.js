// The program dashboard's charts: leading and lagging measures per quarter, and the executives' load.
(function () {
  "use strict";

  function read(id) {
    const source = document.getElementById(id);
    return source ? JSON.parse(source.textContent) : null;
  }

  // A series with `axis: 1` is drawn against a second axis on the right (a count beside a rate).
  function lineChart(element, labels, series, percent) {
    const chart = window.echarts.init(element, null, { renderer: "svg" });
    const twoAxes = series.some((s) => s.axis === 1);
    const axis = { type: "value", scale: true, splitLine: { lineStyle: { color: "#eef0f3" } } };
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
      legend: { top: 0, textStyle: { fontSize: 11 } },
      tooltip: { trigger: "axis", valueFormatter: (v) => (v == null ? "—" : (percent ? v.toFixed(1) + "%" : (Number.isInteger(v) ? String(v) : v.toFixed(2)))) },
      xAxis: { type: "category", data: labels, axisLabel: { hideOverlap: true } },
      yAxis: twoAxes ? [axis, { ...axis, splitLine: { show: false }, minInterval: 1 }] : axis,
      series: series.map((s) => ({ name: s.name, type: "line", data: s.data, symbolSize: 5, connectNulls: false, yAxisIndex: s.axis || 0 })),
    });
    window.addEventListener("resize", () => chart.resize());
  }

  function draw() {
    if (!window.echarts) return;
    const measures = read("measures-data");
    const leading = document.getElementById("leading-chart");
    if (measures && leading) {
      lineChart(leading, measures.labels, [
        { name: "Counting engagements per sponsorship", data: measures.counting_per_sponsorship },
        { name: "Meetings with their C-level", data: measures.executive_access, axis: 1 },
      ], false);
    }
    const lagging = document.getElementById("lagging-chart");
    if (measures && lagging) {
      lineChart(lagging, measures.labels, [
        { name: "NRR", data: measures.nrr },
        { name: "GRR", data: measures.grr },
        { name: "Cadence adherence", data: measures.cadence_adherence },
      ], true);
    }
    let loads = read("loads-data");
    if (loads && window.innerWidth < 576) {
      // A phone has room for about a dozen bars: the most loaded.
      loads = Object.fromEntries(Object.entries(loads).map(([key, values]) => [key, values.slice(0, 12)]));
    }
    const loadsElement = document.getElementById("loads-chart");
    if (loads && loadsElement) {
      const chart = window.echarts.init(loadsElement, null, { renderer: "svg" });
      chart.setOption({
        animation: false,
        grid: { left: 40, right: 16, top: 28, bottom: 8, containLabel: true },
        legend: { top: 0, textStyle: { fontSize: 11 } },
        tooltip: { trigger: "axis" },
        xAxis: { type: "category", data: loads.names, axisLabel: { rotate: 40, fontSize: 10, interval: 0 } },
        yAxis: { type: "value", minInterval: 1, splitLine: { lineStyle: { color: "#eef0f3" } } },
        series: [
          { name: "Live sponsorships", type: "bar", barMaxWidth: 22,
            data: loads.load.map((v, k) => ({ value: v, itemStyle: { color: v > loads.capacity_max[k] ? "#dc2626" : (v < loads.capacity_min[k] ? "#d97706" : "#3b6fd8") } })) },
          { name: "Most", type: "line", step: "middle", symbol: "none", data: loads.capacity_max,
            lineStyle: { type: "dashed", color: "#64748b" }, itemStyle: { color: "#64748b" } },
          { name: "Least", type: "line", step: "middle", symbol: "none", data: loads.capacity_min,
            lineStyle: { type: "dotted", color: "#94a3b8" }, itemStyle: { color: "#94a3b8" } },
        ],
      });
      window.addEventListener("resize", () => chart.resize());
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
