/* The reader's time zone, from the browser (app/languages.py reads it).
   A visitor's browser keeps it in the "tz" cookie, read from the next page on;
   a signed-in user who has not chosen a time zone gets the browser's saved once
   to their settings (POST with the page's CSRF token). Without JavaScript,
   pages stay in UTC or the zone chosen in the settings. */
(function () {
  "use strict";
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone || zone.length > 64 || !/^[A-Za-z0-9_+\/-]+$/.test(zone)) { return; }
  var cookie = "tz=" + zone;  /* IANA names need no escaping in a cookie */
  if (document.cookie.split("; ").indexOf(cookie) === -1) {
    document.cookie = cookie + "; path=/; max-age=31536000; samesite=lax";
  }
  var preset = document.getElementById("timezone-preset");
  if (!preset || !window.fetch) { return; }
  var body = new URLSearchParams();
  body.append("timezone", zone);
  body.append("csrf_token", preset.dataset.csrfToken);
  fetch(preset.dataset.url, {
    method: "POST", body: body, credentials: "same-origin",
    headers: {"X-CSRFToken": preset.dataset.csrfToken, "Accept": "application/json"}
  }).catch(function () { /* tried again on the next page */ });
})();
