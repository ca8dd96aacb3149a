"""A trainee's own tables on a 320 px phone: the quizzes list, a quiz's attempts, her records, her
workshop's pre- and post-test, her result on each of those tests, a failed final's score per lesson
and a quiz result's match and order tables keep every word whole ("Questions", not "Ques/tions"), scrolling in their own frame when too wide, like the report tables,
and the page itself never scrolls sideways; at 200 % text her progress table fits the screen too."""
from datetime import datetime

import pytest

from tests.factories import join_workshop, make_user, make_workshop
from tests.records_builders import complete_course, complete_lessons, take_quiz
from webapp.content import catalog
from webapp.extensions import db
from webapp.models import AttemptAnswer, WorkshopTest
from webapp.quizzes.drawing import FINAL

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


def _phone_page(browser, base, email):
    context = browser.new_context(viewport={"width": 320, "height": 640}, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, base, email)
    return context, page


def _whole_words_and_no_sideways_scroll(page, url, tables):
    assert page.goto(url).status == 200, url
    assert page.locator("main table").count() == tables, url
    assert page.evaluate(CUT_WORDS) == [], url
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, url


def _answer_each(attempt, question_ids, credit: float) -> None:
    """Her answers to ``question_ids``, each worth ``credit`` (enough for a result table's rows)."""
    db.session.add_all(AttemptAnswer(attempt_id=attempt.id, position=n, question_id=qid, answer=None, credit=credit)
                       for n, qid in enumerate(question_ids))


def _sat_pre_and_post_tests(language: str) -> tuple[int, dict]:
    """A workshop on every lesson whose trainee awa@example.org sat its pre-test (all wrong) and its
    post-test (all right), one question per lesson: (workshop id, {lesson: question id})."""
    trainee = make_user(email="awa@example.org", language=language)
    one_per_lesson = {q["lesson"]: q["id"] for q in catalog().all_questions()}
    workshop = make_workshop(make_user(role="facilitator", email="fatou@example.org"), lessons=tuple(one_per_lesson))
    join_workshop(workshop, trainee)
    for kind, credit in (("pre", 0.0), ("post", 1.0)):
        db.session.add(WorkshopTest(workshop_id=workshop.id, kind=kind, question_ids=list(one_per_lesson.values())))
        attempt = take_quiz(trainee, quiz=f"workshop-{workshop.id}-{kind}", score=credit, pass_mark=0.0,
                            at=datetime(2026, 3, 24 if kind == "pre" else 26, 9))
        _answer_each(attempt, one_per_lesson.values(), credit)
    db.session.commit()
    return workshop.id, one_per_lesson


@pytest.mark.parametrize("language", ["fr", "en"])
def test_quizzes_and_records_tables_keep_their_words_whole_at_320_px(browser, live_server, language):
    base, app = live_server
    with app.app_context():
        complete_course(make_user(email="awa@example.org", language=language))
    context, page = _phone_page(browser, base, "awa@example.org")
    for path, tables in (("/quizzes", 1), ("/quizzes/final", 1), ("/records", 2)):
        _whole_words_and_no_sideways_scroll(page, base + path, tables)
    context.close()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_progress_table_fits_320_px_at_200_percent_text(browser, live_server, language):
    base, app = live_server
    with app.app_context():
        trainee = make_user(email="awa@example.org", language=language)
        slugs = [lesson.slug for lesson in catalog().lessons]
        complete_lessons(trainee, slugs=slugs[:3])
    context, page = _phone_page(browser, base, "awa@example.org")
    page.goto(f"{base}/progress")
    assert page.locator("table.progress tbody tr").count() == len(slugs)
    assert width_with_text_at(page, "200%") <= 320
    assert page.evaluate(CUT_WORDS) == []
    context.close()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_her_pre_and_post_test_table_keeps_its_words_whole_at_320_px(browser, live_server, language):
    base, app = live_server
    with app.app_context():
        workshop_id, one_per_lesson = _sat_pre_and_post_tests(language)
    context, page = _phone_page(browser, base, "awa@example.org")
    _whole_words_and_no_sideways_scroll(page, f"{base}/workshops/{workshop_id}", 1)
    assert page.locator("main table tbody tr").count() == len(one_per_lesson) + 1  # each topic, then all
    context.close()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_her_pre_and_post_test_results_keep_their_words_whole_at_320_px(browser, live_server, language):
    base, app = live_server
    with app.app_context():
        workshop_id, one_per_lesson = _sat_pre_and_post_tests(language)
    context, page = _phone_page(browser, base, "awa@example.org")
    for kind in ("pre", "post"):
        _whole_words_and_no_sideways_scroll(page, f"{base}/workshops/{workshop_id}/tests/{kind}", 1)
        assert page.locator("main table tbody tr").count() == len(one_per_lesson)
    context.close()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_failed_finals_score_per_lesson_keeps_its_words_whole_at_320_px(browser, live_server, language):
    base, app = live_server
    with app.app_context():
        trainee = make_user(email="awa@example.org", language=language)
        one_per_lesson = {q["lesson"]: q["id"] for q in catalog().all_questions()}
        attempt = take_quiz(trainee, quiz=FINAL, score=0.0)
        _answer_each(attempt, one_per_lesson.values(), 0.0)
        db.session.commit()
        attempt_id = attempt.id
    context, page = _phone_page(browser, base, "awa@example.org")
    _whole_words_and_no_sideways_scroll(page, f"{base}/attempts/{attempt_id}/result", 1)
    assert page.locator("main table tbody tr").count() == len(one_per_lesson)
    context.close()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_quiz_results_match_and_order_tables_keep_their_words_whole_at_320_px(browser, live_server, language):
    """Every match and order question of the course, each answered wrongly (her answer shifted by one)."""
    base, app = live_server
    with app.app_context():
        trainee = make_user(email="awa@example.org", language=language)
        questions = [q for q in catalog().all_questions() if q["type"] in ("match", "order")]
        attempt = take_quiz(trainee, quiz="trafficking-vs-smuggling", score=0.0)
        for n, q in enumerate(questions):
            if q["type"] == "match":
                ids = [p["id"] for p in q["pairs"]]
                answer = dict(zip(ids, ids[1:] + ids[:1]))
            else:
                answer = {item["id"]: (place + 1) % len(q["items"]) + 1 for place, item in enumerate(q["items"])}
            db.session.add(AttemptAnswer(attempt_id=attempt.id, position=n, question_id=q["id"], answer=answer,
                                         credit=0.0))
        db.session.commit()
        attempt_id = attempt.id
    context, page = _phone_page(browser, base, "awa@example.org")
    _whole_words_and_no_sideways_scroll(page, f"{base}/attempts/{attempt_id}/result", len(questions))
    names = page.locator("main .scroll[role=region]").evaluate_all("frames => frames.map(f => f.ariaLabel)")
    assert names[-1] == {"en": "Your answers to question %d", "fr": "Vos réponses à la question %d"}[language] \
        % len(questions) and len(set(names)) == len(questions)  # each frame named after its question
    context.close()
