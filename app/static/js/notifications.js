// Keeps the navbar bell's unread count current without reloading the page: asks
// for the count every 15 seconds with the ETag of the last answer, so an
// unchanged count costs a 304 with no body. Without JavaScript the count is
// still right on every page load (the server renders it).
(function () {
  "use strict";
  var bell = document.getElementById("notification-bell");
  if (!bell || !window.fetch) { return; }
  var badge = bell.querySelector(".notification-count");
  var url = bell.getAttribute("data-count-url");
  var interval = parseInt(bell.getAttribute("data-interval") || "15000", 10);
  var etag = null;

  function show(count) {
    badge.firstChild.nodeValue = String(count);
    badge.hidden = count === 0;
    bell.setAttribute("data-unread", String(count));
  }

  function poll() {
    if (document.hidden) { return; }
    var headers = { "Accept": "application/json" };
    if (etag) { headers["If-None-Match"] = etag; }
    fetch(url, { headers: headers, credentials: "same-origin", cache: "no-cache" })
      .then(function (response) {
        if (response.status === 304 || !response.ok) { return null; }
        etag = response.headers.get("ETag");
        return response.json();
      })
      .then(function (data) { if (data) { show(data.unread); } })
      .catch(function () {});
  }

  window.setInterval(poll, interval);
  document.addEventListener("visibilitychange", poll);
})();
