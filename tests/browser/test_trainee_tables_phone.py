"""A trainee's own tables on a 320 px phone: the quizzes list and her records keep every word whole
("Questions", not "Ques/tions"), scrolling in their own frame when too wide, like the report tables,
and the page itself never scrolls sideways; at 200 % text her progress table fits the screen too."""
import pytest

from tests.factories import make_user
from tests.records_builders import complete_course, complete_lessons
from webapp.content import catalog

from .test_large_text import width_with_text_at
from .test_workshop_live import sign_in

pytestmark = pytest.mark.browser

# Words of table cells that a line break cuts in the middle (one word, several line boxes); a
# hyphen or a slash is a place where a line may break.
CUT_WORDS = """() => { const cut = [];
  const hidden = (el) => { for (let e = el; e; e = e.parentElement) {  // a visually hidden header
    const r = e.getBoundingClientRect(); if (r.width <= 1 || r.height <= 1) return true; } return false; };
  for (const cell of document.querySelectorAll('main th, main td')) { if (hidden(cell)) continue;
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT); let node;
    while ((node = walker.nextNode())) { const words = /[^\\s\\/\\u2010-\\u2014-]+/g; let m;
      while ((m = words.exec(node.data))) {
        const range = document.createRange(); range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
        if (new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1) cut.push(m[0]); } } }
  return cut; }"""


@pytest.mark.parametrize("language", ["fr", "en"])
def test_quizzes_and_records_tables_keep_their_words_whole_at_320_px(browser, live_server, language):
    base, app = live_server
    with app.app_context():
        complete_course(make_user(email="awa@example.org", language=language))
    context = browser.new_context(viewport={"width": 320, "height": 640}, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, base, "awa@example.org")
    for path, tables in (("/quizzes", 1), ("/records", 2)):
        assert page.goto(base + path).status == 200
        assert page.locator("main table").count() == tables, path
        assert page.evaluate(CUT_WORDS) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
    context.close()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_progress_table_fits_320_px_at_200_percent_text(browser, live_server, language):
    base, app = live_server
    with app.app_context():
        trainee = make_user(email="awa@example.org", language=language)
        slugs = [lesson.slug for lesson in catalog().lessons]
        complete_lessons(trainee, slugs=slugs[:3])
    context = browser.new_context(viewport={"width": 320, "height": 640}, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, base, "awa@example.org")
    page.goto(f"{base}/progress")
    assert page.locator("table.progress tbody tr").count() == len(slugs)
    assert width_with_text_at(page, "200%") <= 320
    assert page.evaluate(CUT_WORDS) == []
    context.close()
