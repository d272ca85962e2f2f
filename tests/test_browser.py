"""Real-browser tests: Playwright driving Debian's Chromium against gunicorn with production
settings (debug off, hashed and compressed static files, the real CSP).

They run when a Chromium is found. Where CI is set, a missing browser fails the run instead
of skipping it.
"""

import re

import pytest

from tests.browser import Console, load_lazy_parts, serious_violations_at

pytestmark = pytest.mark.browser


def test_typing_a_new_peak_updates_charts_table_and_url_without_reload(page, app_server):
    page.goto(app_server + "/")
    page.locator("[data-chart=cumulative]").scroll_into_view_if_needed()
    page.wait_for_selector("[data-chart=cumulative] .main-svg")
    page.evaluate("window.notReloaded = true")
    before = page.evaluate("document.querySelector('[data-chart=cumulative]').data[0].y.at(-1)")
    page.click(".monthly summary")  # open, it stays open and is refetched on each change

    page.fill("#id_peak_rps", "80000")
    page.wait_for_url(re.compile(r"peak_rps=80000"))
    page.wait_for_selector(".table tbody tr:first-child td:text-is('80,000')")
    page.locator("[data-chart=cumulative]").scroll_into_view_if_needed()
    page.wait_for_selector("[data-chart=cumulative] .main-svg")

    assert page.evaluate("window.notReloaded") is True
    after = page.evaluate("document.querySelector('[data-chart=cumulative]').data[0].y.at(-1)")
    assert after > before
    assert "peak_rps=80000" in page.url
    assert page.console.problems == []


DRAWN_COST_CHARTS = """() => {
  const costs = JSON.parse(document.getElementById("chart-specs").textContent).costs;
  const drawing = (node) => ({
    traces: node.data.map((t) => ({name: t.name, x: Array.from(t.x || []), y: Array.from(t.y),
                                    type: t.type})),
    title: node.layout.title.text,
    yrange: node._fullLayout.yaxis.range,
    // plotly.js's own check of every attribute against its schema
    problems: (Plotly.validate(node.data, node.layout) || []).map((p) => p.msg),
  });
  const drawn = {};
  for (const name of ["cumulative", "difference"]) {
    drawn[name] = drawing(document.querySelector(`[data-chart=${name}]`));
  }
  // The breakdown: one small chart per option inside its node.
  drawn.breakdown = [...document.querySelectorAll("[data-chart=breakdown] [data-part-of]")].map(
    (node) => (node.data ? drawing(node) : null));
  return {costs, drawn};
}"""

# Every option's small breakdown chart drawn with the figures sent last (one task each, so
# they may still be drawing when the first is done).
BREAKDOWN_DRAWN = """() => {
  const costs = JSON.parse(document.getElementById("chart-specs").textContent).costs;
  const parts = [...document.querySelectorAll("[data-chart=breakdown] [data-part-of]")];
  const labels = costs.style.categories.map((c) => c.label);
  return parts.length === costs.options.length && parts.every((node, i) => {
    if (!node.data) return false;
    const drawn = labels.map((label) => {
      const trace = node.data.find((t) => t.name === label);
      return costs.months.map((m) => {
        const at = trace ? Array.from(trace.x).indexOf(m) : -1;
        return at < 0 ? 0 : trace.y[at];
      });
    });
    return JSON.stringify(drawn) === JSON.stringify(costs.options[i].categories);
  });
}"""


def check_cost_charts(page):
    """The three cost charts drawn from the numbers the server sent, valid to plotly.js."""
    # A chart is drawn when it comes near the screen (static/js/charts.js): the last brings all.
    page.locator("[data-chart=breakdown]").scroll_into_view_if_needed()
    page.wait_for_function(BREAKDOWN_DRAWN)
    result = page.evaluate(DRAWN_COST_CHARTS)
    options, drawn = result["costs"]["options"], result["drawn"]
    names = [o["name"] for o in options]
    for chart in [drawn["cumulative"], drawn["difference"], *drawn["breakdown"]]:
        assert chart["problems"] == []
    assert [t["name"] for t in drawn["cumulative"]["traces"]] == names
    assert [t["y"] for t in drawn["cumulative"]["traces"]] == [o["cumulative"] for o in options]
    baseline = options[0]["cumulative"]
    for option, trace in zip(options, drawn["difference"]["traces"], strict=True):
        saved = [b - c for b, c in zip(baseline, option["cumulative"], strict=True)]
        assert trace["y"] == pytest.approx(saved, abs=0.006)
    assert drawn["difference"]["title"].startswith(f"Cumulative saving against {names[0]}")
    # A small chart per option, titled with its name, a stacked bar per category in each.
    parts = drawn["breakdown"]
    assert [p["title"] for p in parts] == [f"<b>{name}</b>" for name in names]
    months = result["costs"]["months"]
    labels = [c["label"] for c in result["costs"]["style"]["categories"]]
    assert len(labels) == 5  # compute, platform, salaries, hiring, later launch
    for option, part in zip(options, parts, strict=True):
        # A bar for each month with a cost of the category, none for a month without, and no
        # trace for a category without a cost (on the default page, the cost of later launch).
        costly = [
            (label, ys) for label, ys in zip(labels, option["categories"], strict=True) if any(ys)
        ]
        assert [t["name"] for t in part["traces"]] == [label for label, _ in costly]
        for trace, (_, ys) in zip(part["traces"], costly, strict=True):
            assert trace["x"] == [m for m, v in zip(months, ys, strict=True) if v != 0]
            assert trace["y"] == [v for v in ys if v != 0]
            assert trace["type"] == "bar"
    # On one scale, which holds every option's highest month.
    ranges = [p["yrange"] for p in parts]
    assert all(r == ranges[0] for r in ranges), ranges
    highest = max(sum(month) for o in options for month in zip(*o["categories"], strict=True))
    assert ranges[0][0] <= 0 and highest <= ranges[0][1] <= highest * 1.1
    legend, heading, titles = page.evaluate(BREAKDOWN_LEGEND_AND_TITLES)
    assert len(titles) == len(options)
    assert len(legend["entries"]) == 5 and not overlap(heading, legend["box"])
    for title in titles:  # the legend covered the top row's titles once
        assert not overlap(legend["box"], title), (legend, title)
    return options


BREAKDOWN_LEGEND_AND_TITLES = """() => {
  const chart = document.querySelector("[data-chart=breakdown]");
  const box = (node) => {
    const r = node.getBoundingClientRect();
    return [r.left, r.top, r.right, r.bottom];
  };
  const legend = chart.querySelector(".chart-legend");
  return [
    {box: box(legend), entries: [...legend.children].map((li) => li.textContent)},
    box(chart.querySelector(".chart-title")),
    [...chart.querySelectorAll("[data-part-of] .gtitle")].map(box),
  ];
}"""


def overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_the_cost_charts_are_drawn_from_the_figures_sent(page, app_server):
    page.goto(app_server + "/")
    before = check_cost_charts(page)
    assert len(before) == 4  # the default page: three stacks and a hybrid

    page.uncheck("input[name=stacks][value=express]")  # the baseline moves to the next stack
    page.wait_for_url(re.compile(r"stacks="))
    page.wait_for_function(
        "() => document.querySelectorAll('[data-chart=cumulative] .trace').length == 3"
    )
    after = check_cost_charts(page)
    assert [o["name"] for o in after] == [o["name"] for o in before[1:]]
    assert page.console.problems == []


def test_the_url_reproduces_the_page(page, app_server):
    page.goto(app_server + "/")
    page.fill("#id_team_size", "12")
    page.wait_for_url(re.compile(r"team_size=12"))
    page.locator("[data-chart=cumulative]").scroll_into_view_if_needed()
    page.wait_for_selector("[data-chart=cumulative] .main-svg")
    totals = page.locator(".card .total .figure").all_inner_texts()

    page.goto(page.url)  # what a colleague opening the copied link sees
    assert page.input_value("#id_team_size") == "12"
    assert page.locator(".card .total .figure").all_inner_texts() == totals


def test_bad_input_shows_a_message_beside_the_field(page, app_server):
    page.goto(app_server + "/")
    page.fill("#id_peak_rps", "-5")
    page.wait_for_selector("#err-peak_rps:text('Peak RPS must be at least 1.')")
    page.fill("#id_peak_rps", "5000")
    page.wait_for_selector("#err-peak_rps:empty", state="attached")
    assert page.console.problems == []


def test_fixing_one_field_clears_its_message_and_keeps_the_others(page, app_server):
    page.goto(app_server + "/")
    page.fill("#id_peak_rps", "-5")
    page.fill("#id_team_size", "2.5")
    page.wait_for_selector("#err-team_size:not(:empty)")
    assert page.text_content("#err-peak_rps") == "Peak RPS must be at least 1."
    page.fill("#id_peak_rps", "5000")
    page.wait_for_selector("#err-peak_rps:empty", state="attached")
    assert page.text_content("#err-team_size") != ""
    page.fill("#id_team_size", "4")
    page.wait_for_selector("#err-team_size:empty", state="attached")
    assert page.locator("#calc-form .field-error:not(:empty)").count() == 0
    assert page.console.problems == []


def test_without_javascript_the_form_submits_and_renders_the_full_page(browser, app_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(app_server + "/")
    page.fill("#id_peak_rps", "80000")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"peak_rps=80000"))
    page.click(".monthly summary")  # a <details> opens without JavaScript
    assert page.locator(".table tbody tr:first-child td").first.inner_text() == "80,000"
    assert page.locator(".card").count() == 4
    context.close()


def test_the_form_is_usable_by_keyboard_alone(page, app_server):
    page.goto(app_server + "/")
    page.locator("[data-chart=cumulative]").scroll_into_view_if_needed()
    page.wait_for_selector("[data-chart=cumulative] .main-svg")
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.className") == "skip"
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_peak_rps":
            break
    else:
        pytest.fail("Tab never reached the peak RPS field")
    page.keyboard.press("Control+A")
    page.keyboard.type("250000")
    page.wait_for_url(re.compile(r"peak_rps=250000"))
    page.focus(".monthly summary")
    page.keyboard.press("Enter")
    page.wait_for_selector(".table tbody tr:first-child td:text-is('250,000')")


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?peak_rps=80000&mix=go:60,fastapi:30,express:10",
        "/?peak_rps=0",
        "/assumptions/",
        "/assumptions/independent-2026/",
        "/assumptions/seed-article-2026/v1/",
        "/admin/login/",
    ],
)
def test_no_console_errors_or_csp_violations(page, app_server, path):
    page.goto(app_server + path)
    load_lazy_parts(page)
    assert page.console.problems == []


def test_admin_clone_and_publish(page, app_server, admin_credentials):
    username, password = admin_credentials
    page.goto(app_server + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.goto(app_server + "/admin/assumptions/assumptionset/")

    def act_on(version: int, action: str) -> str:
        """Tick the row of the seed set's ``version``, run ``action``, return the message."""
        cell = page.locator("td.field-version", has_text=re.compile(rf"^{version}$"))
        row = page.locator("tr", has_text="Seed article 2026").filter(has=cell)
        row.locator("input.action-select").check()
        page.select_option("select[name=action]", action)
        page.click("button[name=index]")
        if action == "publish_sets":  # publishing is reviewed, with a note, on its own page
            page.fill("#id_note", "Cloned unchanged.")
            page.click("input[name=_publish]")
        page.wait_for_selector(".messagelist")
        return page.locator(".messagelist").inner_text()

    # Version 4 is the newest shipped; its clone is the draft version 5.
    assert "v5" in act_on(4, "clone_sets")
    assert "ublished" in act_on(5, "publish_sets")

    page.goto(app_server + "/assumptions/seed-article-2026/")
    assert "v5" in page.locator("h1").inner_text()
    assert page.console.problems == []


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/assumptions/",
        "/assumptions/independent-2026/",
        "/admin/login/",
        "/scenarios/",
        "/s/fintech-hybrid/",
    ],
)
def test_accessibility_has_no_serious_or_critical_violations(browser, app_server, path):
    assert serious_violations_at(browser, app_server + path) == []


def test_share_then_open_the_link_in_a_fresh_browser(browser, page, app_server):
    page.goto(app_server + "/")
    page.click(".monthly summary")
    page.fill("#id_peak_rps", "30000")
    page.wait_for_url(re.compile(r"peak_rps=30000"))
    page.wait_for_selector(".table tbody tr:first-child td:text-is('30,000')")
    totals = page.locator(".card .total .figure").all_inner_texts()

    page.click("#share summary")
    page.fill("#share-title", "Thirty thousand <script>alert(1)</script>")
    page.click("#share-form button")
    link = page.locator("#share-link").input_value()
    assert re.fullmatch(re.escape(app_server) + r"/s/[A-Za-z0-9_-]{10,}/", link)

    fresh = browser.new_context()
    other = fresh.new_page()
    problems = Console(other)
    other.goto(link)
    assert other.locator(".card .total .figure").all_inner_texts() == totals
    assert other.locator("h1").inner_text() == "Thirty thousand <script>alert(1)</script>"
    other.locator("[data-chart=cumulative]").scroll_into_view_if_needed()
    other.wait_for_selector("[data-chart=cumulative] .main-svg")
    assert problems.problems == []
    fresh.close()


def test_the_workings_load_when_opened_after_a_recalculation(page, app_server):
    page.goto(app_server + "/")
    page.fill("#id_peak_rps", "70000")
    page.wait_for_url(re.compile(r"peak_rps=70000"))
    how = page.locator(".card .how").first
    how.locator("summary").click()
    how.locator(".steps .formula").first.wait_for()
    assert "CPU seconds per request" in how.locator(".steps").inner_text()
    assert how.locator(".steps a[href*='/assumptions/']").count() > 0
    assert page.console.problems == []


def test_the_decision_panel_loads_when_scrolled_to(page, app_server):
    page.goto(app_server + "/?peak_rps=50000")
    page.locator("#insight").scroll_into_view_if_needed()
    page.wait_for_selector("#insight .verdict")
    page.wait_for_selector("[data-insight-chart] .main-svg")
    assert "cheapest" in page.locator("#insight .verdict").inner_text()
    # The hosting comparison, left out of the panel, comes when it scrolls into view.
    page.locator("#hosting").scroll_into_view_if_needed()
    page.locator("#hosting table.hosting").wait_for()
    assert "Containers beat functions" in page.locator("#hosting").inner_text()
    page.fill("#id_peak_rps", "400000")
    page.wait_for_url(re.compile(r"peak_rps=400000"))
    # Still in view, the new panel may already be loading: no waiting for it to hold still.
    page.evaluate("document.getElementById('insight').scrollIntoView()")
    page.locator("#insight", has_text="400,000 RPS").locator(".verdict").wait_for()
    assert page.console.problems == []


@pytest.mark.parametrize("path", ["/scenarios/", "/s/fintech-hybrid/", "/api/v1/docs"])
def test_more_pages_have_no_console_errors(page, app_server, path):
    page.goto(app_server + path)
    load_lazy_parts(page)
    assert page.console.problems == []
