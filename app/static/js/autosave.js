// Autosave of the post form: while someone types, the title and text are saved
// as a draft every few seconds (and once more when the page is hidden or left), so closing
// a tab loses at most those seconds. The server answers with the draft's id,
// which the form then carries, so Publish and later saves continue that draft.
(function () {
  "use strict";

  var INTERVAL_MS = 4000;
  var gettext = window.flaskyI18n ? window.flaskyI18n.gettext : function (text) { return text; };

  function setUp(status) {
    var form = document.getElementById(status.dataset.autosaveFor);
    if (!form || !form.elements.body || !form.elements.draft_id) {
      return;
    }
    var changed = false;
    var saving = false;
    var submitted = false;

    function formData() {
      var data = new FormData();
      data.append("csrf_token", status.dataset.csrfToken);
      data.append("title", form.elements.title ? form.elements.title.value : "");
      data.append("body", form.elements.body.value);
      data.append("draft_id", form.elements.draft_id.value);
      return data;
    }

    function ready() {
      return changed && !saving && !submitted && form.elements.body.value.trim() !== "";
    }

    function say(text) {
      status.textContent = text;
    }

    // keepalive: a save started as the page is left still reaches the server.
    function save() {
      if (!ready()) {
        return;
      }
      changed = false;
      saving = true;
      fetch(status.dataset.autosaveUrl, {
        method: "POST",
        body: formData(),
        keepalive: true,
        credentials: "same-origin",
        headers: {"X-CSRFToken": status.dataset.csrfToken, "Accept": "application/json"}
      }).then(function (response) {
        return response.json().then(function (data) {
          if (response.ok) {
            form.elements.draft_id.value = data.id;
            say(gettext("Draft saved at %(time)s.",
                        {time: new Date().toLocaleTimeString(document.documentElement.lang)}));
          } else {
            say(data.message ? gettext("Not saved as a draft: %(reason)s", {reason: data.message})
                             : gettext("Not saved as a draft: please try again."));
          }
        });
      }).catch(function () {
        changed = true;
        say(gettext("Not saved yet: the connection seems to be down."));
      }).then(function () {
        saving = false;
      });
    }

    form.addEventListener("input", function () {
      changed = true;
    });
    form.addEventListener("submit", function (event) {
      submitted = !event.defaultPrevented; // composer.js refuses text over the limit
    });
    window.setInterval(save, INTERVAL_MS);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") {
        save();
      }
    });
    window.addEventListener("pagehide", save);
  }

  document.querySelectorAll("[data-autosave-for]").forEach(setUp);
})();
