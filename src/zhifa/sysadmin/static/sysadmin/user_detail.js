// 分配角色: show the agency for an agency scope, the region for a region scope (both stay without script).
(function () {
  "use strict";
  var scope = document.getElementById("id_grant-scope");
  if (!scope) { return; }
  function box(id) { var el = document.getElementById(id); return el ? el.closest(".mb-3") : null; }
  function sync() {
    var agency = box("id_grant-agency"), region = box("id_grant-region");
    if (agency) { agency.hidden = scope.value === "region"; }
    if (region) { region.hidden = scope.value !== "region" && scope.value !== ""; }
  }
  scope.addEventListener("change", sync);
  sync();
})();
