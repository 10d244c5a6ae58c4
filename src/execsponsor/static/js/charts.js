// Draws the ECharts charts of a page. Each chart is an element with data-chart="<kind>" and
// data-source="<id of a json_script element>"; the page keeps a table of the same figures.
(function () {
  "use strict";

  const money = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", notation: "compact", maximumFractionDigits: 1 });
  const moneyFull = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });

  function revenueOptions(data) {
    const hasArr = data.arr_end.some((value) => value != null);
    const options = {
      animation: false,
      grid: { left: 8, right: 8, top: 24, bottom: 8, containLabel: true },
      tooltip: {
        trigger: "axis",
        valueFormatter: (value) => (value == null ? "—" : moneyFull.format(value)),
      },
      legend: { data: ["Revenue", "ARR at quarter end"], top: 0, right: 0, textStyle: { fontSize: 11 } },
      xAxis: { type: "category", data: data.labels, axisLabel: { hideOverlap: true }, axisTick: { alignWithLabel: true } },
      yAxis: { type: "value", axisLabel: { formatter: (value) => money.format(value) }, splitLine: { lineStyle: { color: "#eef0f3" } } },
      series: [
        { name: "Revenue", type: "bar", data: data.revenue, itemStyle: { color: "#3b6fd8", borderRadius: [3, 3, 0, 0] }, barMaxWidth: 36 },
        { name: "ARR at quarter end", type: "line", data: data.arr_end, yAxisIndex: 0, symbolSize: 5,
          lineStyle: { color: "#94a3b8", width: 2 }, itemStyle: { color: "#94a3b8" }, connectNulls: true },
      ],
    };
    if (!hasArr) {
      options.series.pop();
      options.legend.data.pop();
    }
    return options;
  }

  function healthOptions(data) {
    return {
      animation: false,
      grid: { left: 4, right: 4, top: 8, bottom: 4, containLabel: true },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: data.labels, show: false, boundaryGap: false },
      yAxis: { type: "value", min: 0, max: 100, interval: 50, axisLabel: { fontSize: 10, color: "#9aa5b4" },
               splitLine: { lineStyle: { color: "#eef0f3" } } },
      series: [{
        name: "Health", type: "line", data: data.scores, smooth: true, symbolSize: 4,
        lineStyle: { color: "#3b6fd8", width: 2 }, itemStyle: { color: "#3b6fd8" },
        areaStyle: { color: "rgba(59, 111, 216, 0.08)" },
      }],
    };
  }

  const escapeHtml = (text) =>
    String(text).replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&#39;" })[c]);

  function orgOptions(data) {
    return {
      animation: false,
      tooltip: {
        trigger: "item",
        formatter: (info) => {
          const d = info.data;
          if (d.strength === undefined) return escapeHtml(d.name);
          const lines = [d.title, d.buying_role, `${d.support} · strength ${d.strength}`];
          if (d.known_by.length) lines.push(`Known by ${d.known_by.join(", ")}`);
          if (d.levels && d.levels.length) lines.push(...d.levels);
          if (d.left) lines.push(d.replaced_by ? `Has left; replaced by ${d.replaced_by}` : "Has left");
          return [`<strong>${escapeHtml(d.name)}</strong>`, ...lines.filter(Boolean).map(escapeHtml)].join("<br>");
        },
      },
      series: [{
        type: "tree", data: [data], orient: "TB", top: 24, bottom: 96, left: 40, right: 40,
        initialTreeDepth: -1, expandAndCollapse: false, roam: true, symbol: "circle",
        label: { position: "bottom", distance: 4, fontSize: 11, formatter: (info) => {
          const d = info.data;
          return d.strength === undefined ? d.name : `${d.name} · ${d.strength}${d.gone ? " (gone)" : ""}`;
        } },
        leaves: { label: { position: "bottom", rotate: -30, align: "left", verticalAlign: "middle", distance: 6 } },
        lineStyle: { color: "#cbd5e1" },
      }],
    };
  }

  const builders = { revenue: revenueOptions, health: healthOptions, org: orgOptions };

  function draw(element) {
    if (!window.echarts || element.dataset.drawn) return;
    const build = builders[element.dataset.chart];
    const source = document.getElementById(element.dataset.source);
    if (!build || !source) return;
    const chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption(build(JSON.parse(source.textContent)));
    element.dataset.drawn = "true";
    new ResizeObserver(() => chart.resize()).observe(element);
  }

  function drawAll(root) {
    (root || document).querySelectorAll("[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => drawAll());
  } else {
    drawAll();
  }
  // Whole document: an edit can replace a chart out of band, outside the swapped element.
  document.addEventListener("htmx:afterSettle", () => drawAll());
})();
