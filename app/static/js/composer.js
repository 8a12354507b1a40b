// The composer (app/templates/_composer.html): a live character counter that
// warns near the limit and refuses to send text over it (the text stays where it
// is), errors that clear once fixed, Ctrl/⌘+Enter to send, Write / Preview
// buttons on narrow screens, a text area that grows with the text where CSS
// cannot do it, and on a phone a new post folded into one "Write a post" button.
// Without this script the form still works: the server checks the same rules.
(function () {
  "use strict";

  var NEAR = 0.9; // the counter warns from 90% of the limit
  var PHONE = window.matchMedia("(max-width: 575.98px)");
  var gettext = window.flaskyI18n ? window.flaskyI18n.gettext : function (text) { return text; };
  var lang = document.documentElement.lang || "en";

  function number(value) {
    return new Intl.NumberFormat(lang).format(value);
  }

  // Characters as the server counts them (code points; the textarea's line breaks
  // are single characters, and the server counts a sent CRLF as one too).
  function length(text) {
    var pairs = text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g);
    return text.length - (pairs ? pairs.length : 0);
  }

  function describedBy(field, id, on) {
    var ids = (field.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    ids = ids.filter(function (each) { return each !== id; });
    if (on) { ids.push(id); }
    if (ids.length) {
      field.setAttribute("aria-describedby", ids.join(" "));
    } else {
      field.removeAttribute("aria-describedby");
    }
  }

  function errors(field) {
    var id = field.id + "-error";
    var box = document.getElementById(id);

    function show(text) {
      if (!box) {
        box = document.createElement("div");
        box.id = id;
        box.className = "invalid-feedback d-block";
        field.insertAdjacentElement("afterend", box);
      }
      box.textContent = text;
      field.classList.add("is-invalid");
      field.setAttribute("aria-invalid", "true");
      describedBy(field, id, true);
    }

    function clear() {
      if (box) { box.remove(); } // its d-block outranks the hidden attribute
      box = null;
      field.classList.remove("is-invalid");
      field.removeAttribute("aria-invalid");
      describedBy(field, id, false);
    }

    return {show: show, clear: clear, shown: function () { return !!box; }};
  }

  function counter(form, field) {
    var limit = Number(field.dataset.limit);
    var error = errors(field);
    var display = document.createElement("div");
    display.id = field.id + "-counter";
    display.className = "form-text composer-counter";
    field.parentNode.appendChild(display); // below the text area, its error and help
    describedBy(field, display.id, true);
    // A server error this script can tell is fixed: empty text, or text too long
    // (as the server had it: typing may have begun before this script ran).
    var sent = field.defaultValue;
    var fixable = error.shown() && (!sent.trim() || length(sent) > limit);
    var tooLong = gettext("Please keep it under %(num)s characters.", {num: number(limit)});

    function update() {
      var left = limit - length(field.value);
      display.classList.toggle("composer-counter-near", left >= 0 && left <= limit * (1 - NEAR));
      display.classList.toggle("composer-counter-over", left < 0);
      display.textContent = left < 0
        ? gettext("Characters over the limit: %(num)s", {num: number(-left)})
        : gettext("Characters left: %(num)s", {num: number(left)});
      if (left < 0) {
        error.show(tooLong);
        fixable = true;
      } else if (fixable && field.value.trim()) {
        error.clear();
        fixable = false;
      }
    }

    // Capture: before autosave.js hears of the submission, so a refused one is
    // not taken for sent.
    form.addEventListener("submit", function (event) {
      var refusal = !field.value.trim() ? gettext("Please write something first.")
        : length(field.value) > limit ? tooLong : null;
      if (refusal) {
        event.preventDefault();
        error.show(refusal);
        fixable = true;
        field.focus();
      }
    }, true);
    field.addEventListener("input", update);
    update();
  }

  function grow(field) {
    if (window.CSS && CSS.supports("field-sizing", "content")) { return; } // flasky.css does it
    function fit() {
      field.style.height = "auto";
      field.style.height = Math.min(field.scrollHeight + 2, window.innerHeight * 0.7) + "px";
    }
    field.addEventListener("input", fit);
    fit();
  }

  function shortcut(form, hint) {
    form.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        form.requestSubmit(form.querySelector("[type=submit]"));
      }
    });
    if (hint) { hint.hidden = false; }
  }

  function tabs(form, field) {
    var buttons = form.querySelectorAll("[data-composer-tab]");
    var group = form.querySelector(".composer-tabs");
    if (!buttons.length || !group) { return; }
    function choose(name) {
      form.dataset.tab = name;
      buttons.forEach(function (button) {
        var chosen = button.dataset.composerTab === name;
        button.setAttribute("aria-pressed", String(chosen));
        button.classList.toggle("active", chosen);
      });
    }
    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        choose(button.dataset.composerTab);
        if (button.dataset.composerTab === "write") { field.focus(); }
      });
    });
    group.hidden = false;
    choose("write");
  }

  // A new post on a phone: one button until it is wanted (never when it holds
  // text or an error, so nothing written is tucked away).
  function fold(form, field) {
    var opener = document.querySelector("[data-composer-open='" + form.id + "']");
    if (!opener || !PHONE.matches || field.value.trim() || form.querySelector(".is-invalid")) {
      return;
    }
    form.hidden = true;
    opener.hidden = false;
    opener.addEventListener("click", function () {
      form.hidden = false;
      opener.hidden = true;
      opener.setAttribute("aria-expanded", "true");
      field.focus();
    });
  }

  function setUp(form) {
    var field = form.querySelector("textarea[data-limit]");
    if (!field) { return; }
    form.classList.add("composer-ready");
    counter(form, field);
    grow(field);
    shortcut(form, form.querySelector(".composer-shortcut"));
    tabs(form, field);
    if ("composerCollapsible" in form.dataset) { fold(form, field); }
  }

  document.querySelectorAll("form[data-composer]").forEach(setUp);
})();
