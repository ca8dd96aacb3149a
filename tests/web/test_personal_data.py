"""Personal data: a trainee sees her records, downloads them all, deletes her account."""
import json
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import JSON, String, Text, select

from webapp.auth import tokens
from webapp.certificates import services
from webapp.certificates.numbers import display
from webapp.extensions import db
from webapp.models import Attempt, LessonProgress, User, UserSession
from webapp.records import personal, reports

from ..factories import make_user
from ..records_builders import complete_course, take_quiz

pytestmark = pytest.mark.engine_sensitive  # deleting an account relies on the engine's cascades

EN = {"Accept-Language": "en"}
NAME, EMAIL, ORG = "Aïssatou N'Diaye", "aissatou@example.org", "Brigade des mineurs de Thiès"


def _trainee():
    user = make_user(name=NAME, email=EMAIL, organisation=ORG, language="en", country="SN", profession="police")
    complete_course(user, at=datetime(2026, 3, 10, 10, 0))
    take_quiz(user, quiz="first-steps", score=0.5)
    [cert] = services.issue_due(user.id)
    return user, display(cert.number)


def test_my_records_shows_lessons_attempts_and_certificates(client, auth):
    user, number = _trainee()
    auth.login(EMAIL)
    page = client.get("/records", headers=EN).get_data(as_text=True)
    assert "First steps" in page and "Second steps" in page
    assert "Final assessment" in page and "90 %" in page and "Passed" in page
    assert "50 %" in page and "Not passed" in page
    assert number in page and f"/certificates/{number}/pdf" in page
    assert "You have not joined a workshop." in page


def test_my_records_shows_the_latest_attempts_and_says_where_the_others_are(client, auth):
    user = make_user(name=NAME, email=EMAIL, language="en")
    for n in range(personal.SHOWN_ATTEMPTS + 5):
        take_quiz(user, quiz="first-steps", score=0.5, at=datetime(2026, 3, 1, 8) + timedelta(minutes=n))
    auth.login(EMAIL)
    page = client.get("/records", headers=EN).get_data(as_text=True)
    assert page.count("/result") == personal.SHOWN_ATTEMPTS
    assert f"These are your {personal.SHOWN_ATTEMPTS} latest attempts of {personal.SHOWN_ATTEMPTS + 5}." in page
    data = client.get("/records/my-data.json").get_json()
    assert len(data["quiz_attempts"]) == personal.SHOWN_ATTEMPTS + 5


def test_my_records_needs_an_account(client):
    assert client.get("/records").headers["Location"].startswith("/login")
    assert client.get("/records/my-data.json").headers["Location"].startswith("/login")
    assert client.get("/records/delete").headers["Location"].startswith("/login")


def test_she_downloads_all_her_data_and_nobody_elses(client, auth):
    user, number = _trainee()
    other = make_user(name="Other Person", email="other@example.org")
    complete_course(other)
    auth.login(EMAIL)
    response = client.get("/records/my-data.json")
    assert response.mimetype == "application/json" and "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    assert data["account"]["name"] == NAME and data["account"]["email"] == EMAIL
    assert data["account"]["organisation"] == ORG
    assert {row["lesson"] for row in data["lessons"]} == {"first-steps", "second-steps"}
    assert sorted(a["quiz"] for a in data["quiz_attempts"]) == ["final", "first-steps"]
    # As her certificate shows it, with dashes; the verification page opens with either form.
    assert data["certificates"][0]["number"] == number and number.count("-") == 3
    # The content version she was last tested on, as her certificate keeps it.
    final = max((a for a in data["quiz_attempts"] if a["submitted_at"]), key=lambda a: a["submitted_at"])
    assert data["certificates"][0]["content_version"] == final["content_version"]
    for typed in (number, number.replace("-", "")):
        assert "Valid" in client.get(f"/verify/{typed}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Other Person" not in response.get_data(as_text=True)
    assert "other@example.org" not in response.get_data(as_text=True)


def test_the_download_holds_no_session_id_her_cookie_carries(client, auth):
    """Her signed-in sessions are listed (when they began), never by the id a session cookie
    carries: a copy of the file, left on a shared computer, must not help anyone take a session."""
    user, _ = _trainee()
    auth.login(EMAIL)
    sids = set(db.session.scalars(select(UserSession.id).where(UserSession.user_id == user.id)))
    assert sids
    body = client.get("/records/my-data.json").get_data(as_text=True)
    data = json.loads(body)
    assert data["other"]["user_session"] and all("id" not in row for row in data["other"]["user_session"])
    assert not any(sid in body for sid in sids)
    assert set(db.session.scalars(select(UserSession.id).where(UserSession.user_id == user.id))) == sids


def test_every_table_about_a_user_is_in_the_download(app):
    """A table added later that points at a user is exported too, never silently left out."""
    user, _ = _trainee()
    data = personal.export(user)
    covered = personal.EXPORTED
    for table in db.metadata.sorted_tables:
        if personal.user_columns(table) and table.name not in covered:
            assert table.name in data["other"] or not db.session.execute(
                select(table).where(db.or_(*(c == user.id for c in personal.user_columns(table))))).first()


def _texts_in_database():
    """Every text value stored anywhere in the database."""
    values = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, (String, Text, JSON))]
        if columns:
            for row in db.session.execute(select(*columns)):
                values.extend(json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v for v in row)
    return values


def test_deleting_her_account_removes_her_personal_data_and_keeps_anonymous_results(client, auth):
    user, number = _trainee()
    user_id = user.id
    reset_link = tokens.issue_reset(user, 24)                    # a reset link she did not use
    auth.login("nobody@example.org", "wrong password")          # a failed sign-in recorded under her email
    auth.login(EMAIL, "wrong password")
    auth.login(EMAIL)
    before = reports.completions(date(2026, 1, 1), date(2026, 12, 31)).total
    assert client.post("/records/delete", data={"password": "wrong", "confirm": "y"}, headers=EN).status_code == 400
    assert client.post("/records/delete", data={"password": "correct horse battery"}, headers=EN).status_code == 400
    assert db.session.get(User, user_id).email == EMAIL          # nothing changed on a refused form
    response = client.post("/records/delete", data={"password": "correct horse battery", "confirm": "y"})
    assert response.status_code == 302
    home = client.get("/", headers=EN).get_data(as_text=True)
    assert "Your account and your personal data are deleted." in home
    # no personal data left anywhere
    for value in _texts_in_database():
        for secret in (NAME, EMAIL, ORG, "N'Diaye"):
            assert secret not in (value or ""), value
    # signed out, and she can no longer sign in, not even with an old reset link
    assert client.get("/records").status_code == 302
    assert auth.login(EMAIL).status_code == 401
    assert tokens.find(reset_link, tokens.RESET) is None
    # anonymous results stay and still count
    assert db.session.scalars(select(LessonProgress).where(LessonProgress.user_id == user_id)).all()
    assert db.session.scalars(select(Attempt).where(Attempt.user_id == user_id)).all()
    assert reports.completions(date(2026, 1, 1), date(2026, 12, 31)).total == before == 1
    # her certificate shows as revoked, without her name
    page = client.get(f"/verify/{number}", headers=EN).get_data(as_text=True)
    assert "This certificate has been revoked" in page and "<dd>Deleted account</dd>" in page and NAME not in page


def test_an_erased_account_gets_no_new_certificate(app):
    from webapp.records import erasure
    user = make_user()
    erasure.erase_account(user)
    complete_course(user)
    assert services.issue_due(user.id) == []


def test_an_admin_cannot_delete_her_account_here(client, auth):
    make_user(email="admin@example.org", role="admin")
    auth.login("admin@example.org")
    response = client.post("/records/delete", data={"password": "correct horse battery", "confirm": "y"})
    assert response.status_code == 302
    assert db.session.scalar(select(User).where(User.email == "admin@example.org")) is not None


def test_an_admin_sees_deleted_account_and_why_on_the_certificate_of_someone_who_deleted_it(client, auth):
    from webapp.records import erasure
    user, number = _trainee()
    erasure.erase_account(user)
    make_user(email="admin@example.org", role="admin", language="en")
    auth.login("admin@example.org")
    page = client.get(f"/certificates/{number}").get_data(as_text=True)
    assert '<p class="certificate-holder">Deleted account</p>' in page
    assert "The holder deleted her account." in page and f"/certificates/{number}/pdf" not in page
    assert client.get(f"/certificates/{number}/pdf").status_code == 404
    detail = client.get(f"/admin/certificates/{number}").get_data(as_text=True)
    assert "<dd>Deleted account</dd>" in detail and "The holder deleted her account." in detail


def test_deleting_accounts_with_workshop_data_leaves_nothing_personal_and_the_workshop_working(app):
    """A trainee with a membership, attendance, a live answer and pre/post tests, and the facilitator
    who created the workshop, both delete their accounts; its other facilitator carries on."""
    from webapp.models import AttendanceMark, LiveAnswer, WorkshopMember

    from ..factories import join_workshop, make_workshop
    from .test_workshops_knowledge import sit
    from .workshop_helpers import current_live, live_form, signed_in, text
    trainee, _ = _trainee()
    owner = make_user(name="Fatou Sow", email="fatou.sow@example.org", organisation="Direction de la police des frontières",
                      role="facilitator", language="en")
    colleague = make_user(name="Other Facilitator", email="colleague@example.org", role="facilitator", language="en")
    w = make_workshop(owner, cofacilitators=[colleague])
    workshop_id, day, other = w.id, w.days[0].isoformat(), make_user(name="Ben Traoré")
    join_workshop(w, trainee, other)
    facilitator, her = signed_in(app, owner), signed_in(app, trainee)
    assert facilitator.post(f"/workshops/{workshop_id}/attendance/{day}",
                            data={"present": [str(trainee.id), str(other.id)]}).status_code == 302
    facilitator.post(f"/workshops/{workshop_id}/live", data={"question": "fs-elements"})
    live = current_live(workshop_id)
    assert her.post(f"/workshops/{workshop_id}/live/{live.id}/answer", data=live_form(live, "b")).status_code == 303
    facilitator.post(f"/workshops/{workshop_id}/tests/pre/open")
    sit(her, w, "pre")
    facilitator.post(f"/workshops/{workshop_id}/tests/pre/close")
    facilitator.post(f"/workshops/{workshop_id}/tests/post/compose", data={"per_lesson": "1", "mode": "same"})
    facilitator.post(f"/workshops/{workshop_id}/tests/post/open")
    sit(her, w, "post")
    trainee_id = trainee.id
    for client in (her, facilitator):
        response = client.post("/records/delete", data={"password": "correct horse battery", "confirm": "y"})
        assert response.status_code == 302, text(response)
    personal = (NAME, EMAIL, ORG, "N'Diaye", "Fatou Sow", "fatou.sow@example.org", "Direction de la police")
    for value in _texts_in_database():
        for secret in personal:
            assert secret not in (value or ""), value
    # her anonymous workshop facts stay (counted by the reports), under her anonymous number
    assert db.session.scalar(select(WorkshopMember.id).where(WorkshopMember.user_id == trainee_id))
    assert db.session.scalar(select(AttendanceMark.id).where(AttendanceMark.user_id == trainee_id))
    assert db.session.scalar(select(LiveAnswer.id).where(LiveAnswer.user_id == trainee_id))
    # the other facilitator's pages of the workshop all work and name neither of them
    colleague_client = signed_in(app, colleague)
    pages = ["", "/attendance", f"/attendance/{day}", "/roster", "/roster.csv", "/people", "/live", "/live/panel",
             "/tests", "/items", "/pack", "/projector", "/qr.svg", "/edit"]
    for page in pages:
        response = colleague_client.get(f"/workshops/{workshop_id}{page}")
        assert response.status_code == 200, (page, response.status_code)
        body = response.get_data(as_text=True)
        assert not [secret for secret in personal if secret in body], page
    assert "Ben Traoré" in text(colleague_client.get(f"/workshops/{workshop_id}/roster"))
    admin = make_user(email="admin@example.org", role="admin", language="en")
    admin_client = signed_in(app, admin)
    for page in ("/admin/reports", "/admin/certificates", "/admin/reports/workshops.csv"):
        assert admin_client.get(page, query_string={"start": "2026-01-01", "end": "2026-12-31"}).status_code == 200


def test_a_french_trainee_saves_her_files_under_french_names(client, auth):
    """Downloads are named in the site's language (plain ASCII); the certificate number keeps its dashes."""
    user, number = _trainee()
    user.language = "fr"
    db.session.commit()
    auth.login(EMAIL)
    names = {url: client.get(url).headers["Content-Disposition"]
             for url in ("/records/my-data.json", f"/certificates/{number}/credential", "/credentials/verifier.html")}
    assert names == {"/records/my-data.json": 'attachment; filename="passerelle-mes-donnees.json"',
                     f"/certificates/{number}/credential": f'attachment; filename="passerelle-{number}.attestation.jwt"',
                     "/credentials/verifier.html": 'attachment; filename="passerelle-verificateur.html"'}
    auth.logout()
    english = client.get("/credentials/verifier.html", headers={"Accept-Language": "en"})
    assert english.headers["Content-Disposition"] == 'attachment; filename="passerelle-verifier.html"'
