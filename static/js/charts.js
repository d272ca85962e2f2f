// Draws the charts whose data the server embeds as JSON, on first load and after every htmx
// swap of the results. No inline script: the page's CSP allows none.
//
// Most charts arrive as whole plotly.js figures. The calculator's three cost charts, redrawn
// on every keystroke, arrive as numbers only ("costs"): costFigures() builds their figures,
// styled as the server styles the rest (costcalc/calculator/present.py, CHART_STYLE).
//
// Kept light for the page (bench/browser.py measures it): a chart is drawn only when it comes
// within a screen of the viewport, and plotly.js (1.1 MB) is loaded only then, when the page
// did not load it itself (data-plotly on this script). Until the reader first scrolls, types
// or points, only the charts on the screen are drawn: a chart just below a laptop's first
// screen cost a load 250-400 ms of blocking time (plotly's evaluation and the first drawing),
// Lighthouse's desktop score 0.98 -> 0.86-0.90. The calculator's chart nodes survive
// each swap (hx-preserve) and are updated in place with Plotly.react; each chart is drawn
// in a task of its own, with a frame between two, so that typing is never blocked by all of
// them at once; and the breakdown is one small chart per option (split()), no one of them a
// task over 50 ms.
(function () {
  "use strict";

  var CONFIG = {
    responsive: true,
    displaylogo: false,
    modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"],
  };
  // Drawn when this close to the viewport: far enough ahead that scrolling seldom waits, near
  // enough that a laptop's first screen draws one chart, not two (Lighthouse's DOM size).
  var NEAR = "75% 0px";
  // The height of each of the breakdown's small charts, one per option (split()).
  var PART_HEIGHT = 260;
  var SPEC_IDS = { "chart-specs": "data-chart", "insight-specs": "data-insight-chart" };
  var PLOTLY_SRC = document.currentScript && document.currentScript.getAttribute("data-plotly");

  // Plotly renders a subset of HTML in labels; as escape_plotly on the server.
  function inert(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function copy(value) {
    return JSON.parse(JSON.stringify(value));
  }

  function layout(style, title, extra) {
    var base = copy(style.layout);
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
    // The display currency (the server converts the figures): d3's "$" is always the dollar.
    var currency = style.currency || { code: "USD", symbol: "$" };
    var amount = currency.code === "USD" ? "%{y:$,.0f}" : inert(currency.symbol) + "%{y:,.0f}";

    function colour(i) {
      return style.colours[i % style.colours.length];
    }
    function lineTrace(option, i, y, extra) {
      var trace = {
        type: "scatter",
        name: option.name,
        x: months,
        y: y,
        hovertemplate: amount + "<extra>" + inert(option.name) + "</extra>",
      };
      Object.assign(trace, extra);
      trace.line = Object.assign({ color: colour(i), width: 2.5 }, extra.line);
      return trace;
    }

    var cumulative = {
      data: options.map(function (option, i) {
        // Lines alone: a marker a month was a hundred elements to draw on every keystroke.
        return lineTrace(option, i, option.cumulative, { mode: "lines" });
      }),
      layout: layout(style, "Cumulative cost", {
        xaxis: monthAxis,
        yaxis: Object.assign({ title: { text: currency.code }, rangemode: "tozero" }, style.money_axis),
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
            { title: { text: currency.code + " saved" }, zeroline: true, zerolinewidth: 2, automargin: true },
            style.money_axis
          ),
          hovermode: "x unified",
        }
      ),
    };

    // One small stacked-bar chart per option, each a plotly chart of its own (see split()),
    // all on the same y scale: the highest month's stack of any option, and the lowest.
    var high = 0;
    var low = 0;
    months.forEach(function (_, m) {
      options.forEach(function (option) {
        var up = 0;
        var down = 0;
        option.categories.forEach(function (values) {
          if (values[m] > 0) {
            up += values[m];
          } else {
            down += values[m];
          }
        });
        high = Math.max(high, up);
        low = Math.min(low, down);
      });
    });
    var range = high > low ? [low * 1.05, high * 1.05] : null;
    var breakdown = options.map(function (option) {
      var figure = {
        // No bar for a month without this cost, no trace for a cost of no month: plotly draws
        // an empty bar (two elements, a null as much as a zero), and most months have no
        // hiring and no cost of later launch: 46 of the 96 bars of each option on the default
        // page.
        data: style.categories.map(function (category, j) {
          var x = [];
          var y = [];
          option.categories[j].forEach(function (value, m) {
            if (value !== 0) {
              x.push(months[m]);
              y.push(value);
            }
          });
          return {
            type: "bar",
            name: category.label,
            x: x,
            y: y,
            marker: { color: category.colour },
            hovertemplate:
              inert(option.name) + ", month %{x}: " + amount + "<extra>" + category.label + "</extra>",
          };
        }).filter(function (trace) {
          return trace.x.length > 0;
        }),
        layout: layout(style, "<b>" + inert(option.name) + "</b>", {
          barmode: "stack",
          showlegend: false,
          height: PART_HEIGHT,
          // Every month, with a cost or not.
          xaxis: {
            dtick: Math.max(1, Math.floor(months.length / 6)),
            range: [months[0] - 0.5, months[months.length - 1] + 0.5],
          },
          yaxis: Object.assign(range ? { range: range } : { rangemode: "tozero" }, style.money_axis),
        }),
      };
      figure.layout.title.font = { size: 15 };
      delete figure.layout.legend; // shared, in HTML (split()); plotly.validate fails on one unshown
      return figure;
    });
    return { cumulative: cumulative, difference: difference, breakdown: breakdown };
  }

  // --- Titles and legends that never overlap, at any width --------------------------------
  // Plotly places neither by the other: a title is put in the top margin, a legend above the
  // plot grows upwards as it wraps, over the title on a phone. So the title is wrapped to the
  // width and given lines of its own, the legend a band below it when it fits on one row and
  // the foot of the chart, one entry a row, when it does not. Text widths are estimated from
  // the font size (plotly's own measures come only after drawing).
  var TITLE_LINE = 1.35; // line height, in title font sizes
  var LEGEND_ROW = 22; // px per legend row at the style's 13 px font
  var LEGEND_BAND = 36; // px for a legend of one row with its padding, and a gap below

  function textWidth(text, size) {
    return text.replace(/<[^>]*>/g, "").replace(/&[a-z]+;/g, "&").length * size * 0.6;
  }

  function wrap(text, size, width) {
    var lines = [];
    text.split("<br>").forEach(function (paragraph) {
      var line = "";
      paragraph.split(" ").forEach(function (word) {
        var next = line ? line + " " + word : word;
        if (line && textWidth(next, size) > width) {
          lines.push(line);
          line = word;
        } else {
          line = next;
        }
      });
      lines.push(line);
    });
    return lines;
  }

  function shownInLegend(figure) {
    var auto = figure.layout.showlegend === undefined;
    if (figure.layout.showlegend === false || (auto && figure.data.length < 2)) {
      return [];
    }
    return figure.data.filter(function (trace) {
      return trace.showlegend !== false && trace.name;
    });
  }

  function fit(figure, width) {
    var given = figure.layout;
    var out = Object.assign({}, given);
    var data = figure.data;
    var font = (given.font && given.font.size) || 12;
    var margin = Object.assign({ l: 80, r: 80, t: 100, b: 80 }, given.margin);
    var height = given.height || 450;
    var room = width - margin.l - margin.r;
    var top = 8;
    if (given.title && given.title.text) {
      var size = (given.title.font && given.title.font.size) || font * 1.4;
      var lines = wrap(given.title.text, size, width - 24);
      out.title = Object.assign({}, given.title, {
        text: lines.join("<br>"),
        yref: "container",
        y: 1,
        yanchor: "top",
        // plotly anchors a title of several lines by its second line: one more line down.
        pad: { t: top + (lines.length > 1 ? Math.round(size) : 0) },
      });
      top += Math.ceil(lines.length * size * TITLE_LINE) + 6;
    }
    var shown = shownInLegend(figure);
    var legend = given.legend || {};
    // Only the legends placed over the plot's top edge: any other stays where the server put it.
    // Placed from the chart's left edge, as the title is; plotly wraps it at the plot's width,
    // unknown before drawing where labels of categories widen the left margin (horizontal bars).
    if (shown.length && legend.orientation === "h" && !(legend.y < 1)) {
      var needed = shown.reduce(function (sum, trace) {
        return sum + 44 + textWidth(trace.name, font);
      }, 0);
      var categories = data.some(function (trace) {
        return trace.orientation === "h";
      });
      if (needed <= room && !categories) {
        out.legend = Object.assign({}, legend, {
          xref: "container",
          x: 0,
          xanchor: "left",
          yref: "container",
          y: 1 - top / height,
          yanchor: "top",
        });
        top += LEGEND_BAND;
      } else {
        // At the foot, one entry a row (long names wrapped), in a margin grown by its lines
        // and a chart grown as much, so that the plot keeps its height.
        var rows = 0;
        data = data.map(function (trace) {
          if (shown.indexOf(trace) < 0) {
            return trace;
          }
          var name = wrap(trace.name, font, room - 44);
          rows += name.length;
          return Object.assign({}, trace, { name: name.join("<br>") });
        });
        var foot = rows * LEGEND_ROW + 8;
        out.legend = Object.assign({}, legend, {
          // A row each, as a horizontal legend: a vertical one at the left would push the
          // left margin (plotly reserves room beside it).
          orientation: "h",
          entrywidth: 1,
          entrywidthmode: "fraction",
          xref: "container",
          x: 0,
          xanchor: "left",
          yref: "container",
          y: 0,
          yanchor: "bottom",
        });
        margin.b += foot;
        height += foot;
      }
    }
    // Notes wrapped to most of the plot's width.
    out.annotations = (given.annotations || []).map(function (note) {
      var lines = wrap(note.text || "", font, Math.max(140, room * 0.6));
      return Object.assign({}, note, { text: lines.join("<br>") });
    });
    margin.t = top + 8;
    out.margin = margin;
    out.height = height;
    return { data: data, layout: out };
  }

  // --- Drawing ---------------------------------------------------------------------------
  // Each chart node carries the JSON it is to show and its figure's name; "dirty" holds the
  // nodes whose figure is not drawn yet, "near" those within NEAR of the viewport.
  var dirty = new Set();
  var near = new Set();
  var drawn = []; // nodes plotly holds, to free when htmx drops them
  var observer =
    "IntersectionObserver" in window
      ? new IntersectionObserver(
          function (entries) {
            entries.forEach(function (entry) {
              if (entry.isIntersecting) {
                near.add(entry.target);
              } else {
                near.delete(entry.target);
              }
            });
            schedule();
          },
          { rootMargin: NEAR }
        )
      : null;
  var timer = null;
  var loading = false;
  var moved = false; // the reader has scrolled, typed or pointed: draw what is near, too
  ["scroll", "wheel", "keydown", "pointerdown", "touchstart"].forEach(function (type) {
    window.addEventListener(
      type,
      function () {
        if (!moved) {
          moved = true;
          schedule();
        }
      },
      { capture: true, passive: true, once: true }
    );
  });

  // The figure for each chart node, from the JSON beside it; a figure whose JSON is unchanged
  // is not drawn again.
  function collect() {
    Object.keys(SPEC_IDS).forEach(function (specId) {
      var specNode = document.getElementById(specId);
      if (!specNode) {
        return;
      }
      var attribute = SPEC_IDS[specId];
      var json = specNode.textContent;
      if (!json) {
        return; // no results: the charts are hidden, and keep what they drew
      }
      document.querySelectorAll("[" + attribute + "]").forEach(function (node) {
        if (node.costcalcJson === json) {
          return;
        }
        node.costcalcJson = json;
        node.costcalcName = node.getAttribute(attribute);
        split(node, json).forEach(function (chart) {
          chart.costcalcJson = json;
          chart.costcalcName = node.costcalcName;
          dirty.add(chart);
          if (observer) {
            observer.observe(chart);
          } else {
            near.add(chart);
          }
        });
      });
    });
    drawn = drawn.filter(function (node) {
      if (document.contains(node)) {
        return true;
      }
      forget(node);
      return false;
    });
    schedule();
  }

  function forget(node) {
    if (node.costcalcWidth !== undefined) {
      window.Plotly.purge(node); // its resize listener, kept by plotly until freed
    }
    if (observer) {
      observer.unobserve(node);
    }
    near.delete(node);
    dirty.delete(node);
  }

  // The breakdown is one small chart per option, each a node of its own in the chart's
  // (preserved) node, under a title and a legend they share, in HTML: as one plotly figure of
  // four subplots (384 bars) its Plotly.react took 50-100 ms on every keystroke, one task over
  // the 50 ms budget per edit (bench/trace.py); one option's chart takes a quarter of that,
  // in a task of its own, and is redrawn only when near the screen. Any other chart node is
  // drawn as itself.
  function split(node, json) {
    var costs = node.costcalcName === "breakdown" && JSON.parse(json).costs;
    if (!costs) {
      return [node];
    }
    var grid = node.querySelector(".chart-parts");
    if (!grid) {
      var title = document.createElement("p");
      title.className = "chart-title";
      title.textContent = "Monthly cost by category";
      var legend = document.createElement("ul");
      legend.className = "chart-legend";
      costs.style.categories.forEach(function (category) {
        var entry = document.createElement("li");
        var swatch = document.createElement("span");
        swatch.className = "swatch";
        swatch.style.background = category.colour;
        entry.append(swatch, category.label);
        legend.appendChild(entry);
      });
      grid = document.createElement("div");
      grid.className = "chart-parts";
      node.classList.add("chart-split");
      node.append(title, legend, grid);
    }
    var count = costs.options.length;
    while (grid.children.length < count) {
      var part = document.createElement("div");
      part.className = "chart-part";
      part.setAttribute("data-part-of", node.costcalcName);
      grid.appendChild(part);
    }
    while (grid.children.length > count) {
      forget(grid.lastElementChild);
      grid.lastElementChild.remove();
    }
    return Array.from(grid.children).map(function (part, i) {
      part.costcalcPart = i;
      return part;
    });
  }

  function onScreen(node) {
    var box = node.getBoundingClientRect();
    return box.bottom > 0 && box.top < window.innerHeight;
  }

  // The next chart to draw: one in view before one only near it, the higher first.
  function next() {
    var waiting = Array.from(near).filter(function (node) {
      return dirty.has(node) && document.contains(node) && (moved || onScreen(node));
    });
    var tops = new Map();
    waiting.forEach(function (node) {
      tops.set(node, node.getBoundingClientRect().top + (onScreen(node) ? 0 : 1e6));
    });
    return waiting.sort(function (a, b) {
      return tops.get(a) - tops.get(b);
    })[0];
  }

  // Between two charts the browser renders the first (its style, layout and paint then fall
  // in a frame's task, not in the next chart's) and handles any input: a frame, then a task.
  function schedule() {
    if (timer !== null) {
      return;
    }
    timer = true;
    var run = function () {
      setTimeout(step, 0);
    };
    if (document.visibilityState === "visible" && window.requestAnimationFrame) {
      window.requestAnimationFrame(run);
    } else {
      run(); // no frames come to a hidden page
    }
  }

  function loadPlotly() {
    if (loading || !PLOTLY_SRC) {
      return;
    }
    loading = true;
    var script = document.createElement("script");
    script.src = PLOTLY_SRC;
    script.onload = schedule;
    document.head.appendChild(script);
  }

  function draw(node) {
    dirty.delete(node);
    var width = node.clientWidth || window.innerWidth;
    var parsed = JSON.parse(node.costcalcJson);
    var name = node.costcalcName;
    var figure = parsed.costs && !parsed[name] ? costFigures(parsed.costs)[name] : parsed[name];
    var filename = "costcalc-" + name;
    if (figure && node.costcalcPart !== undefined) {
      figure = figure[node.costcalcPart];
      filename += "-" + (node.costcalcPart + 1);
    }
    if (!figure) {
      return;
    }
    var fitted = fit(figure, width);
    var config = Object.assign({}, CONFIG, {
      toImageButtonOptions: { format: "png", filename: filename, scale: 2 },
    });
    window.Plotly.react(node, fitted.data, fitted.layout, config);
    node.costcalcWidth = width;
    if (drawn.indexOf(node) < 0) {
      drawn.push(node);
    }
  }

  // One chart per task: the browser handles keystrokes and paints between them.
  function step() {
    timer = null;
    var node = next();
    if (!node) {
      document.dispatchEvent(new CustomEvent("costcalc:charts-drawn"));
      return;
    }
    if (!window.Plotly) {
      loadPlotly();
      return; // scheduled again once loaded
    }
    draw(node);
    schedule();
  }

  // A new width may move a chart's legend or wrap its title (fit);
  // plotly's own resize only stretches what is drawn.
  function refit() {
    drawn.forEach(function (node) {
      if (Math.abs(node.costcalcWidth - node.clientWidth) > 40) {
        dirty.add(node);
      }
    });
    schedule();
  }

  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(refit, 200);
  });
  // A printed page shows every chart, drawn or not.
  window.addEventListener("beforeprint", function () {
    if (window.Plotly) {
      dirty.forEach(draw);
    }
  });
  document.addEventListener("DOMContentLoaded", collect);
  document.addEventListener("htmx:afterSettle", collect);
})();
