"""Real-browser checks of issue 14's small fixes: the form's selects show their options whole,
and without JavaScript the charts' figures are still there to read."""

import pytest

from tests.browser import serious_violations

pytestmark = pytest.mark.browser

# Each select's widest option, measured in the select's own font, against the room its box
# leaves for text (its width less padding and about 20 px of arrow).
SELECT_ROOM = """() => {
  const canvas = document.createElement("canvas").getContext("2d");
  return [...document.querySelectorAll("#calc-form select")].map((select) => {
    const style = getComputedStyle(select);
    canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const room = select.clientWidth - parseFloat(style.paddingLeft)
      - parseFloat(style.paddingRight) - 20;
    const widest = [...select.options]
      .map((o) => [canvas.measureText(o.text).width, o.text])
      .sort((a, b) => b[0] - a[0])[0];
    return {name: select.name, room, width: widest[0], text: widest[1]};
  });
}"""


@pytest.mark.parametrize("width", [1366, 390])
def test_the_forms_selects_show_every_option_whole(browser, app_server, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(app_server + "/")
    selects = page.evaluate(SELECT_ROOM)
    assert {s["name"] for s in selects} >= {"assumptions", "instance", "policy", "market"}
    cut = [s for s in selects if s["width"] > s["room"]]
    assert cut == [], cut
    page.close()


def test_without_javascript_a_table_stands_in_for_the_charts(browser, app_server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(app_server + "/")
    table = page.locator(".charts table")
    assert table.is_visible()
    names = page.locator(".cards h2").all_inner_texts()
    assert table.locator("tbody th").all_inner_texts() == names
    assert table.locator("thead th").all_inner_texts()[-1].startswith("Saving against ")
    # The empty chart boxes (380 px each) and the hover hint are not shown.
    assert page.locator(".charts figure").first.is_hidden()
    assert page.locator(".charts-area > .charts > .chart-note").is_hidden()
    # The decision panel's page keeps its notes, which say how its figures were found.
    page.goto(app_server + "/insight/")
    assert page.locator(".chart-note").first.is_visible()
    context.close()


def test_with_javascript_the_stand_in_costs_no_elements(page, app_server):
    page.goto(app_server + "/")
    page.locator("[data-chart=cumulative]").scroll_into_view_if_needed()
    page.wait_for_selector("[data-chart=cumulative] .main-svg")
    assert page.locator(".charts table").count() == 0  # <noscript> content stays text
    assert page.locator(".charts figure").first.is_visible()
    assert page.console.problems == []


def test_the_compare_page_side_by_side_is_accessible(browser, app_server):
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    context = browser.new_context(bypass_csp=True)  # axe is injected as a script
    page = context.new_page()
    page.goto(app_server + "/compare/?s=startup-8k-independent&s=scaleup-80k-independent")
    page.locator("[data-chart=compare]").scroll_into_view_if_needed()  # drawn when near
    page.wait_for_selector("[data-chart=compare] .main-svg")
    assert page.locator("#compare-inputs-title").is_visible()
    assert page.locator(".side-by-side tr.differs").count() > 0
    serious = serious_violations(axe_module, page)
    context.close()
    assert serious == []
