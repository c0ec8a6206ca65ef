/* PCMD — the little JavaScript the pages need (no inline scripts: the CSP allows only 'self').
   - .nav-toggle: opens and closes the main menu on a phone.
   - [data-autosubmit]: a select that submits its form when changed (the language switch).
   - [data-tree-toggle]: a tree button that opens and closes its children; htmx loads them
     on the first click ("click once"), later clicks only show or hide them.
   - htmx: a 422 answer (form with errors) is swapped in like a 200, so the typed input stays. */
(function () {
  "use strict";

  // The phone menu folds only when this script runs (see .js rules in pcmd.css).
  document.documentElement.classList.add("js");
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest ? event.target.closest(".nav-toggle") : null;
    if (!toggle) {
      return;
    }
    var menu = document.getElementById(toggle.getAttribute("aria-controls"));
    if (menu) {
      var open = menu.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
  });

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el && el.matches && el.matches("[data-autosubmit]") && el.form) {
      if (typeof el.form.requestSubmit === "function") {
        el.form.requestSubmit();
      } else {
        el.form.submit();
      }
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-tree-toggle]") : null;
    if (!button) {
      return;
    }
    var box = document.getElementById(button.getAttribute("aria-controls"));
    if (!box) {
      return;
    }
    if (button.dataset.loaded) {
      var open = button.getAttribute("aria-expanded") === "true";
      button.setAttribute("aria-expanded", open ? "false" : "true");
      box.hidden = open;
    } else {
      button.dataset.loaded = "1";
      button.setAttribute("aria-expanded", "true");
      box.hidden = false;
    }
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr && event.detail.xhr.status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  /* Mark the current section in the main navigation (aria-current is also the visual cue). */
  document.addEventListener("DOMContentLoaded", function () {
    var path = window.location.pathname;
    var best = null;
    document.querySelectorAll(".mainnav a[href]").forEach(function (a) {
      var href = a.getAttribute("href");
      if (href !== "/" && path.indexOf(href) === 0 && (!best || href.length > best.getAttribute("href").length)) {
        best = a;
      }
      if (href === "/" && path === "/") {
        best = a;
      }
    });
    if (best) {
      best.setAttribute("aria-current", "page");
    }
  });
})();
