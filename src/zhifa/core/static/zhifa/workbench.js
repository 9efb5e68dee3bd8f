// 工作台: the officers-by-agency bar chart (ECharts served by zhifa itself, data from json_script).
(function () {
  "use strict";
  var box = document.getElementById("officers-by-agency");
  var source = document.getElementById("chart-data");
  if (!box || !source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(box, null, { renderer: "canvas" });
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  chart.setOption({
    animation: !reduceMotion,
    textStyle: { fontFamily: '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif' },
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: data.labels, inverse: true, axisLabel: { width: 120, overflow: "truncate" } },
    series: [{ type: "bar", name: "执法人员", data: data.values, itemStyle: { color: "#1d4e89" },
      label: { show: true, position: "right" } }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
}());
