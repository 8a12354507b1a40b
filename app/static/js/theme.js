/* Dark mode that follows the system setting: Bootstrap 5.3 reads data-bs-theme
   on <html>. Loaded in <head> before the page paints, so there is no flash of
   the wrong colours; without JavaScript, flasky.css applies the same colours
   from a prefers-color-scheme media query. */
(function () {
  "use strict";
  var root = document.documentElement;
  var dark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function applyTheme() {
    root.setAttribute("data-bs-theme", dark && dark.matches ? "dark" : "light");
  }

  applyTheme();
  if (dark && dark.addEventListener) {
    dark.addEventListener("change", applyTheme);
  }
})();
