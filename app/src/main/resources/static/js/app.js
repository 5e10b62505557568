// Leak Detector dashboard: draws the ECharts charts whose data the server put in data-chart attributes, and wires
// the findings table's "select all" box. No build step: plain ES2017, loaded after htmx and echarts.
(function () {
  "use strict";
  var palette = ["#1d4ed8", "#b42318", "#067647", "#8a4b00", "#6b21a8", "#0e7490", "#be185d", "#4d7c0f"];
  var money = function (currency) {
    return function (v) { return currency + " " + Number(v).toLocaleString("en-US", { maximumFractionDigits: 2 }); };
  };

  var builders = {
    trend: function (d) {
      return {
        color: palette, tooltip: { trigger: "axis" }, legend: { top: 0 },
        grid: { left: 60, right: 70, top: 40, bottom: 40 },
        xAxis: { type: "time" },
        yAxis: [{ type: "value", name: "findings", minInterval: 1 },
                { type: "value", name: d.currency, axisLabel: { formatter: function (v) { return Number(v).toLocaleString("en-US"); } } }],
        series: [
          { name: "findings detected", type: "bar", data: d.counts, barMaxWidth: 28,
            markLine: { symbol: ["none", "none"], lineStyle: { color: "#8a4b00", type: "dashed" },
              label: { formatter: "{b}", position: "insideEndTop", color: "#8a4b00", fontSize: 11 },
              data: d.changes.map(function (c) { return { name: c.label, xAxis: c.at }; }) } },
          { name: "one-time leaked (" + d.currency + ")", type: "line", yAxisIndex: 1, data: d.amounts,
            tooltip: { valueFormatter: money(d.currency) } }
        ]
      };
    },
    categories: function (d) {
      return {
        color: ["#b42318", "#1d4ed8"], tooltip: { trigger: "axis", valueFormatter: money(d.currency) }, legend: { top: 0 },
        grid: { left: 10, right: 30, top: 35, bottom: 25, containLabel: true },
        xAxis: { type: "value" }, yAxis: { type: "category", data: d.names, inverse: true },
        series: [{ name: "one-time leaked", type: "bar", data: d.oneTime },
                 { name: "MRR leaked", type: "bar", data: d.recurring }]
      };
    },
    funnel: function (d) {
      return {
        color: ["#1d4ed8", "#2563eb", "#0e7490", "#067647", "#b42318"], tooltip: { trigger: "item", formatter: "{b}: {c} customers" },
        series: [{ type: "funnel", left: "8%", width: "84%", top: 10, bottom: 10, sort: "none", minSize: "8%",
          label: { show: true, position: "inside", formatter: "{b}  {c}", color: "#fff", fontWeight: 600 },
          data: d.data }]
      };
    },
    segments: function (d) {
      return {
        color: ["#1d4ed8", "#b42318", "#8a4b00"], tooltip: { trigger: "axis" }, legend: { top: 0 },
        grid: { left: 10, right: 10, top: 40, bottom: 10, containLabel: true },
        xAxis: { type: "category", data: d.names, axisLabel: { interval: 0, rotate: d.names.length > 4 ? 30 : 0, fontSize: 11 } },
        yAxis: [{ type: "value", name: d.currency }, { type: "value", name: "leakage %", axisLabel: { formatter: "{value} %" } }],
        series: [{ name: "revenue", type: "bar", data: d.revenue, tooltip: { valueFormatter: money(d.currency) } },
                 { name: "one-time leaked", type: "bar", data: d.leaked, tooltip: { valueFormatter: money(d.currency) } },
                 { name: "leakage %", type: "line", yAxisIndex: 1, data: d.percent, tooltip: { valueFormatter: function (v) { return v == null ? "—" : v + " %"; } } }]
      };
    },
    waterfall: function (d) {
      // A waterfall as two stacked bars: an invisible base and the visible step (red pushes towards "unusual").
      var names = ["baseline"], base = [0], up = [d.baseline], colors = ["#64748b"], level = d.baseline;
      d.steps.forEach(function (s) {
        var next = level + s.value;
        names.push(s.name); base.push(Math.min(level, next)); up.push(Math.abs(s.value));
        colors.push(s.value < 0 ? "#b42318" : "#067647"); level = next;
      });
      names.push("this finding"); base.push(0); up.push(d.output); colors.push("#1d4ed8");
      return {
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, formatter: function (p) {
          var i = p[0].dataIndex, v = i === 0 ? d.baseline : i === names.length - 1 ? d.output : d.steps[i - 1].value;
          return names[i] + ": " + (i > 0 && i < names.length - 1 && v > 0 ? "+" : "") + v; } },
        grid: { left: 10, right: 60, top: 20, bottom: 40, containLabel: true },
        xAxis: { type: "value", name: d.unit, nameLocation: "middle", nameGap: 26, scale: true },
        yAxis: { type: "category", data: names, inverse: true },
        series: [{ type: "bar", stack: "w", data: base, itemStyle: { color: "transparent" }, emphasis: { disabled: true } },
                 { type: "bar", stack: "w", data: up.map(function (v, i) { return { value: v, itemStyle: { color: colors[i] } }; }),
                   label: { show: true, position: "right", formatter: function (p) {
                     var i = p.dataIndex; if (i === 0) return d.baseline; if (i === names.length - 1) return d.output;
                     var v = d.steps[i - 1].value; return (v > 0 ? "+" : "") + v; } } }]
      };
    }
  };

  function draw(root) {
    if (typeof echarts === "undefined") return;
    (root || document).querySelectorAll("[data-chart]").forEach(function (el) {
      if (el.dataset.drawn) return;
      var data = JSON.parse(el.dataset.chart);
      var build = builders[data.type];
      if (!build) return;
      var chart = echarts.init(el, null, { renderer: "svg" });
      chart.setOption(build(data));
      el.dataset.drawn = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  function wireSelectAll(root) {
    (root || document).querySelectorAll("input[data-select-all]").forEach(function (box) {
      box.addEventListener("change", function () {
        document.querySelectorAll("input[name=ids]").forEach(function (c) { c.checked = box.checked; });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(); wireSelectAll(); });
  document.addEventListener("htmx:afterSettle", function (e) { draw(e.target); wireSelectAll(e.target); });
})();
