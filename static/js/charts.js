// Draws the charts whose data the server embeds as JSON, on first load and after every htmx
// swap of the results. No inline script: the page's CSP allows none.
//
// Most charts arrive as whole plotly.js figures. The calculator's three cost charts, redrawn
// on every keystroke, arrive as numbers only ("costs"): costFigures() builds their figures,
// styled as the server styles the rest (costcalc/calculator/present.py, CHART_STYLE).
(function () {
  "use strict";

  var CONFIG = {
    responsive: true,
    displaylogo: false,
    modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"],
  };
  var MONEY_AXIS = { tickprefix: "$", tickformat: "~s" };

  // Plotly renders a subset of HTML in labels; as escape_plotly on the server.
  function inert(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function layout(style, title, extra) {
    var base = JSON.parse(JSON.stringify(style.layout));
    base.title = { text: title, x: 0, xanchor: "left" };
    return Object.assign(base, extra);
  }

  function cents(value) {
    return Math.round(value * 100) / 100;
  }

  function costFigures(costs) {
    var style = costs.style;
    var months = costs.months;
    var options = costs.options;
    var baseline = options[0];
    var monthAxis = { title: { text: "Month" }, dtick: Math.max(1, Math.floor(months.length / 12)) };

    function colour(i) {
      return style.colours[i % style.colours.length];
    }
    function lineTrace(option, i, y, extra) {
      var trace = {
        type: "scatter",
        name: option.name,
        x: months,
        y: y,
        hovertemplate: "%{y:$,.0f}<extra>" + inert(option.name) + "</extra>",
      };
      Object.assign(trace, extra);
      trace.line = Object.assign({ color: colour(i), width: 2.5 }, extra.line);
      return trace;
    }

    var cumulative = {
      data: options.map(function (option, i) {
        return lineTrace(option, i, option.cumulative, { mode: "lines+markers", marker: { size: 4 } });
      }),
      layout: layout(style, "Cumulative cost", {
        xaxis: monthAxis,
        yaxis: Object.assign({ title: { text: "USD" }, rangemode: "tozero" }, MONEY_AXIS),
        hovermode: "x unified",
      }),
    };

    var difference = {
      data: options.map(function (option, i) {
        var saved = option.cumulative.map(function (value, m) {
          return cents(baseline.cumulative[m] - value);
        });
        return lineTrace(option, i, saved, { mode: "lines", line: { dash: i === 0 ? "dot" : "solid" } });
      }),
      layout: layout(
        style,
        "Cumulative saving against " + inert(baseline.name) + " (above zero: cheaper)",
        {
          xaxis: monthAxis,
          yaxis: Object.assign(
            { title: { text: "USD saved" }, zeroline: true, zerolinewidth: 2, automargin: true },
            MONEY_AXIS
          ),
          hovermode: "x unified",
        }
      ),
    };

    // One stacked-bar subplot per option, two to a row, sharing the y scale.
    var columns = Math.min(options.length, 2);
    var rows = Math.ceil(options.length / columns);
    var bars = [];
    var annotations = [];
    var axes = {};
    options.forEach(function (option, i) {
      var axis = i === 0 ? "" : String(i + 1);
      style.categories.forEach(function (category, j) {
        bars.push({
          type: "bar",
          name: category.label,
          legendgroup: category.key,
          showlegend: i === 0,
          x: months,
          y: option.categories[j],
          xaxis: "x" + axis,
          yaxis: "y" + axis,
          marker: { color: category.colour },
          hovertemplate:
            inert(option.name) + ", month %{x}: %{y:$,.0f}<extra>" + category.label + "</extra>",
        });
      });
      annotations.push({
        text: "<b>" + inert(option.name) + "</b>",
        xref: "x" + axis + " domain",
        yref: "y" + axis + " domain",
        x: 0.5,
        y: 1.02,
        showarrow: false,
        xanchor: "center",
        yanchor: "bottom",
      });
      axes["xaxis" + axis] = { dtick: Math.max(1, Math.floor(months.length / 6)) };
      axes["yaxis" + axis] = Object.assign({ rangemode: "tozero" }, MONEY_AXIS, i ? { matches: "y" } : {});
    });
    // The legend gets a band of its own between the title and the top row's subplot titles,
    // which it would otherwise cover.
    var margin = Object.assign({}, style.layout.margin, { t: style.layout.margin.t + 46 });
    var height = 260 * rows + 166;
    var plotHeight = height - margin.t - margin.b;
    var breakdown = {
      data: bars,
      layout: layout(
        style,
        "Monthly cost by category",
        Object.assign(
          {
            barmode: "stack",
            grid: { rows: rows, columns: columns, pattern: "independent", ygap: 0.35, xgap: 0.12 },
            annotations: annotations,
            height: height,
            margin: margin,
            legend: Object.assign({}, style.layout.legend, { y: 1 + 28 / plotHeight }),
          },
          axes
        )
      ),
    };
    return { cumulative: cumulative, difference: difference, breakdown: breakdown };
  }

  function figures(specs) {
    return specs.costs ? Object.assign({}, specs, costFigures(specs.costs)) : specs;
  }

  function drawFrom(specId, attribute) {
    var specNode = document.getElementById(specId);
    if (!specNode || !window.Plotly) {
      return;
    }
    var specs = figures(JSON.parse(specNode.textContent));
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
