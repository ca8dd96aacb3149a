"""After the session, in a browser: the roster fits a 1280 px screen without scrolling sideways, also
with an organisation's long name; a paper sheet typed in from a phone appears in the gain."""
import re
from datetime import datetime

import pytest

from tests.browser.site import sign_in
from tests.factories import join_workshop, make_user, make_workshop
from tests.records_builders import take_quiz
from webapp.content import catalog
from webapp.content.questions import QUESTION_TYPES
from webapp.extensions import db
from webapp.models import WorkshopTest
from webapp.workshops import paper

pytestmark = pytest.mark.browser

LONG_ORGANISATION = ("Direction générale de la sûreté nationale, brigade de lutte contre la traite des êtres "
                     "humains et le trafic illicite de migrants, antenne régionale de Tambacounda")


def test_the_roster_fits_1280_pixels_with_a_long_organisation_name(browser, live_server):
    base, app = live_server
    with app.app_context():
        owner = make_user(role="facilitator", language="fr")
        workshop = make_workshop(owner, title="Atelier de Tambacounda", days=3)
        people = [make_user(name="Aminata Ndiaye-Diop", organisation=LONG_ORGANISATION),
                  make_user(name="Ben Sow", organisation="OIM"),
                  make_user(name="Chérif Ould Mohamed Lemine", organisation="Ministère_de_la_Justice_Direction_des_"
                                                                            "Affaires_Criminelles_et_des_Grâces")]
        join_workshop(workshop, *people)
        take_quiz(people[0], quiz=f"workshop-{workshop.id}-pre", score=0.4, pass_mark=0.0, at=datetime(2026, 3, 24, 9))
        take_quiz(people[0], quiz=f"workshop-{workshop.id}-post", score=0.9, pass_mark=0.0, at=datetime(2026, 3, 26, 9))
        owner_session, workshop_id = owner.get_id(), workshop.id
        db.session.remove()
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    sign_in(context, base, app, owner_session)
    page = context.new_page()
    page.goto(f"{base}/workshops/{workshop_id}/roster")
    widths = page.evaluate("""() => ({page: document.documentElement.scrollWidth, view: innerWidth,
        frame: document.querySelector('.scroll').scrollWidth, frameView: document.querySelector('.scroll').clientWidth})""")
    assert widths["page"] <= widths["view"] and widths["frame"] <= widths["frameView"], widths
    headings = page.locator("table.roster thead th").all_inner_texts()
    assert [h.strip() for h in headings][2:5] == ["Pré-test", "Post-test", "Progrès des connaissances"]
    assert page.get_by_role("row", name=re.compile("Aminata")).get_by_role("cell", name="+50").is_visible()
    context.close()


def test_a_sheet_typed_in_from_a_phone_with_the_keyboard_appears_in_the_gain(browser, live_server):
    base, app = live_server
    with app.app_context():
        owner = make_user(role="facilitator", language="en")
        workshop = make_workshop(owner)
        ana = make_user(name="Ana Diallo", language="en")
        join_workshop(workshop, ana)
        one_letter = [q for q in catalog().all_questions() if QUESTION_TYPES[q["type"]].paper_entry == "one"][:2]
        test = WorkshopTest(workshop_id=workshop.id, kind="pre", question_ids=[q["id"] for q in one_letter])
        db.session.add(test)
        db.session.commit()
        right = paper.sheet(catalog(), workshop, test, "B")[1].key  # as printed on the key of version B
        take_quiz(ana, quiz=f"workshop-{workshop.id}-post", score=1.0, pass_mark=0.0, at=datetime(2026, 3, 25, 16))
        owner_session, workshop_id = owner.get_id(), workshop.id
        db.session.remove()
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    sign_in(context, base, app, owner_session)
    page = context.new_page()
    page.goto(f"{base}/workshops/{workshop_id}/tests/pre/paper?version=B")
    page.get_by_label("Trainee").select_option(label="Ana Diallo")
    page.get_by_label("Question 1", exact=True).focus()
    page.keyboard.type("x")          # not on the sheet: refused, named, her typing kept
    page.keyboard.press("Tab")
    page.keyboard.type(right.lower())  # lower case is fine
    with page.expect_navigation():
        page.keyboard.press("Enter")  # sends the form
    assert page.get_by_role("alert").filter(has_text="Question 1").is_visible()
    assert page.get_by_label("Question 1", exact=True).input_value() == "x"
    page.get_by_label("Question 1", exact=True).fill("")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"version=B"))
    assert "Saved for Ana Diallo: 50 % (version B, on paper)." in page.locator("main").inner_text()
    scroll = page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")
    assert scroll
    page.goto(f"{base}/workshops/{workshop_id}/tests")
    assert "Ana Diallo\t50 % → —" in page.locator("table.gains").inner_text()  # her paper pre-test counts
    page.goto(f"{base}/workshops/{workshop_id}/roster")  # her online post-test: 100 %
    row = page.get_by_role("row", name=re.compile("Ana Diallo")).inner_text()
    assert "50 % (paper)" in row and "100 %" in row and "+50" in row
    context.close()
