// Keeps open what the reader opened ("How this was computed", "Monthly figures") when htmx
// redraws the results on a change of input. The redrawn parts arrive closed and empty; opening
// one fires its "toggle", on which htmx fetches its contents for the new inputs.
// Also empties the form's message slots that hold a message before the results are swapped:
// the response fills, out of band, only the slots of fields still in error
// (CalculatorForm.error_slots), so a message disappears once its field is fixed.
(function () {
  "use strict";
  var open = [];
  // In the parts a recalculation redraws (not the charts beside them, some 1,500 elements).
  function redrawn(selector) {
    return "#results " + selector + ", #results-more " + selector;
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (target && target.id === "results") {
      if (event.detail.shouldSwap) {
        document.querySelectorAll("#calc-form .field-error:not(:empty)").forEach(function (slot) {
          slot.textContent = "";
        });
      }
      open = Array.prototype.map.call(
        document.querySelectorAll(redrawn("details[data-keep-open][open]")),
        function (details) {
          return details.getAttribute("data-keep-open");
        }
      );
      if (event.detail.shouldSwap) {
        // The old cards go before htmx swaps: its cleanup of the part it replaces fires two
        // events (htmx:beforeCleanupElement, in both spellings) for each of its ~190
        // elements, a fifth of the keystroke's swap task (bench/trace.py). Nothing in it
        // needs that cleanup: its only htmx triggers ("toggle once", "load delay") are on
        // their own elements, which go with it, and htmx sends no request for a detached one.
        target.replaceChildren();
      }
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    if (!event.detail.target || event.detail.target.id !== "results") {
      return;
    }
    open.forEach(function (key) {
      var details = document.querySelector(redrawn('details[data-keep-open="' + key + '"]'));
      if (details) {
        details.open = true;
      }
    });
    open = [];
  });
})();
