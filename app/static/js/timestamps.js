/* Shows the times that templates print with Flask-Moment ({{ moment(t)... }})
   in the reader's own time zone and the page's language, using moment.js. It reads the
   same data-* attributes as Flask-Moment's own script, but is a static file,
   so the Content Security Policy needs no inline script for it. Without
   JavaScript, noscript.css shows the server's text instead: the date in the
   reader's language and time zone (app/dates.py). */
(function () {
  "use strict";

  function render(element) {
    var data = element.dataset;
    var timestamp = moment(data.timestamp);
    var args = [];
    if (data.format) { args.push(data.format); }
    if (data.timestamp2) { args.push(moment(data.timestamp2)); }
    if (data.nosuffix) { args.push(data.nosuffix); }
    if (data.units) { args.push(data.units); }
    if (typeof timestamp[data.function] !== "function") { return; }
    element.textContent = timestamp[data.function].apply(timestamp, args);
    element.classList.remove("flask-moment");
    element.style.display = "";
  }

  function renderAll() {
    if (typeof moment === "undefined") { return; }
    /* The page's language (<html lang>); its moment locale file loads first. */
    moment.locale(document.documentElement.lang || "en");
    document.querySelectorAll(".flask-moment").forEach(function (element) {
      render(element);
      var refresh = Number(element.dataset.refresh);
      if (refresh > 0) {
        window.setInterval(function () { render(element); }, refresh);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", renderAll);
  } else {
    renderAll();
  }
})();
