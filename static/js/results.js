// Keeps open what the reader opened ("How this was computed", "Monthly figures") when htmx
// redraws the results on a change of input. The redrawn parts arrive closed and empty; opening
// one fires its "toggle", on which htmx fetches its contents for the new inputs.
// Also empties the form's message slots that hold a message before the results are swapped:
// the response fills, out of band, only the slots of fields still in error
// (CalculatorForm.error_slots), so a message disappears once its field is fixed.
(function () {
  "use strict";
  var open = [];

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (target && target.id === "results") {
      if (event.detail.shouldSwap) {
        document.querySelectorAll("#calc-form .field-error:not(:empty)").forEach(function (slot) {
          slot.textContent = "";
        });
      }
      open = Array.prototype.map.call(
        document.querySelectorAll(".results details[data-keep-open][open]"),
        function (details) {
          return details.getAttribute("data-keep-open");
        }
      );
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    if (!event.detail.target || event.detail.target.id !== "results") {
      return;
    }
    open.forEach(function (key) {
      var details = document.querySelector('.results details[data-keep-open="' + key + '"]');
      if (details) {
        details.open = true;
      }
    });
    open = [];
  });
})();
