// Live Markdown preview: the server renders the text with the same function
// that saving uses, so the preview shows exactly what will be published.
(function () {
  "use strict";

  var DELAY_MS = 350;
  var gettext = window.flaskyI18n ? window.flaskyI18n.gettext : function (text) { return text; };

  function setUp(box) {
    var field = document.getElementById(box.dataset.previewFor);
    var output = box.querySelector("[data-preview-output]");
    var notes = box.querySelector("[data-preview-notes]");
    var placeholder = box.querySelector("[data-preview-placeholder]");
    // A composer's preview (beside the text) stays in place, saying it is empty.
    var stays = "previewStays" in box.dataset;
    if (!field || !output) {
      return;
    }
    var timer = null;
    var controller = null;

    // What saving leaves out (a post's Markdown image), said in words.
    function showNotes(messages) {
      if (!notes) { return; }
      notes.textContent = "";
      (messages || []).forEach(function (message) {
        var item = document.createElement("li");
        item.textContent = message;
        notes.appendChild(item);
      });
      notes.hidden = !notes.childElementCount;
    }

    function show(html, isError, messages) {
      box.hidden = false;
      if (placeholder) { placeholder.hidden = true; }
      showNotes(isError ? [] : messages);
      output.classList.toggle("text-danger", isError);
      if (isError) {
        output.textContent = html;
      } else {
        output.innerHTML = html; // sanitised by the server, as it will be saved
      }
    }

    function empty() {
      box.hidden = !stays;
      if (placeholder) { placeholder.hidden = false; }
      showNotes([]);
      output.textContent = "";
    }

    function render() {
      var text = field.value;
      if (!text.trim()) {
        if (controller) { controller.abort(); }
        empty();
        return;
      }
      if (controller) {
        controller.abort();
      }
      controller = new AbortController();
      var body = new FormData();
      body.append("body", text);
      body.append("kind", box.dataset.previewKind);
      fetch(box.dataset.previewUrl, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: {"X-CSRFToken": box.dataset.csrfToken, "Accept": "application/json"},
        signal: controller.signal
      }).then(function (response) {
        return response.json().then(function (data) {
          if (response.ok) {
            show(data.html, false, data.notes);
          } else {
            show(data.message || gettext("The preview is not available."), true);
          }
        });
      }).catch(function (error) {
        if (error.name !== "AbortError") {
          show(gettext("The preview is not available."), true);
        }
      });
    }

    field.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(render, DELAY_MS);
    });
    if (field.value.trim()) {
      render();
    } else if (stays) {
      empty();
    }
  }

  document.querySelectorAll("[data-preview-for]").forEach(setUp);
})();
