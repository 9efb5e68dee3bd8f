/* 公示平台: large-text and high-contrast toggles, kept in localStorage and a cookie (so the server can render
   the class on the first byte and there is no flash). */
(function () {
  var root = document.documentElement;
  var modes = { large: "pt-large", contrast: "pt-contrast" };
  function save(mode, on) {
    try { localStorage.setItem("portal-" + mode, on ? "1" : "0"); } catch (e) { /* private mode */ }
    document.cookie = "portal_" + mode + "=" + (on ? "1" : "0") + ";path=/;max-age=31536000;SameSite=Lax";
  }
  function apply(mode, on) {
    root.classList.toggle(modes[mode], on);
    var btn = document.querySelector('[data-portal-toggle="' + mode + '"]');
    if (btn) { btn.setAttribute("aria-pressed", on ? "true" : "false"); }
  }
  Object.keys(modes).forEach(function (mode) {
    var stored = null;
    try { stored = localStorage.getItem("portal-" + mode); } catch (e) { /* ignore */ }
    if (stored !== null) { apply(mode, stored === "1"); } else { apply(mode, root.classList.contains(modes[mode])); }
  });
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest("[data-portal-toggle]");
    if (!btn) { return; }
    var mode = btn.getAttribute("data-portal-toggle");
    var on = !root.classList.contains(modes[mode]);
    apply(mode, on);
    save(mode, on);
  });
})();

/* The section menu collapses behind a button on phones (below 992 px); on wide screens it is one row. */
(function () {
  var button = document.querySelector("[data-portal-menu]");
  var menu = document.getElementById("portal-menu");
  if (!button || !menu) { return; }
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("is-open", open);
  });
})();
