"""What people see of their records in a browser: a pre-test with a score and no verdict, whose link
works; times in her own zone, named; a trainee who deleted her account shown as such."""
from datetime import datetime

import pytest

from tests.browser.site import sign_in
from tests.factories import join_workshop, make_user, make_workshop
from tests.records_builders import take_quiz
from webapp.content import catalog
from webapp.extensions import db
from webapp.models import User
from webapp.records import erasure
from webapp.workshops import prepost

pytestmark = pytest.mark.browser


def test_a_trainee_in_morocco_reads_her_records_on_her_phone(browser, live_server):
    base, app = live_server
    with app.app_context():
        owner = make_user(role="facilitator", language="fr")
        workshop = make_workshop(owner, title="Atelier de Rabat")
        trainee = make_user(country="MA", language="fr", name="Salma Benali")
        join_workshop(workshop, trainee)
        prepost.compose(catalog(), workshop, "pre", 1)
        slug = catalog().lessons[0].slug
        take_quiz(trainee, quiz=f"workshop-{workshop.id}-pre", score=0.4, pass_mark=0.0, at=datetime(2026, 3, 24, 9))
        take_quiz(trainee, quiz=slug, score=0.5, at=datetime(2026, 12, 4, 10, 0))
        trainee_id, owner_session, workshop_id = trainee.id, owner.get_id(), workshop.id
        trainee_session = trainee.get_id()
        db.session.remove()
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    sign_in(context, base, app, trainee_session)
    page = context.new_page()
    page.goto(base + "/records")
    attempts = page.locator("#attempts + .scroll table")
    assert "Test diagnostique (sans seuil de réussite)" in attempts.inner_text()
    row = attempts.locator("tr", has_text="Atelier de Rabat")
    assert "Réussi" not in row.inner_text() and "40 %" in row.inner_text()
    row.get_by_role("link").tap()
    page.wait_for_url(f"{base}/workshops/{workshop_id}/tests/pre")
    assert page.get_by_role("heading", name="Votre score : 40 %".replace(" :", "\u00a0:")).is_visible()
    page.goto(f"{base}/quizzes/{slug}")
    assert "11:00 (Casablanca, UTC+1)" in page.locator("main table").inner_text()
    context.close()

    with app.app_context():
        erasure.erase_account(db.session.get(User, trainee_id))  # she deletes her account
        db.session.remove()
    facilitator = browser.new_context(viewport={"width": 360, "height": 740})
    sign_in(facilitator, base, app, owner_session)
    roster = facilitator.new_page()
    roster.goto(f"{base}/workshops/{workshop_id}/roster")
    assert roster.get_by_role("rowheader", name="Compte supprimé").is_visible()
    assert "anonymous-" not in roster.locator("main").inner_text()
    facilitator.close()
