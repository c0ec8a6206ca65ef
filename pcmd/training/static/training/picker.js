// Filter the participant checkboxes of a course form as the user types (diacritics ignored).
(function () {
  "use strict";
  function key(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/gi, "d").toLowerCase();
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-picker]");
    if (!form) return;
    var box = form.querySelector(".picker-search");
    var input = form.querySelector("[data-picker-q]");
    var items = form.querySelectorAll("input.picker-item");
    if (!box || !input || !items.length) return;
    box.hidden = false;
    input.addEventListener("input", function () {
      var q = key(input.value.trim());
      items.forEach(function (item) {
        var label = item.closest("label") || item.parentElement;
        var row = label.parentElement && label.parentElement.tagName === "DIV" ? label.parentElement : label;
        row.hidden = q !== "" && key(label.textContent).indexOf(q) === -1 && !item.checked;
      });
    });
  });
})();
