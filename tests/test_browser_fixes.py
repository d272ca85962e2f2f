"""Real-browser checks of issue 14's small fixes: the form's selects show their options whole,
and without JavaScript the charts' figures are still there to read."""

import pytest

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
