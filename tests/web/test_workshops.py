"""Setting a workshop up: roles, creating and editing it, the join code, link and QR code, joining."""
import re

import pytest
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import User, Workshop, WorkshopMember
from webapp.workshops import services

from ..factories import join_workshop, make_user, make_workshop
from .workshop_helpers import signed_in, text

FORM = {"title": "Atelier régional", "city": "Dakar", "country": "SN", "start_date": "2026-03-24",
        "end_date": "2026-03-26", "language": "fr", "lessons": ["first-steps", "second-steps"],
        "due_date": "", "cofacilitators": "", "attendance_threshold": ""}


def workshops_count():
    return db.session.scalar(select(func.count()).select_from(Workshop))


# Roles ---------------------------------------------------------------------------------------------

@pytest.mark.engine_sensitive
def test_an_admin_finds_a_trainee_and_makes_her_a_facilitator(app):
    admin = make_user(email="admin@example.org", role="admin", language="en")
    make_user(email="aissatou@example.org", name="Aïssatou Diallo")
    make_user(email="other@example.org", name="Moussa Traoré")
    client = signed_in(app, admin)
    page = text(client.get("/admin/users?q=AISSATOU"))
    assert "Aïssatou Diallo" in page and "Moussa Traoré" not in page
    user_id = db.session.scalar(select(User.id).where(User.email == "aissatou@example.org"))
    response = client.post(f"/admin/users/{user_id}/role", data={"role": "facilitator", "next": "/admin/users?q=AISSATOU"})
    assert response.headers["Location"] == "/admin/users?q=AISSATOU"
    assert db.session.get(User, user_id).role == "facilitator"
    assert "Aïssatou Diallo is now: Facilitator." in text(client.get(response.headers["Location"]))
    assert signed_in(app, db.session.get(User, user_id)).get("/workshops/new").status_code == 200


def test_only_admins_see_the_accounts_page(app, client):
    assert client.get("/admin/users").headers["Location"].startswith("/login")
    for role in ("trainee", "facilitator"):
        user = make_user(role=role)
        browser = signed_in(app, user)
        assert browser.get("/admin/users").status_code == 403
        assert browser.post(f"/admin/users/{user.id}/role", data={"role": "admin"}).status_code == 403
        assert db.session.get(User, user.id).role == role


def test_an_admin_cannot_change_her_own_role_nor_give_an_unknown_one(app):
    admin = make_user(role="admin", language="en")
    trainee = make_user()
    client = signed_in(app, admin)
    response = client.post(f"/admin/users/{admin.id}/role", data={"role": "trainee"})
    assert response.status_code == 400 and "Ask another administrator" in text(response)
    assert client.post(f"/admin/users/{trainee.id}/role", data={"role": "king"}).status_code == 400
    assert client.post("/admin/users/99999/role", data={"role": "trainee"}).status_code == 404
    assert db.session.get(User, admin.id).role == "admin" and db.session.get(User, trainee.id).role == "trainee"


def test_the_set_role_command_makes_a_facilitator(app, runner):
    user = make_user(email="fatou@example.org")
    result = runner.invoke(args=["set-role", "fatou@example.org", "facilitator"])
    assert result.exit_code == 0, result.output
    assert db.session.get(User, user.id).role == "facilitator"


# Creating and editing ------------------------------------------------------------------------------

def test_a_facilitator_creates_a_workshop_and_gets_a_code_a_link_and_a_qr_code(app):
    facilitator = make_user(role="facilitator", language="en")
    client = signed_in(app, facilitator)
    response = client.post("/workshops/new", data=FORM)
    assert response.status_code == 302
    workshop = db.session.scalar(select(Workshop))
    assert response.headers["Location"] == f"/workshops/{workshop.id}"
    assert (workshop.title, workshop.lessons, workshop.attendance_threshold) == (
        "Atelier régional", ["first-steps", "second-steps"], None)
    assert len(workshop.days) == 3 and workshop.required_days == 3
    assert re.fullmatch(f"[{services.CODE_ALPHABET}]{{8}}", workshop.join_code)
    page = text(client.get(response.headers["Location"]))
    assert services.grouped(workshop.join_code) in page and f"http://127.0.0.1:5000/join/{workshop.join_code}" in page
    qr = client.get(f"/workshops/{workshop.id}/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml" and b"<svg" in qr.data[:200]
    projector = text(client.get(f"/workshops/{workshop.id}/projector"))
    assert f"/workshops/{workshop.id}/qr.svg" in projector and services.grouped(workshop.join_code) in projector


def test_join_codes_never_use_letters_that_look_alike():
    codes = {services.new_code() for _ in range(2000)}
    assert len(codes) > 1990
    assert not set("".join(codes)) & set("0O1IL")
    assert services.normalise_code(" abc-def ") == "ABCDEF"


def test_a_trainee_cannot_create_a_workshop(app):
    client = signed_in(app, make_user())
    assert client.get("/workshops/new").status_code == 403
    assert client.post("/workshops/new", data=FORM).status_code == 403
    assert workshops_count() == 0


def test_a_workshop_form_with_mistakes_saves_nothing_and_says_why(app):
    make_user(email="learner@example.org")
    client = signed_in(app, make_user(role="facilitator", language="en"))
    bad = dict(FORM, end_date="2026-03-20", lessons=[], title="", attendance_threshold="5")
    page = text(response := client.post("/workshops/new", data=bad))
    assert response.status_code == 400
    assert "The last day cannot be before the first day." in page
    assert "Choose at least one lesson." in page and "Give the workshop a title." in page
    response = client.post("/workshops/new", data=dict(FORM, attendance_threshold="5"))
    assert response.status_code == 400 and "more days than the workshop has" in text(response)
    # A year typed wrong (9999 for 2026) would make a workshop no report can ever show.
    response = client.post("/workshops/new", data=dict(FORM, start_date="9999-12-30", end_date="9999-12-31"))
    assert response.status_code == 400 and "Choose a date between 2000 and 2100." in text(response)
    for not_a_number in ("²", "٣", "x", "-1", "99"):  # "²".isdigit() is True, int("²") fails
        response = client.post("/workshops/new", data=dict(FORM, attendance_threshold=not_a_number))
        assert response.status_code == 400, not_a_number
    response = client.post("/workshops/new", data=dict(FORM, due_date="2016-03-20"))
    assert response.status_code == 400 and "within a year of the workshop" in text(response)
    response = client.post("/workshops/new", data=dict(FORM, start_date="24/03/2026"))
    assert response.status_code == 400
    response = client.post("/workshops/new", data=dict(FORM, lessons=["no-such-lesson"]))
    assert response.status_code == 400
    assert workshops_count() == 0


def test_co_facilitators_are_invited_and_run_the_workshop_once_they_accept(app):
    owner = make_user(role="facilitator", language="en")
    colleague = make_user(email="Colleague@Example.org", role="facilitator", language="en")
    client = signed_in(app, owner)
    client.post("/workshops/new", data=dict(FORM, cofacilitators="colleague@example.org\n"))
    workshop = db.session.scalar(select(Workshop))
    assert workshop.cofacilitators == []  # nobody runs a workshop she did not agree to
    other = signed_in(app, colleague)
    assert other.get(f"/workshops/{workshop.id}/roster").status_code == 404
    page = text(other.get("/workshops"))
    assert "Invitations to co-facilitate" in page and "Atelier régional" in page
    invitation = re.search(r'action="/workshops/invitations/(\d+)"', page)[1]
    assert signed_in(app, owner).post(f"/workshops/invitations/{invitation}", data={"answer": "accept"}).status_code == 404
    accepted = other.post(f"/workshops/invitations/{invitation}", data={"answer": "accept"})
    assert accepted.status_code == 302
    assert [c.user_id for c in db.session.get(Workshop, workshop.id).cofacilitators] == [colleague.id]
    assert other.get(f"/workshops/{workshop.id}/roster").status_code == 200
    assert other.get(f"/workshops/{workshop.id}/edit").status_code == 200
    assert "Invitations to co-facilitate" not in text(other.get("/workshops"))


def test_the_co_facilitator_field_tells_nothing_about_the_addresses_typed(app):
    owner = make_user(role="facilitator", language="en")
    make_user(email="staff@example.org", role="facilitator")
    make_user(email="learner@example.org")
    client = signed_in(app, owner)
    answers = []
    for typed in ("staff@example.org", "learner@example.org", "nobody@example.org"):
        response = client.post("/workshops/new", data=dict(FORM, title=f"Atelier {typed}", cofacilitators=typed),
                               follow_redirects=True)
        answers.append((response.status_code, text(response).replace(typed, "(address)")
                        .replace(f"Atelier {typed}", "(title)")))
    assert answers[0][0] == 200 and "Invited to co-facilitate: (address)" in answers[0][1]
    pages = [re.sub(r"[A-Z]{4}-?[A-Z]{4}|/workshops/\d+|value=\"[^\"]*\"|data:image/[^\"]*", "", a[1]) for a in answers]
    assert pages[0] == pages[1] == pages[2]


def test_a_trainee_invited_by_address_cannot_accept(app):
    owner = make_user(role="facilitator", language="en")
    learner = make_user(email="learner@example.org", language="en")
    signed_in(app, owner).post("/workshops/new", data=dict(FORM, cofacilitators="learner@example.org"))
    from webapp.models import CofacilitatorInvitation
    invitation = db.session.scalar(select(CofacilitatorInvitation))
    client = signed_in(app, learner)
    assert "Invitations to co-facilitate" not in text(client.get("/workshops"))
    assert client.post(f"/workshops/invitations/{invitation.id}", data={"answer": "accept"}).status_code == 404
    assert db.session.scalar(select(Workshop)).cofacilitators == []


def test_an_administrator_adds_co_facilitators_directly(app):
    admin = make_user(email="admin@example.org", role="admin", language="en")
    colleague = make_user(email="colleague@example.org", role="facilitator")
    signed_in(app, admin).post("/workshops/new", data=dict(FORM, cofacilitators="colleague@example.org"))
    assert [c.user_id for c in db.session.scalar(select(Workshop)).cofacilitators] == [colleague.id]
    refused = signed_in(app, admin).post("/workshops/new", data=dict(FORM, cofacilitators="nobody@example.org"))
    assert refused.status_code == 400 and "nobody@example.org" in text(refused)


def test_editing_a_workshop_changes_its_lessons_threshold_and_co_facilitators(app):
    owner = make_user(role="facilitator", language="en")
    colleague = make_user(role="facilitator")
    workshop = make_workshop(owner, cofacilitators=[colleague], days=3)
    client = signed_in(app, owner)
    form = text(client.get(f"/workshops/{workshop.id}/edit"))
    assert colleague.email in form
    response = client.post(f"/workshops/{workshop.id}/edit", data=dict(
        FORM, lessons=["second-steps"], attendance_threshold="2", due_date="2026-03-20"))
    assert response.status_code == 302
    workshop = db.session.get(Workshop, workshop.id)
    assert workshop.lessons == ["second-steps"] and workshop.attendance_threshold == 2
    assert workshop.required_days == 2 and workshop.cofacilitators == []
    assert str(workshop.due_date) == "2026-03-20"


# Joining -------------------------------------------------------------------------------------------

def members_of(workshop):
    return db.session.scalar(select(func.count()).select_from(WorkshopMember)
                             .where(WorkshopMember.workshop_id == workshop.id))


def test_a_trainee_types_the_code_in_any_case_and_joins(app):
    workshop = make_workshop(make_user(role="facilitator"))
    client = signed_in(app, make_user(language="en"))
    typed = workshop.join_code[:3].lower() + "-" + workshop.join_code[3:].lower()
    response = client.get(f"/join?code={typed}")
    assert response.headers["Location"] == f"/join/{workshop.join_code}"
    assert "Join this workshop" in text(client.get(response.headers["Location"]))
    response = client.post(f"/join/{workshop.join_code}")
    assert response.headers["Location"] == f"/workshops/{workshop.id}"
    assert "Welcome! You have joined “Atelier de Dakar”." in text(client.get(response.headers["Location"]))
    assert members_of(workshop) == 1


def test_a_visitor_registers_first_and_lands_back_in_the_workshop(app, client):
    workshop = make_workshop(make_user(role="facilitator"), title="Atelier de Rabat")
    link = f"/join/{workshop.join_code}"
    page = text(client.get(link, headers={"Accept-Language": "en"}))
    assert "Atelier de Rabat" in page and f"/register?next=/join/{workshop.join_code}" in page
    response = client.post(f"/register?next={link}", data={
        "name": "Aïssatou Diallo", "email": "aissatou@example.org", "password": "a long sentence of mine",
        "confirm": "a long sentence of mine", "organisation": "Police", "country": "SN",
        "profession": "police", "language": "en"})
    assert response.headers["Location"] == link
    assert client.post(link).headers["Location"] == f"/workshops/{workshop.id}"
    assert members_of(workshop) == 1


def test_signing_in_from_the_join_link_comes_back_to_it(app, client):
    workshop = make_workshop(make_user(role="facilitator"))
    user = make_user(language="en")
    link = f"/join/{workshop.join_code}"
    response = client.post(f"/login?next={link}", data={"email": user.email, "password": "correct horse battery"})
    assert response.headers["Location"] == link
    # an anonymous "join" goes to sign in first, never joins anyone
    assert app.test_client().post(link).headers["Location"].startswith("/login")


@pytest.mark.engine_sensitive
def test_joining_twice_is_harmless(app):
    workshop = make_workshop(make_user(role="facilitator"))
    client = signed_in(app, make_user(language="en"))
    client.post(f"/join/{workshop.join_code}")
    response = client.post(f"/join/{workshop.join_code}")
    assert response.headers["Location"] == f"/workshops/{workshop.id}"
    assert "You are already in this workshop." in text(client.get(response.headers["Location"]))
    assert client.get(f"/join/{workshop.join_code}").headers["Location"] == f"/workshops/{workshop.id}"
    assert services.join(workshop, db.session.get(User, db.session.scalar(select(WorkshopMember.user_id)))) is False
    assert members_of(workshop) == 1


def test_a_facilitator_closes_joining_and_nobody_new_can_join(app):
    owner = make_user(role="facilitator", language="en")
    workshop = make_workshop(owner)
    early = make_user()
    join_workshop(workshop, early)
    facilitator = signed_in(app, owner)
    facilitator.post(f"/workshops/{workshop.id}/joining", data={"open": "0"})
    latecomer = signed_in(app, make_user(language="en"))
    response = latecomer.post(f"/join/{workshop.join_code}")
    assert response.status_code == 404 and "No open workshop has this code" in text(response)
    assert members_of(workshop) == 1
    # those already in still get in
    assert signed_in(app, early).get(f"/workshops/{workshop.id}").status_code == 200
    facilitator.post(f"/workshops/{workshop.id}/joining", data={"open": "1"})
    assert latecomer.post(f"/join/{workshop.join_code}").status_code == 302
    assert members_of(workshop) == 2


def test_an_unknown_code_says_so(app):
    client = signed_in(app, make_user(language="en"))
    response = client.get("/join?code=ZZZZZZ")
    assert response.status_code == 404 and "No open workshop has this code" in text(response)
    assert client.get("/join/ZZZZZZ").status_code == 404
    assert client.post("/join/ZZZZZZ").status_code == 404
    assert client.get("/join?code=").status_code == 400
    assert client.get("/join").status_code == 200


# Found in review: what a real room does to these pages ------------------------------------------------

@pytest.mark.engine_sensitive
def test_creating_twice_in_a_row_makes_one_workshop(app):
    client = signed_in(app, make_user(role="facilitator", language="en"))
    first = client.post("/workshops/new", data=FORM)
    again = client.post("/workshops/new", data=FORM)
    assert first.headers["Location"] == again.headers["Location"]
    assert workshops_count() == 1
    client.post("/workshops/new", data=dict(FORM, title="Atelier de Bamako"))
    assert workshops_count() == 2


def test_an_edit_form_sent_without_the_co_facilitators_field_is_not_an_error(app):
    owner = make_user(role="facilitator", language="en")
    colleague = make_user(email="colleague@example.org", role="facilitator")
    workshop = make_workshop(owner, cofacilitators=[colleague])
    form = {k: v for k, v in FORM.items() if k != "cofacilitators"}
    response = signed_in(app, owner).post(f"/workshops/{workshop.id}/edit", data=form)
    assert response.status_code == 302
    db.session.refresh(workshop)
    assert workshop.title == "Atelier régional" and workshop.cofacilitators == []


def test_a_facilitator_made_a_trainee_again_no_longer_sees_her_workshops(app):
    owner = make_user(role="facilitator", language="en")
    colleague = make_user(role="facilitator", language="en")
    workshop = make_workshop(owner, cofacilitators=[colleague])
    client = signed_in(app, colleague)
    assert client.get(f"/workshops/{workshop.id}/roster").status_code == 200
    colleague.role = "trainee"
    db.session.commit()
    for page in ("", "/roster", "/roster.csv", "/edit", "/people"):
        assert client.get(f"/workshops/{workshop.id}{page}").status_code == 404, page
    assert "Atelier de Dakar" not in text(client.get("/workshops"))


def test_joining_closed_offers_no_account_creation_to_a_visitor(app, client):
    workshop = make_workshop(make_user(role="facilitator"))
    services.set_joining(workshop, False)
    response = client.get(f"/join/{workshop.join_code}", headers={"Accept-Language": "en"})
    main = text(response).split("<main", 1)[1]
    assert response.status_code == 404 and "No open workshop has this code" in main and "/register" not in main


def test_a_facilitator_removes_a_trainee_who_should_not_be_there_and_changes_the_code(app):
    from datetime import date

    from webapp.models import AttendanceMark
    owner = make_user(role="facilitator", language="en")
    workshop = make_workshop(owner)
    ana, stranger = make_user(name="Ana", language="en"), make_user(name="Photo Stranger", language="en")
    join_workshop(workshop, ana, stranger)
    services.mark(workshop, stranger.id, date(2026, 3, 24), True, owner)
    client = signed_in(app, owner)
    people = text(client.get(f"/workshops/{workshop.id}/people"))
    assert "Ana" in people and "Photo Stranger" in people
    ask = client.get(f"/workshops/{workshop.id}/people/{stranger.id}/remove")
    assert ask.status_code == 200 and "Remove Photo Stranger from the workshop?" in text(ask)
    assert members_of(workshop) == 2  # asking changes nothing
    response = client.post(f"/workshops/{workshop.id}/people/{stranger.id}/remove")
    assert response.headers["Location"] == f"/workshops/{workshop.id}/people"
    assert "Photo Stranger is no longer in the workshop." in text(client.get(response.headers["Location"]))
    assert members_of(workshop) == 1
    assert db.session.scalar(select(func.count()).select_from(AttendanceMark)) == 0
    assert "Photo Stranger" not in text(client.get(f"/workshops/{workshop.id}/roster"))
    assert client.post(f"/workshops/{workshop.id}/people/{stranger.id}/remove").status_code == 404  # already out
    old = workshop.join_code
    client.post(f"/workshops/{workshop.id}/code")
    db.session.refresh(workshop)
    assert workshop.join_code != old and set(workshop.join_code) <= set(services.CODE_ALPHABET)
    assert client.get(f"/join/{old}").status_code == 404
    assert signed_in(app, ana).get(f"/workshops/{workshop.id}").status_code == 200  # still in


def test_a_trainee_cannot_remove_anyone_nor_change_the_code(app):
    workshop = make_workshop(make_user(role="facilitator"))
    ana, ben = make_user(language="en"), make_user(language="en")
    join_workshop(workshop, ana, ben)
    client = signed_in(app, ana)
    assert client.post(f"/workshops/{workshop.id}/people/{ben.id}/remove").status_code == 403
    assert client.post(f"/workshops/{workshop.id}/code").status_code == 403
    assert members_of(workshop) == 2


def _threshold_options(page):
    select = re.search(r'<select[^>]*id="attendance_threshold".*?</select>', page, re.S)[0]
    return re.findall(r'<option[^>]*>([^<]*)</option>', select)


def test_the_attendance_threshold_offers_only_what_the_workshops_days_allow(app):
    owner = make_user(role="facilitator", language="en")
    client = signed_in(app, owner)
    three = make_workshop(owner, days=3)
    assert _threshold_options(text(client.get(f"/workshops/{three.id}/edit"))) == [
        "Every day of the workshop", "At least 1 day", "At least 2 days"]
    one = make_workshop(owner, days=1)
    assert _threshold_options(text(client.get(f"/workshops/{one.id}/edit"))) == ["Every day of the workshop"]
    # a form sent back with an error offers what its own dates allow (two days here)
    refused = client.post("/workshops/new", data=dict(FORM, end_date="2026-03-25", title=""))
    assert refused.status_code == 400
    assert _threshold_options(text(refused)) == ["Every day of the workshop", "At least 1 day"]
