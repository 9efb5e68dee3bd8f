// 打印本指南: the page's own print styles (guides.css) leave out the portal's header, menu and footer.
document.querySelectorAll("[data-guide-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
