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

  /* The timestamp macro's <time class="timestamp"> (app/templates/_timestamp.html):
     the server wrote the date; during the first day it becomes "3 hours ago",
     and the year is shown or left out by today's year, not the day the page was
     cached. Days and years count in the reader's zone (data-zone). */
  var DAY_MS = 24 * 60 * 60 * 1000;

  function dateText(when, zone, lang) {
    var options = {month: "short", day: "numeric", timeZone: zone || undefined};
    var year = function (date) {
      return new Intl.DateTimeFormat("en", {year: "numeric", timeZone: options.timeZone})
        .format(date);
    };
    if (year(when) !== year(new Date())) { options.year = "numeric"; }
    try {
      return new Intl.DateTimeFormat(lang, options).format(when);
    } catch (error) { /* a zone this browser does not know */
      return null;
    }
  }

  function refine(element, lang) {
    var when = new Date(element.getAttribute("datetime"));
    if (isNaN(when.getTime())) { return false; }
    var age = Date.now() - when.getTime();
    if (age < DAY_MS && typeof moment !== "undefined") {
      /* A clock a little ahead says "a few seconds ago", never "in a few seconds". */
      element.textContent = moment(Math.min(when.getTime(), Date.now())).fromNow();
      return true;
    }
    var text = dateText(when, element.dataset.zone, lang);
    if (text) { element.textContent = text; }
    return false;
  }

  function refineAll() {
    var lang = document.documentElement.lang || "en";
    var recent = [];
    document.querySelectorAll("time.timestamp").forEach(function (element) {
      if (refine(element, lang)) { recent.push(element); }
    });
    if (recent.length) {
      window.setInterval(function () {
        recent.forEach(function (element) { refine(element, lang); });
      }, 60 * 1000);
    }
  }

  function start() {
    renderAll();
    refineAll();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
