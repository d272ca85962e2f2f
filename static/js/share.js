// Sharing: copy-link buttons, and showing the share endpoint's refusals (400, 429) in place.
// Loaded by pages with a share form; it sets itself up once. No inline script: the page's
// CSP allows none.
(function () {
  "use strict";
  if (window.costcalcShare) {
    return;
  }
  window.costcalcShare = true;

  // The share form is redrawn with the whole calculator when another assumption set is
  // chosen: keep it open if it was (its title and description are kept by hx-preserve).
  var shareOpen = false;

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    var details = document.getElementById("share");
    if (target && details && target !== details && target.contains(details)) {
      shareOpen = details.open;
    }
    // htmx does not swap error responses by default; the share endpoint's 400 and 429
    // answers are messages meant for the page.
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (target && target.id === "share-result" && (status === 400 || status === 429)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:afterSettle", function () {
    var details = document.getElementById("share");
    if (details && shareOpen) {
      details.open = true;
    }
  });

  function copied(button, text) {
    var label = button.textContent;
    button.textContent = text;
    window.setTimeout(function () {
      button.textContent = label;
    }, 2000);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) {
      return;
    }
    var input = document.getElementById(button.getAttribute("data-copy"));
    if (!input) {
      return;
    }
    input.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(
        function () {
          copied(button, "Copied");
        },
        function () {
          copied(button, "Press Ctrl+C to copy");
        }
      );
    } else {
      copied(button, "Press Ctrl+C to copy");
    }
  });
})();
