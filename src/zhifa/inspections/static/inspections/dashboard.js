// 检查统计: inspections per agency and per enterprise (ECharts served by zhifa, data from json_script).
(function () {
  "use strict";
  var source = document.getElementById("inspection-chart-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var charts = [];
  function bar(id, series, name, color) {
    var box = document.getElementById(id);
    if (!box) { return; }
    var chart = echarts.init(box, null, { renderer: "canvas" });
    chart.setOption({
      animation: !reduceMotion,
      textStyle: { fontFamily: '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif' },
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: series.labels, inverse: true, axisLabel: { width: 140, overflow: "truncate" } },
      series: [{ type: "bar", name: name, data: series.values, itemStyle: { color: color },
        label: { show: true, position: "right" } }]
    });
    charts.push(chart);
  }
  bar("chart-agencies", data.agencies, "检查次数", "#1d4e89");
  bar("chart-parties", data.parties, "被检查次数", "#b5562a");
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
}());
