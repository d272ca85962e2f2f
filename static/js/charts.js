// Draws the charts whose plotly.js specs the server embeds as JSON, on first load and after
// every htmx swap of the results. No inline script: the page's CSP allows none.
(function () {
  "use strict";

  var CONFIG = {
    responsive: true,
    displaylogo: false,
    modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"],
  };

  function drawFrom(specId, attribute) {
    var specNode = document.getElementById(specId);
    if (!specNode || !window.Plotly) {
      return;
    }
    var specs = JSON.parse(specNode.textContent);
    document.querySelectorAll("[" + attribute + "]").forEach(function (node) {
      var name = node.getAttribute(attribute);
      var spec = specs[name];
      if (!spec) {
        return;
      }
      var config = Object.assign({}, CONFIG, {
        toImageButtonOptions: { format: "png", filename: "costcalc-" + name, scale: 2 },
      });
      window.Plotly.react(node, spec.data, spec.layout, config);
    });
  }

  function draw() {
    drawFrom("chart-specs", "data-chart");
    drawFrom("insight-specs", "data-insight-chart");
  }

  function purge(event) {
    // Plotly keeps resize listeners per chart; free them before htmx drops the old nodes.
    if (!window.Plotly || !event.detail.target) {
      return;
    }
    event.detail.target.querySelectorAll(".js-plotly-plot").forEach(function (node) {
      window.Plotly.purge(node);
    });
  }

  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:beforeSwap", purge);
  document.addEventListener("htmx:afterSettle", draw);
})();
