// 现场检查: the 定位 button appends the GPS position to the place field (a static file: CSP forbids inline script).
(function () {
  "use strict";
  document.querySelectorAll("[data-locate]").forEach(function (button) {
    button.addEventListener("click", function () {
      var input = document.getElementById("id_place");
      if (!navigator.geolocation) { button.textContent = "不支持定位"; return; }
      navigator.geolocation.getCurrentPosition(function (p) {
        var here = "GPS " + p.coords.latitude.toFixed(5) + "," + p.coords.longitude.toFixed(5);
        input.value = input.value ? input.value + "（" + here + "）" : here;
      }, function () { button.textContent = "定位失败"; });
    });
  });
})();
