"""The charts in a real browser: legends clear of titles at a phone's, a tablet's and a laptop's
width, updated in place as the inputs change, plain money on their axes, and a first load that
stays light. Timings are left to bench/browser.py: a test cannot hold them still."""

import re

import pytest

from tests.browser import Console

pytestmark = pytest.mark.browser

WIDTHS = (390, 768, 1366)

# Every drawn chart's boxes: the chart, its legend, its title and its notes, as [left, top,
# right, bottom]; the breakdown is one small chart per option (static/js/charts.js, split).
BOXES = """() => [...document.querySelectorAll(".js-plotly-plot")].map((chart) => {
  const box = (node) => {
    const r = node.getBoundingClientRect();
    return [r.left, r.top, r.right, r.bottom];
  };
  const all = (selector) => [...chart.querySelectorAll(selector)].map(box);
  return {
    name: chart.dataset.chart || chart.dataset.insightChart || chart.dataset.partOf,
    chart: box(chart),
    legends: all(".legend"),
    titles: all(".gtitle"),
    notes: all(".annotation-text"),
  };
})"""


# The breakdown's own title and legend, in HTML over its small charts.
BREAKDOWN_HEAD = """() => {
  const chart = document.querySelector("[data-chart=breakdown]");
  const box = (node) => {
    const r = node.getBoundingClientRect();
    return [r.left, r.top, r.right, r.bottom];
  };
  return {chart: box(chart), title: box(chart.querySelector(".chart-title")),
          legend: box(chart.querySelector(".chart-legend"))};
}"""


def overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def draw_every_chart(page):
    """Scroll to each chart, the decision panel's too, until all are drawn."""
    page.wait_for_load_state("networkidle")
    for selector in ("[data-chart]", "[data-part-of]", "#insight", "[data-insight-chart]"):
        for node in page.locator(selector).all():
            node.scroll_into_view_if_needed()
            if selector == "#insight":
                page.wait_for_selector("#insight .verdict")
            else:
                node.locator(".main-svg").first.wait_for()
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", ["/", "/s/fintech-hybrid/"])
def test_no_legend_covers_a_title_and_none_leaves_its_chart(browser, app_server, path, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    console = Console(page)
    page.goto(app_server + path)
    draw_every_chart(page)
    charts = page.evaluate(BOXES)
    head = page.evaluate(BREAKDOWN_HEAD)
    context.close()

    names = {c["name"] for c in charts}
    assert {"cumulative", "difference", "breakdown", "traffic", "bands", "tornado"} <= names
    for chart in charts:
        where = (path, width, chart["name"])
        assert chart["titles"], where
        labels = chart["titles"] + chart["notes"]
        for legend in chart["legends"]:
            for label in labels:
                assert not overlap(legend, label), (where, legend, label)
            left, _, right, _ = chart["chart"]
            assert left - 1 <= legend[0] and legend[2] <= right + 1, (where, legend)
        for title in chart["titles"]:
            for note in chart["notes"]:
                assert not overlap(title, note), (where, title, note)
    parts = [c for c in charts if c["name"] == "breakdown"]
    assert len(parts) > 1
    for box in (head["title"], head["legend"]):
        left, top, right, _ = head["chart"]
        assert left - 1 <= box[0] and box[2] <= right + 1 and top - 1 <= box[1], (width, box)
        for part in parts:  # above every small chart, none of whose titles it covers
            assert box[3] <= part["chart"][1] + 1, (width, box, part)
    assert not overlap(head["title"], head["legend"]), head
    tops = [part["chart"][1] for part in parts]
    if width == 390:
        # One small chart to a row on a phone: no two options' titles side by side.
        assert len(set(tops)) == len(tops), tops
    else:
        assert len(set(tops)) == (len(tops) + 1) // 2, tops  # two to a row
    assert console.problems == []


CHART_STATE = """() => {
  const y = (node) => (node.data ? node.data.map((trace) => Array.from(trace.y)) : null);
  const parts = document.querySelectorAll("[data-chart=breakdown] [data-part-of]");
  return {cumulative: y(document.querySelector("[data-chart=cumulative]")),
          difference: y(document.querySelector("[data-chart=difference]")),
          breakdown: [...parts].map(y)};
}"""
# The plotly drawings of the cost charts: the breakdown's small charts, the others' nodes.
PLOTS = "[data-chart=cumulative], [data-chart=difference], [data-part-of]"


def test_a_new_peak_updates_the_charts_in_place(page, app_server):
    page.goto(app_server + "/")
    page.locator("[data-chart=breakdown]").scroll_into_view_if_needed()
    page.wait_for_function(
        """(plots) => [...document.querySelectorAll(plots)]
                       .every((n) => n.querySelector('.main-svg'))""",
        arg=PLOTS,
    )
    page.evaluate(
        """(plots) => { window.charts = [...document.querySelectorAll(plots)];
                        window.svgs = window.charts.map((n) => n.querySelector(".main-svg")); }""",
        PLOTS,
    )
    before = page.evaluate(CHART_STATE)
    assert len(before["breakdown"]) == 4 and None not in before["breakdown"]

    page.fill("#id_peak_rps", "80000")
    page.wait_for_url(re.compile(r"peak_rps=80000"))
    page.wait_for_function(
        """(before) => {
          const parts = [...document.querySelectorAll("[data-chart=breakdown] [data-part-of]")];
          return parts.every((node, i) =>
            JSON.stringify(node.data.map((t) => Array.from(t.y))) !== JSON.stringify(before[i]));
        }""",
        arg=before["breakdown"],
    )
    page.wait_for_function(
        "(before) => document.querySelector('[data-chart=cumulative]').data[0].y.at(-1) !== before",
        arg=before["cumulative"][0][-1],
    )
    after = page.evaluate(CHART_STATE)
    # The same nodes, plotly's same drawing in each: updated, not dropped and drawn again.
    assert page.evaluate(
        """(plots) => window.charts.every((n, i) => n === document.querySelectorAll(plots)[i]
                   && n.querySelector(".main-svg") === window.svgs[i])""",
        PLOTS,
    )
    for name in ("cumulative", "difference", "breakdown"):
        assert after[name] != before[name], name
    assert after["cumulative"][0][-1] > before["cumulative"][0][-1]  # more traffic costs more

    # Inputs that cannot be worked out hide the charts (and the link past them); the next good
    # ones show them again, redrawn for the new figures in the same nodes.
    page.fill("#id_peak_rps", "0")
    page.wait_for_selector("#err-peak_rps:text('Peak RPS must be at least 1.')")
    assert page.locator(".charts-area").is_hidden()
    assert page.locator("[data-chart=cumulative]").is_hidden()
    assert page.locator(".skip-charts").is_hidden()
    page.fill("#id_peak_rps", "9000")
    page.wait_for_function(
        "(before) => document.querySelector('[data-chart=cumulative]').data[0].y.at(-1) !== before",
        arg=after["cumulative"][0][-1],
    )
    assert page.locator("[data-chart=cumulative]").is_visible()
    assert page.evaluate(
        "(plots) => window.charts.every((n, i) => n === document.querySelectorAll(plots)[i])",
        PLOTS,
    )
    assert page.console.problems == []


def test_the_first_load_stays_under_1500_elements_and_draws_what_is_near(browser, app_server):
    for width, height in ((1280, 900), (390, 844)):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.goto(app_server + "/")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)
        elements = page.evaluate("document.getElementsByTagName('*').length")
        assert elements <= 1500, (width, elements)
        # No chart is on the first screen: none is drawn, nor plotly.js loaded, until the
        # reader moves; then what is near is (on a laptop the first chart is within a screen).
        assert page.locator(".main-svg").count() == 0
        assert page.evaluate("typeof window.Plotly") == "undefined"
        page.mouse.wheel(0, 200)
        if width > 900:
            page.wait_for_selector("[data-chart=cumulative] .main-svg")
        # What is far from the screen waits: the breakdown, and the monthly table until opened.
        assert page.locator("[data-chart=breakdown] .main-svg").count() == 0
        assert page.locator(".monthly table").count() == 0
        page.click(".monthly summary")
        page.wait_for_selector(".monthly table tbody tr")
        context.close()


def test_axes_read_plain_money_for_small_sums(page, app_server):
    # One option: its saving against itself is zero, on an axis where d3's SI format wrote
    # half a dollar "$500m".
    page.goto(app_server + "/?stacks=go&mix=")
    page.locator("[data-chart=difference]").scroll_into_view_if_needed()
    page.wait_for_selector("[data-chart=difference] .ytick")
    ticks = page.locator("[data-chart=difference] .ytick text").all_text_contents()
    assert ticks
    for tick in ticks:
        assert re.fullmatch(r"\$−?[\d,.]+[kMGT]?", tick), ticks
        assert not re.search(r"[mµu]$", tick), ticks
    assert page.console.problems == []
