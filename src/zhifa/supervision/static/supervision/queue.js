// 预警队列: "select all on this page" for the bulk form (the checkbox stays hidden without JavaScript).
(function () {
  "use strict";
  var all = document.getElementById("bulk-all");
  if (!all) { return; }
  function boxes() { return document.querySelectorAll("input[data-bulk]"); }
  if (!boxes().length) { return; }
  all.hidden = false;
  all.addEventListener("change", function () {
    boxes().forEach(function (box) { box.checked = all.checked; });
  });
  document.addEventListener("change", function (event) {
    if (!event.target.matches || !event.target.matches("input[data-bulk]")) { return; }
    var list = Array.prototype.slice.call(boxes());
    var ticked = list.filter(function (box) { return box.checked; }).length;
    all.checked = ticked === list.length;
    all.indeterminate = ticked > 0 && ticked < list.length;
  });
}());
