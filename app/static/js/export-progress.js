// The export page: ask the server how far the export is and move the progress
// bar, without reloading, until it is done; then show the download link.
// Without JavaScript the page reloads itself instead (a <noscript> refresh).
(function () {
  "use strict";

  var INTERVAL_MS = 1000;
  var MAX_INTERVAL_MS = 15000;

  var box = document.querySelector("[data-export-status]");
  if (!box || box.dataset.exportDone === "true") {
    return;
  }
  var bar = box.querySelector("[data-export-bar]");
  var fill = box.querySelector("[data-export-bar-fill]");
  var percentText = box.querySelector("[data-export-percent]");
  var message = box.querySelector("[data-export-message]");
  var download = box.querySelector("[data-export-download]");
  var link = box.querySelector("[data-export-link]");
  var announce = box.querySelector("[data-export-announce]");
  var delay = INTERVAL_MS;

  function show(status) {
    var percent = Math.max(0, Math.min(100, Math.round(Number(status.progress) || 0)));
    var done = status.state !== "queued" && status.state !== "running";
    bar.setAttribute("aria-valuenow", String(percent));
    fill.dataset.progressStep = String(Math.floor(percent / 10) * 10);
    fill.style.width = percent + "%";  // the style property, not an attribute: CSP allows it
    percentText.textContent = percent + "\u00a0%";
    if (message.textContent !== status.message) {
      message.textContent = status.message;
    }
    if (done) {
      box.dataset.exportDone = "true";
      announce.textContent = status.message;
      fill.classList.remove("progress-bar-striped", "progress-bar-animated");
      fill.classList.toggle("bg-danger", status.state === "failed");
    }
    if (status.download_url) {
      link.href = status.download_url;
      download.hidden = false;
    }
    return done;
  }

  function poll() {
    fetch(box.dataset.exportStatus, {
      credentials: "same-origin",
      headers: {"Accept": "application/json"}
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("status " + response.status);
      }
      return response.json();
    }).then(function (status) {
      delay = INTERVAL_MS;
      if (!show(status)) {
        window.setTimeout(poll, delay);
      }
    }).catch(function () {
      // The server is busy or unreachable for a moment: ask again, less often.
      delay = Math.min(delay * 2, MAX_INTERVAL_MS);
      window.setTimeout(poll, delay);
    });
  }

  window.setTimeout(poll, INTERVAL_MS);
})();
