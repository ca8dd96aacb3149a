"""A match question on a 360 px phone, in the room and in a quiz: nothing scrolls sideways, a letter
per line is one tap, and a line left empty is named while the others stay ticked."""
import random

import pytest

from tests.factories import join_workshop, make_user, make_workshop
from webapp.extensions import db
from webapp.models import Attempt
from webapp.quizzes import drawing
from webapp.workshops import live

pytestmark = pytest.mark.browser

QUESTION = "tvs-match-criteria"  # six lines, French choices up to 135 characters
NO_SIDEWAYS = "document.scrollingElement.scrollWidth"


def sign_in(page, base, email):
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", "correct horse battery")
    page.locator("main button.primary").click()
    page.wait_for_url(base + "/")


def test_a_live_match_question_fits_a_360px_phone_and_names_a_missing_line(phone, live_server):
    base, app = live_server
    with app.app_context():
        owner = make_user(email="fatou@example.org", role="facilitator", language="fr")
        workshop = make_workshop(owner, lessons=("trafficking-vs-smuggling",), language="fr")
        trainee = make_user(email="ana@example.org", language="fr")
        join_workshop(workshop, trainee)
        question = app.extensions["catalog"].question(QUESTION)
        live.open_question(workshop, question, random.Random(7))
        url = f"{base}/workshops/{workshop.id}"
        db.session.remove()

    page = phone.new_page()
    sign_in(page, base, "ana@example.org")
    page.goto(url)
    form = page.locator("form.live-answer")
    rows = form.locator("fieldset.match-row")
    assert rows.count() == 6 and form.locator("select").count() == 0
    assert page.evaluate(NO_SIDEWAYS) <= 360
    # One tap per line (the second line left empty); each letter is a target a thumb can hit.
    for n in range(6):
        if n != 1:
            rows.nth(n).locator("label").nth(n).click()
    box = rows.nth(0).locator("label").nth(0).bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    page.get_by_role("button", name="Envoyer ma réponse").click()
    assert "La ligne 2 n’a pas encore de correspondance" in page.locator("#q-" + QUESTION + "-1").inner_text()
    assert page.evaluate(NO_SIDEWAYS) <= 360
    assert page.locator("form.live-answer input[type=radio]:checked").count() == 5  # the others kept
    # The letter's radio is named by its full choice for a screen reader.
    name = page.locator(f"#q-{QUESTION}-1 input[type=radio]").first.evaluate(
        "e => e.labels[0].innerText.replace(/\\s+/g, ' ').trim()")
    assert len(name) > 20
    page.locator(f"#q-{QUESTION}-1 label").first.click()
    page.get_by_role("button", name="Envoyer ma réponse").click()
    assert "Votre réponse est enregistrée" in page.locator("main").inner_text()
    assert page.evaluate(NO_SIDEWAYS) <= 360


def test_a_quiz_match_question_fits_a_360px_phone(phone, live_server):
    base, app = live_server
    with app.app_context():
        trainee = make_user(email="ben@example.org", language="fr")
        cat = app.extensions["catalog"]
        attempt = Attempt(user_id=trainee.id, quiz="trafficking-vs-smuggling", content_version=cat.version,
                          pass_mark=0.8, layout=[drawing.layout(cat.question(QUESTION), random.Random(3))])
        db.session.add(attempt)
        db.session.commit()
        url = f"{base}/attempts/{attempt.id}"
        db.session.remove()

    page = phone.new_page()
    sign_in(page, base, "ben@example.org")
    page.goto(url)
    assert page.locator("fieldset.match-row").count() == 6 and page.locator("form.quiz select").count() == 0
    assert page.evaluate(NO_SIDEWAYS) <= 360
    page.locator("fieldset.match-row").nth(0).locator("label").first.click()
    page.locator("form.quiz button.primary").click()
    assert page.locator("fieldset.match-row.invalid").count() == 5
    assert "La ligne 6 n’a pas encore de correspondance" in page.locator("form.quiz").inner_text()
    assert page.locator("form.quiz input[type=radio]:checked").count() == 1
    assert page.evaluate(NO_SIDEWAYS) <= 360
