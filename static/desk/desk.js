// Tables wider than the screen scroll sideways in their .table-responsive box: such a box
// takes the keyboard focus, so that it can be scrolled without a mouse (WCAG 2.1.1).
(function () {
  "use strict";
  function reachable(root) {
    root.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.tabIndex = 0;
      } else {
        box.removeAttribute("tabindex");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { reachable(document); });
  document.addEventListener("htmx:afterSettle", function () { reachable(document); });
  window.addEventListener("resize", function () { reachable(document); });
})();

// A list's "select all" box ticks or clears every row of its form (the bulk actions).
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("input[data-select-all]") || !box.form) {
      return;
    }
    box.form.querySelectorAll("input[name=ids]").forEach(function (row) {
      row.checked = box.checked;
    });
  });
})();

// The unit code picker (arrears/employers/picker.py): a suggestion chosen goes into its field
// and the list closes.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var pick = event.target.closest("[data-pick]");
    if (!pick) { return; }
    var field = document.getElementById(pick.getAttribute("data-pick-for"));
    if (field) {
      field.value = pick.getAttribute("data-pick");
      field.focus();
    }
    var box = pick.closest(".unit-picks");
    if (box) { box.textContent = ""; }
  });
})();
