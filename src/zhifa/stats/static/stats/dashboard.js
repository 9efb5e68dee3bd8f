// 执法监督看板: every chart from json_script; a click on a case bar opens the cases behind it (下钻).
(function () {
  "use strict";
  var source = document.getElementById("stats-chart-data");
  if (!source || typeof echarts === "undefined") { return; }
  var all = JSON.parse(source.textContent);
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var palette = ["#1d4e89", "#b5562a", "#2a7f62", "#7b4f9d", "#c9a227", "#5b6770"];
  var charts = [];
  function drillUrl(c, s, index) {
    if (!s.metric || s.metric.indexOf("case.") !== 0) { return null; }
    var url = c.drill_url + "&metric=" + encodeURIComponent(s.metric);
    var k = c.keys[index];
    if (c.dimension === "month") { url += "&month=" + k; }
    if (c.dimension === "agency") { url = url.replace(/([?&])agency=\d+/, "$1") + "&agency=" + k; }
    if (c.dimension === "key") { url += "&key=" + encodeURIComponent(k); }
    else if (s.key) { url += "&key=" + encodeURIComponent(s.key); }
    return url;
  }
  Object.keys(all).forEach(function (name) {
    var c = all[name];
    var box = document.getElementById("chart-" + name);
    if (!box) { return; }
    var chart = echarts.init(box, null, { renderer: "canvas" });
    var option = {
      animation: !reduceMotion,
      color: palette,
      textStyle: { fontFamily: '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif' },
      tooltip: { trigger: c.type === "pie" ? "item" : "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true }
    };
    if (c.type === "pie") {
      option.series = [{ type: "pie", radius: ["35%", "65%"], top: 24, name: c.series[0].name,
        data: c.labels.map(function (l, i) { return { name: l, value: c.series[0].values[i] }; }) }];
    } else if (c.type === "hbar") {
      option.xAxis = { type: "value", minInterval: 1 };
      option.yAxis = { type: "category", data: c.labels, inverse: true, axisLabel: { width: 130, overflow: "truncate" } };
      option.series = c.series.map(function (s) { return { type: "bar", name: s.name, data: s.values, stack: "all" }; });
    } else {
      option.xAxis = { type: "category", data: c.labels };
      option.yAxis = { type: "value" };
      option.series = c.series.map(function (s) { return { type: c.type === "line" ? "line" : "bar", name: s.name, data: s.values }; });
    }
    chart.setOption(option);
    chart.on("click", function (p) {
      var s = c.type === "pie" ? c.series[0] : c.series[p.seriesIndex];
      var url = s && drillUrl(c, s, p.dataIndex);
      if (url) { window.location.href = url; }
    });
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (ch) { ch.resize(); }); });
}());
