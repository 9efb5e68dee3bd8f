/* zhifa — small page behaviours without inline script, so that the Content-Security-Policy can forbid it
   (docs/security.md). Event delegation on the document: works for content htmx swaps in too.
   1. data-confirm="question" on a button or link: asks before it submits or follows.
   2. data-fill-target="input-id" data-fill-value="value" on a button: puts the value into that input and
      fires its change event (htmx listens to it). */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var asking = event.target.closest ? event.target.closest("[data-confirm]") : null;
    if (asking && !window.confirm(asking.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    var filler = event.target.closest ? event.target.closest("[data-fill-target]") : null;
    if (filler) {
      var field = document.getElementById(filler.getAttribute("data-fill-target"));
      if (!field) { return; }
      field.value = filler.getAttribute("data-fill-value") || "";
      field.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }, true);
})();
