"""Real-browser tests of the layouts at a phone's 390 px, a tablet's 768 px and a laptop's
1366 px: the calculator's form flows above its results below 900 px, no page is wider than a
phone, wide tables scroll inside their own box with the first column frozen, and the site's
links (the worked scenarios, the jumps between form and results, the skip past the charts)
are there and work.
"""

import pytest

from tests.browser import Console, load_lazy_parts, serious_violations_at

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 768, "height": 1024}
LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture
def sized(browser):
    """A page factory: ``sized(viewport, javascript=True)``, each recording console errors."""
    contexts = []

    def open_page(viewport, javascript=True):
        context = browser.new_context(viewport=viewport, java_script_enabled=javascript)
        contexts.append(context)
        page = context.new_page()
        page.console = Console(page)
        return page

    yield open_page
    for context in contexts:
        context.close()


def box(page, selector):
    return page.evaluate(
        """(selector) => {
          const r = document.querySelector(selector).getBoundingClientRect();
          return {left: r.left, top: r.top, right: r.right, bottom: r.bottom,
                  x: r.left + r.width / 2, y: r.top + r.height / 2};
        }""",
        selector,
    )


def hit(page, selector, x, y):
    """Whether the element painted at (x, y) is ``selector``'s element or inside it."""
    return page.evaluate(
        "([selector, x, y]) => document.querySelector(selector).contains("
        "document.elementFromPoint(x, y))",
        [selector, x, y],
    )


@pytest.mark.parametrize("viewport", [PHONE, TABLET], ids=["390", "768"])
def test_below_900px_the_form_flows_above_the_results(sized, app_server, viewport):
    page = sized(viewport)
    page.goto(app_server + "/")
    page.wait_for_selector(".card")
    before = box(page, "#calc-form")
    page.evaluate("window.scrollBy(0, 600)")
    page.wait_for_function("window.scrollY >= 600")
    after = box(page, "#calc-form")
    assert after["top"] == pytest.approx(before["top"] - 600, abs=1)  # not pinned
    # Nor a box scrolling inside the page: all of the form is as tall as it looks.
    assert page.evaluate(
        "(f => f.scrollHeight <= f.clientHeight)(document.getElementById('calc-form'))"
    )
    assert box(page, "#results")["top"] >= after["bottom"]  # the results come after it

    page.locator(".card").first.scroll_into_view_if_needed()
    card = box(page, ".card")
    assert 0 <= card["y"] <= viewport["height"]
    assert hit(page, ".card", card["x"], card["y"])  # the form covers none of it
    assert "tap" in page.locator(".chart-note").inner_text()  # not "hover" alone on a touch screen
    assert page.console.problems == []


def test_the_jumps_between_form_and_results_work_without_javascript(sized, app_server):
    page = sized(PHONE, javascript=False)
    page.goto(app_server + "/")
    page.click("#calc-form a[href='#results']")
    assert page.evaluate("location.hash") == "#results"
    assert abs(box(page, "#results")["top"]) <= 2  # the results at the top of the screen

    page.click("#results a[href='#calc-form']")
    assert abs(box(page, "#calc-form")["top"]) <= 2


def test_at_1366px_the_form_stays_beside_the_results(sized, app_server):
    page = sized(LAPTOP)
    page.goto(app_server + "/")
    page.wait_for_selector(".card")
    form, results = box(page, "#calc-form"), box(page, ".results-column")
    assert form["right"] <= results["left"]
    assert form["top"] == pytest.approx(results["top"], abs=2)
    assert not page.locator("#calc-form .jump").is_visible()  # no jump where both are in view
    page.evaluate("window.scrollBy(0, 900)")
    page.wait_for_function("window.scrollY >= 900")
    assert 0 <= box(page, "#calc-form")["top"] <= 20  # still pinned beside the results


def first_gallery_scenario(page, app_server):
    page.goto(app_server + "/scenarios/")
    return page.locator(".gallery-item h2 a").first.get_attribute("href")


PAGES = [
    "/",
    "/?peak_rps=80000&mix=go:60,fastapi:30,express:10",
    "/insight/",
    "/assumptions/",
    "/assumptions/independent-2026/",
    "/assumptions/seed-article-2026/v1/",
    "/scenarios/",
    "first gallery scenario",
    "/s/fintech-hybrid/",
    "/s/fintech-hybrid/report/",
    "/compare/?s=fintech-hybrid&s=startup-8k-independent",
    "/api/v1/docs",
]

# What sticks out past the right edge of the screen, outside any box of its own that scrolls
# or clips: the message names the culprits.
WIDER_THAN_THE_SCREEN = """() => {
  const out = [];
  for (const node of document.querySelectorAll("body *")) {
    const r = node.getBoundingClientRect();
    if (r.width === 0 || r.right <= window.innerWidth + 1) continue;
    let up = node.parentElement, clipped = false;
    for (; up && up !== document.body; up = up.parentElement)
      if (getComputedStyle(up).overflowX !== "visible") { clipped = true; break; }
    const name = `${node.tagName.toLowerCase()}.${node.className}`;
    if (!clipped) out.push(`${name} to ${Math.round(r.right)}`);
  }
  return out.slice(0, 5);
}"""


@pytest.mark.parametrize("path", PAGES)
def test_no_page_is_wider_than_a_phone(sized, app_server, path):
    page = sized(PHONE)
    if path == "first gallery scenario":
        path = first_gallery_scenario(page, app_server)
    page.goto(app_server + path)
    load_lazy_parts(page)
    if page.locator("details.monthly").count():  # its table scrolls in a box of its own
        page.evaluate("document.querySelector('details.monthly').open = true")  # may be open
        page.wait_for_selector("details.monthly table")
    if path.startswith("/api/"):
        page.wait_for_selector("#swagger-ui .opblock")
        page.locator("#swagger-ui .opblock-summary").first.click()  # an operation's details
        page.wait_for_selector("#swagger-ui .opblock-body")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], page.evaluate(WIDER_THAN_THE_SCREEN)
    assert page.console.problems == []


def test_the_monthly_tables_month_column_stays_in_place_when_it_scrolls(sized, app_server):
    page = sized(PHONE)
    page.goto(app_server + "/")
    page.click(".monthly summary")
    page.wait_for_selector(".monthly tbody tr")
    page.locator(".monthly .scroll").scroll_into_view_if_needed()
    region = ".monthly .scroll"
    month, cell = (
        ".monthly tbody tr:first-child th",
        ".monthly tbody tr:first-child td:nth-child(3)",
    )
    assert page.evaluate(f"document.querySelector('{region}').scrollWidth") > 3 * PHONE["width"]
    month_before, cell_before = box(page, month), box(page, cell)

    page.evaluate(f"document.querySelector('{region}').scrollLeft = 800")
    page.wait_for_function(f"document.querySelector('{region}').scrollLeft >= 800")
    month_after, cell_after = box(page, month), box(page, cell)
    assert cell_after["left"] == pytest.approx(cell_before["left"] - 800, abs=1)  # it scrolled
    assert month_after["left"] == pytest.approx(month_before["left"], abs=1)  # Month did not
    assert hit(page, month, month_after["x"], month_after["y"])  # painted over what passes under
    assert page.locator(month).inner_text() == "1"


def test_what_flips_it_fits_the_results_column_at_1366px(sized, app_server):
    page = sized(LAPTOP)
    page.goto(app_server + "/")
    load_lazy_parts(page)
    region = "[role=region][aria-label='What flips the decision']"
    page.wait_for_selector(region)
    assert page.evaluate(
        f'(r => r.scrollWidth <= r.clientWidth)(document.querySelector("{region}"))'
    )
    flips, inside = box(page, f"{region} thead th:last-child"), box(page, region)
    assert page.locator(f"{region} thead th:last-child").inner_text() == "Flips the order"
    assert flips["right"] <= inside["right"] + 0.5


def test_the_nav_links_the_worked_scenarios_and_fits_a_phone(sized, app_server):
    page = sized(PHONE)
    page.goto(app_server + "/")
    links = page.locator("header.site nav a")
    for right in links.evaluate_all("links => links.map(a => a.getBoundingClientRect().right)"):
        assert right <= PHONE["width"]
    assert page.locator(".intro a[href='/scenarios/']").count() == 1  # and the intro does
    page.locator("header.site nav a", has_text="Worked scenarios").click()
    page.wait_for_url("**/scenarios/")
    assert page.locator("h1").inner_text() == "Worked scenarios"
    assert page.locator("header.site nav a[href='/scenarios/']").count() == 1  # on every page


def test_a_keyboard_user_skips_the_charts_toolbars_to_the_monthly_figures(sized, app_server):
    page = sized(LAPTOP)
    page.goto(app_server + "/")
    page.locator("[data-chart=breakdown]").scroll_into_view_if_needed()  # drawn when near
    page.wait_for_selector("[data-chart=breakdown] .main-svg")
    skip = page.locator("a.skip-charts")
    assert skip.inner_text() == "Skip the charts to the monthly figures"
    skip.focus()
    assert skip.bounding_box()["width"] > 100  # shown once focused
    page.keyboard.press("Enter")
    # Past every chart toolbar's buttons, onto the table's own summary: Enter opens it.
    assert page.evaluate("document.activeElement.matches('.monthly > summary')")
    page.keyboard.press("Enter")
    page.wait_for_selector(".monthly tbody tr")


# Not /api/v1/docs: swagger-ui's own colours fail axe's contrast check (tests/test_browser.py's
# axe test leaves it out too).
@pytest.mark.parametrize(
    "path", ["/", "/assumptions/independent-2026/", "/s/fintech-hybrid/report/"]
)
def test_a_phone_layout_has_no_serious_accessibility_violations(browser, app_server, path):
    assert serious_violations_at(browser, app_server + path, viewport=PHONE) == []
