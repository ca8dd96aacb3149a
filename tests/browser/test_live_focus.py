"""A keyboard or screen-reader trainee is choosing her answer to a live question when the facilitator
closes it: the panel is swapped by live.js, and her focus stays in the panel (on its heading) instead
of falling back to the top of the page, where she would have to find her place again."""
import pytest

from tests.factories import make_user
from webapp.extensions import db
from webapp.models import Workshop
from webapp.workshops import live

from .test_workshop_live import bank_question, sign_in, workshop_today

pytestmark = pytest.mark.browser


def test_the_focus_stays_in_the_live_panel_when_the_question_closes(browser, live_server):
    base, app = live_server
    app.config["LIVE_POLL_SECONDS"] = 0.3
    with app.app_context():
        workshop = workshop_today(app, [make_user(email="ana@example.org", language="fr")])
        asked = live.open_question(workshop, bank_question(app, "single"))
        workshop_id, live_id = workshop.id, asked.id
        db.session.remove()

    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    sign_in(page, base, "ana@example.org")
    page.goto(f"{base}/workshops/{workshop_id}")
    page.locator("form.live-answer input[type=radio]").first.focus()
    page.keyboard.press("ArrowDown")  # choosing, not yet sent

    with app.app_context():
        live.close(db.session.get(type(asked), live_id))
        assert db.session.get(Workshop, workshop_id)
        db.session.remove()
    page.locator("#live-panel", has_text="Les réponses sont closes").wait_for(timeout=10000)
    assert page.evaluate("document.activeElement.id") == "live-heading"
    assert page.evaluate("document.getElementById('live-panel').contains(document.activeElement)")
    context.close()


def test_the_facilitators_focused_button_survives_the_panel_update(browser, live_server):
    """On the facilitator's screen the panel is swapped as answers come in: the button she had the
    focus on (to close the question, say) has it again in the new panel."""
    from werkzeug.datastructures import MultiDict

    from webapp.models import LiveQuestion
    base, app = live_server
    app.config["LIVE_POLL_SECONDS"] = 0.3
    with app.app_context():
        ana = make_user(email="ana@example.org", language="en")
        workshop = workshop_today(app, [ana], language="en")
        question = bank_question(app, "single")
        asked = live.open_question(workshop, question)
        workshop_id, live_id, ana_id = workshop.id, asked.id, ana.id
        token = next(iter(asked.layout["tokens"]))
        db.session.remove()

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, base, "fatou@example.org")
    page.goto(f"{base}/workshops/{workshop_id}/live")
    button = page.locator("#live-panel button").first
    button.focus()
    before = page.evaluate("[document.activeElement.name, document.activeElement.value, document.activeElement.textContent]")
    with app.app_context():
        live.answer(app.extensions["catalog"], db.session.get(LiveQuestion, live_id), ana_id,
                    MultiDict({f"q-{question['id']}": token}))
        db.session.remove()
    page.locator("#live-panel", has_text="1 of 1 answered").wait_for(timeout=10000)
    after = page.evaluate("[document.activeElement.name, document.activeElement.value, document.activeElement.textContent]")
    assert after == before
    assert page.evaluate("document.getElementById('live-panel').contains(document.activeElement)")
    context.close()
