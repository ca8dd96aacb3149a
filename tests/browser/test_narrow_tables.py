"""On a 320 px phone the progress table keeps each lesson's state whole: "Pas commencée" used to be
cut letter by letter ("Pas / com / menc / ée") by the narrow column."""
import pytest

from tests.factories import make_user

from .test_workshop_live import sign_in

pytestmark = pytest.mark.browser

# Words of the state cells that a line break cuts in the middle (one word, several line boxes).
CUT_WORDS = """() => { const cut = [];
  for (const cell of document.querySelectorAll('td[class^="status-"]')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT); let node;
    while ((node = walker.nextNode())) { const words = /\\S+/g; let m;
      while ((m = words.exec(node.data))) {
        const range = document.createRange(); range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
        if (new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1) cut.push(m[0]); } } }
  return cut; }"""


def test_lesson_states_are_never_cut_in_the_middle_of_a_word_at_320_px(browser, live_server):
    base, app = live_server
    with app.app_context():
        make_user(email="awa@example.org", language="fr")
    context = browser.new_context(viewport={"width": 320, "height": 640}, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, base, "awa@example.org")
    page.goto(f"{base}/progress")
    assert "Pas commencée" in page.locator("table.progress").inner_text()
    assert page.evaluate(CUT_WORDS) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()
