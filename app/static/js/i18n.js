/* The scripts' own words in the page's language: the catalog for <html lang>
   comes as JSON from Flasky (/i18n/<lang>.json, app/main/views/languages.py),
   loaded once; until it arrives, or without it, the English text is shown.
   flaskyI18n.gettext("Draft saved at %(time)s.", {time: "10:04"}). */
(function () {
  "use strict";
  var script = document.currentScript;
  var catalog = {};

  if (script && script.dataset.catalog && window.fetch) {
    fetch(script.dataset.catalog, {credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : {}; })
      .then(function (messages) { catalog = messages; })
      .catch(function () { /* English it is */ });
  }

  function gettext(message, values) {
    var text = catalog[message] || message;
    return text.replace(/%\(([a-z_]+)\)s/g, function (whole, name) {
      return values && name in values ? String(values[name]) : whole;
    });
  }

  window.flaskyI18n = {gettext: gettext};
})();
