"""What every real-browser test module shares: Debian's Chromium under Playwright, a page that
records console errors and CSP violations, and a wait for the parts loaded when seen.

The fixtures `browser` and `page` reach every test module through tests/conftest.py; a module
of browser tests marks itself `pytestmark = pytest.mark.browser`.
"""

import os
import shutil
from contextlib import contextmanager

import pytest

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    # Module scope: Playwright's event loop must be gone before other modules' database tests,
    # which Django refuses to run inside one.
    if not os.path.exists(CHROMIUM):
        message = f"no Chromium at {CHROMIUM}: `apt-get install chromium` to run browser tests"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Console:
    """Every console error, uncaught exception and CSP violation a page reports."""

    def __init__(self, page):
        self.problems = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"pageerror: {error}"))

    def _console(self, message):
        if message.type in ("error", "warning") and "DevTools" not in message.text:
            self.problems.append(f"{message.type}: {message.text}")


def load_lazy_parts(page):
    """Bring the decision panel, loaded when seen, into view and wait for it; then its hosting
    comparison, loaded when seen too."""
    page.wait_for_load_state("networkidle")
    if page.locator("#insight .busy").count():
        page.locator("#insight").scroll_into_view_if_needed()
        page.wait_for_selector("#insight .verdict, #insight .alert")
    if page.locator("#hosting .busy").count():
        page.locator("#hosting").scroll_into_view_if_needed()
        page.wait_for_selector("#hosting .busy", state="detached")
    page.wait_for_load_state("networkidle")


@contextmanager
def opened(browser, **context_options):
    """A page of a fresh browser context (Playwright's new_context options), recording its
    console's problems in ``page.console``; the context is closed on leaving."""
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.console = Console(page)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def page(browser):
    with opened(browser, viewport={"width": 1280, "height": 900}) as page:
        yield page


def serious_violations(axe_module, page) -> list[str]:
    """axe's serious and critical findings on ``page``, each with where it is (first three)."""
    results = axe_module.Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def serious_violations_at(browser, url: str, **context_options) -> list[str]:
    """axe's serious and critical findings on ``url`` with its lazy parts loaded, in a fresh
    context. axe is injected as a script: it is let past the page's CSP, as a browser
    extension would be."""
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    with opened(browser, bypass_csp=True, **context_options) as page:
        page.goto(url)
        load_lazy_parts(page)
        return serious_violations(axe_module, page)
