/* The print views' 打印 button (no inline script: the pages' CSP allows only our own files). */
document.addEventListener("click", function (ev) {
  if (ev.target.closest("[data-print]")) { window.print(); }
});
