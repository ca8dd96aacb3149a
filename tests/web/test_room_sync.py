"""Sending a room's records home (issue 17): a room laptop (its own app and SQLite file) sends what
it made to the central site in signed bundles; every record arrives once, equal column by column,
whatever is repeated, cut or forged. The room's HTTP client talks to the central app's test client
(tests/room_helpers.py); tests/ops/test_room_sync_two_processes.py does it with two real servers."""
from __future__ import annotations

import json
import re
import urllib.error
from datetime import date, timedelta

import pytest
from flask import url_for
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from webapp.auth import services as auth
from webapp.content import catalog
from webapp.credentials import vcjwt
from webapp.extensions import db
from webapp.models import (
    Attempt,
    AttendanceMark,
    Certificate,
    LessonProgress,
    LiveAnswer,
    LiveQuestion,
    ReceivedBundle,
    RoomAccount,
    RoomKit,
    User,
    Workshop,
    WorkshopMember,
)
from webapp.models.attempt import FINAL
from webapp.models.base import utcnow
from webapp.progress import services as progress
from webapp.quizzes import services as quizzes
from webapp.rooms import bundles, keys, kits, sync_client
from webapp.workshops import live
from webapp.workshops import services as workshops
from webapp.zones import day_in, workshop_today

from ..factories import join_workshop, make_user, make_workshop
from ..records_builders import complete_lessons
from ..room_helpers import (
    CENTRAL_URL,
    assert_arrived,
    central_kit,
    kit_snapshot,
    make_room_app,
    records_by_uid,
    room_from_kit,
    room_user,
    wire,
)
from .test_quizzes import right_answers
from .workshop_helpers import signed_in, text

FACILITATOR, AMINA, BEN = "fatou@example.org", "amina@example.org", "ben@example.org"


@pytest.fixture
def central(app):
    """The central site: a workshop (over by now) with its facilitator and two trainees."""
    owner = make_user(email=FACILITATOR, role="facilitator", language="en", name="Fatou Sow")
    workshop = make_workshop(owner, start=date(2026, 3, 24), days=2)
    join_workshop(workshop, make_user(email=AMINA, language="en", name="Amina"),
                  make_user(email=BEN, language="en", name="Ben"))
    return workshop


def new_room(app, tmp_path, workshop, name="room", label="Laptop"):
    kit, jwk = central_kit(app, workshop, label=label)
    snapshot = kit_snapshot(workshop, kit, jwk)
    room_app = make_room_app(tmp_path, name)
    room_from_kit(room_app, snapshot)
    return room_app, kit


def take_quiz(user_id: int, quiz: str, wrong=()) -> Attempt:
    cat = catalog()
    attempt = quizzes.start(cat, user_id, quiz)
    quizzes.submit(cat, attempt, MultiDict(right_answers(attempt.id, wrong=wrong)))
    return attempt


def room_day(room_app, *, newcomer="newcomer@example.org") -> None:
    """A day in the room: reading, a quiz, a live question answered, attendance, a newcomer."""
    with room_app.app_context():
        workshop = db.session.scalar(select(Workshop))
        fatou, amina, ben = room_user(FACILITATOR), room_user(AMINA), room_user(BEN)
        progress.record_visit(amina.id, "first-steps")
        progress.mark_read(amina.id, "first-steps")
        progress.record_visit(ben.id, "second-steps")
        attempt = take_quiz(amina.id, "first-steps")
        progress.complete_by_quiz(amina.id, "first-steps", attempt.submitted_at)
        db.session.commit()
        question = live.open_question(workshop, catalog().question("fs-elements"))
        token = {option: tok for tok, option in question.layout["tokens"].items()}
        live.answer(catalog(), question, amina.id, MultiDict({f"q-{question.question_id}": token["b"]}))
        live.close(question)
        workshops.mark(workshop, amina.id, workshop.start_date, True, fatou)
        workshops.mark(workshop, ben.id, workshop.start_date, True, fatou)
        if newcomer:
            person = auth.register(name="Nadia Newcomer", email=newcomer, password="a room password",
                                   organisation="ONG", country="NE", profession="ngo", language="en")
            workshops.join(workshop, person)
            progress.record_visit(person.id, "first-steps")
            take_quiz(person.id, "first-steps", wrong=("fs-elements",))
        db.session.commit()


def send(room_app, central_app, monkeypatch, **wiring):
    wire(monkeypatch, central_app, **wiring)
    with room_app.app_context():
        result = sync_client.sync()
    db.session.expire_all()  # the central test session sees what the requests wrote
    return result


def not_sent(room_app) -> int:
    with room_app.app_context():
        return bundles.not_sent_count(bundles.install())


def room_engine(room_app):
    with room_app.app_context():
        return db.engine


@pytest.mark.engine_sensitive
def test_a_room_day_arrives_whole_equal_row_by_row_and_the_kit_shows_the_sync(app, central, tmp_path, monkeypatch):
    room_app, kit = new_room(app, tmp_path, central)
    room_day(room_app)
    waiting = not_sent(room_app)
    assert waiting > 10
    result = send(room_app, app, monkeypatch)
    assert result.ok and result.sent == waiting and result.left == 0
    assert not_sent(room_app) == 0
    assert_arrived(room_engine(room_app), db.engine)
    kit = db.session.get(RoomKit, kit.id)
    assert kit.last_synced_at is not None and kit.synced_records == waiting
    # sending again sends nothing and changes nothing
    before = records_by_uid(db.engine)
    again = send(room_app, app, monkeypatch)
    assert again.ok and again.sent == 0 and again.bundles == 0
    assert records_by_uid(db.engine) == before


def test_no_password_hash_travels_and_a_room_account_never_takes_a_central_address(app, central, tmp_path, monkeypatch):
    room_app, _kit = new_room(app, tmp_path, central)
    room_day(room_app, newcomer=BEN.replace("ben", "ben.central"))
    make_user(email=BEN.replace("ben", "ben.central"), language="en", name="Someone else")  # the typed address's owner
    log = []
    wire(monkeypatch, app, log=log)
    sent_bodies = []
    real_sign = bundles.sign

    def spy(body, key=None):
        sent_bodies.append(body)
        return real_sign(body, key)
    monkeypatch.setattr(bundles, "sign", spy)
    with room_app.app_context():
        assert sync_client.sync().ok
        newcomer_uid = room_user("ben.central@example.org").uid
    assert "password" not in json.dumps(sent_bodies)
    placeholder = db.session.scalar(select(User).where(User.uid == newcomer_uid))
    assert placeholder.email != "ben.central@example.org" and placeholder.email.endswith("@rooms.invalid")
    assert not auth.check_password(placeholder, "a room password")
    account = db.session.scalar(select(RoomAccount).where(RoomAccount.user_id == placeholder.id))
    assert account.typed_email == "ben.central@example.org" and account.claimed_by_id is None
    owner = auth.find_user("ben.central@example.org")
    assert owner.name == "Someone else" and owner.id != placeholder.id
    assert db.session.scalar(select(func.count()).select_from(Attempt).where(Attempt.user_id == owner.id)) == 0


def test_a_changed_record_is_sent_again_and_an_unchanged_one_is_not(app, central, tmp_path, monkeypatch):
    room_app, _kit = new_room(app, tmp_path, central)
    room_day(room_app, newcomer=None)
    assert send(room_app, app, monkeypatch).ok
    with room_app.app_context():
        workshop = db.session.scalar(select(Workshop))
        ben, fatou = room_user(BEN), room_user(FACILITATOR)
        progress.mark_read(ben.id, "second-steps")          # progress moved on
        workshops.mark(workshop, ben.id, workshop.end_date, True, fatou)  # a day ticked
    assert not_sent(room_app) == 2
    log = []
    result = send(room_app, app, monkeypatch, log=log)
    # both travel; the central site counts only the day as new (the progress it had, now moved on)
    assert result.ok and result.sent == 2 and log[0][1]["records"] == 1
    assert_arrived(room_engine(room_app), db.engine)
    row = db.session.scalar(select(LessonProgress).join(User).where(User.email == BEN))
    assert row.read_at is not None


def test_a_failed_transfer_leaves_everything_unsent_and_the_next_run_sends_it_once(app, central, tmp_path, monkeypatch):
    room_app, _kit = new_room(app, tmp_path, central)
    room_day(room_app)
    waiting = not_sent(room_app)
    for failure in ({"fail": urllib.error.URLError("no route to host")}, {"fail": ConnectionResetError()},
                    {"fail": TimeoutError()}):
        result = send(room_app, app, monkeypatch, **failure)
        assert not result.ok and not result.refused and "nothing was lost" in result.error
        assert not_sent(room_app) == waiting
    # The central site applied the bundle but its answer was lost (a 502 from a proxy, a cut answer):
    # the room sends the records again, and the central site finds them instead of adding them.
    result = send(room_app, app, monkeypatch, status=502)
    assert not result.ok and not_sent(room_app) == waiting
    assert db.session.scalar(select(func.count()).select_from(ReceivedBundle)) == 1
    assert send(room_app, app, monkeypatch).ok and not_sent(room_app) == 0
    assert_arrived(room_engine(room_app), db.engine)
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 2
    assert db.session.scalar(select(func.count()).select_from(LiveAnswer)) == 1


def test_small_bundles_all_arrive_in_order(app, central, tmp_path, monkeypatch):
    room_app, _kit = new_room(app, tmp_path, central)
    room_app.config["ROOM_BUNDLE_RECORDS"] = 2
    room_day(room_app)
    waiting = not_sent(room_app)
    result = send(room_app, app, monkeypatch)
    assert result.ok and result.bundles == (waiting + 1) // 2
    assert db.session.scalar(select(func.count()).select_from(ReceivedBundle)) == result.bundles
    assert_arrived(room_engine(room_app), db.engine)


def signed_bundle(room_app, **changes) -> tuple[str, dict]:
    with room_app.app_context():
        room = bundles.install()
        workshop_uid = db.session.get(Workshop, room.workshop_id).uid
        body = bundles.payload(room, workshop_uid, bundles.unsent(bundles.collect(room)))
        body.update(changes)
        return bundles.sign(body), body


def post(app, text):
    response = app.test_client().post("/rooms/sync", data=text, headers={"Content-Type": "application/jose", "Accept-Language": "en"})
    db.session.expire_all()
    return response


def central_rows():
    return {kind: len(rows) for kind, rows in records_by_uid(db.engine).items()}


@pytest.mark.engine_sensitive
def test_the_same_bundle_twice_is_applied_once(app, central, tmp_path):
    room_app, kit = new_room(app, tmp_path, central)
    room_day(room_app)
    text_, body = signed_bundle(room_app)
    first = post(app, text_)
    assert first.status_code == 200 and first.get_json()["status"] == "applied"
    after_first = records_by_uid(db.engine)
    second = post(app, text_)
    assert second.status_code == 200 and second.get_json()["status"] == "already_received"
    assert records_by_uid(db.engine) == after_first
    assert db.session.get(RoomKit, kit.id).synced_records == len(body["records"])


@pytest.mark.engine_sensitive
def test_records_sent_again_in_a_new_bundle_are_counted_once(app, central, tmp_path):
    """The central site kept a bundle but its answer was lost: the room sends the same records again
    in a new bundle. They are applied again (changing nothing) and not counted again."""
    room_app, kit = new_room(app, tmp_path, central)
    room_day(room_app)
    first_text, body = signed_bundle(room_app)
    again_text, again = signed_bundle(room_app)
    assert again["bundle"] != body["bundle"] and again["records"] == body["records"]
    first = post(app, first_text)
    assert first.get_json()["records"] == len(body["records"])
    after_first = records_by_uid(db.engine)
    second = post(app, again_text)
    assert second.status_code == 200 and second.get_json()["status"] == "applied"
    assert second.get_json()["records"] == 0
    assert records_by_uid(db.engine) == after_first
    assert db.session.get(RoomKit, kit.id).synced_records == len(body["records"])
    page = text(signed_in(app, db.session.get(User, central.owner_id)).get(f"/rooms/workshops/{central.id}/records"))
    assert f"{len(body['records'])} records" in page
    assert f"{2 * len(body['records'])} records" not in page


@pytest.mark.parametrize("tamper", ["payload", "signature", "other_key"])
def test_a_forged_or_altered_bundle_is_refused_and_nothing_is_written(app, central, tmp_path, tamper):
    room_app, _kit = new_room(app, tmp_path, central)
    room_day(room_app)
    text_, body = signed_bundle(room_app)
    head, payload, signature = text_.split(".")
    if tamper == "payload":
        body["records"][0]["name"] = "Mallory"
        text_ = ".".join([head, vcjwt.b64url(vcjwt.compact_json(body)), signature])
    elif tamper == "signature":
        text_ = ".".join([head, payload, signature[:-4] + ("AAAA" if signature[-4:] != "AAAA" else "BBBB")])
    else:
        text_ = vcjwt.sign(body, keys.new_room_key(), kid=body["kit"], typ=bundles.TYP)
    before = central_rows()
    response = post(app, text_)
    assert response.status_code == 400 and response.get_json()["error"] == "bad_signature"
    assert "signature does not hold" in response.get_json()["message"]
    assert central_rows() == before
    assert db.session.scalar(select(func.count()).select_from(ReceivedBundle)) == 0


def test_refusals_are_clear_and_write_nothing(app, central, tmp_path):
    room_app, kit = new_room(app, tmp_path, central)
    room_day(room_app)
    before = central_rows()
    assert post(app, "").status_code == 400
    assert post(app, "not.a.bundle").get_json()["error"] == "malformed"
    # another workshop, signed by the right key: refused
    other = make_workshop(db.session.get(User, central.owner_id), title="Autre atelier")
    text_, _body = signed_bundle(room_app, workshop=other.uid)
    response = post(app, text_)
    assert response.status_code == 400 and response.get_json()["error"] == "wrong_workshop"
    # a kit this site never issued
    text_, _body = signed_bundle(room_app, kit="00000000-0000-4000-8000-000000000000")
    with room_app.app_context():
        unknown = vcjwt.sign(_body, keys.room_key(), kid=_body["kit"], typ=bundles.TYP)
    response = post(app, unknown)
    assert response.status_code == 404 and response.get_json()["error"] == "unknown_kit"
    # a revoked kit (a stolen laptop)
    db.session.get(RoomKit, kit.id).revoked_at = utcnow()
    db.session.commit()
    text_, _body = signed_bundle(room_app)
    response = post(app, text_)
    assert response.status_code == 403 and response.get_json()["message"] == "This room kit was revoked."
    assert central_rows() == before
    assert db.session.get(RoomKit, kit.id).last_synced_at is None


def test_a_revoked_kit_leaves_the_room_records_unsent_with_the_reason(app, central, tmp_path, monkeypatch):
    room_app, kit = new_room(app, tmp_path, central)
    room_day(room_app)
    db.session.get(RoomKit, kit.id).revoked_at = utcnow()
    db.session.commit()
    waiting = not_sent(room_app)
    result = send(room_app, app, monkeypatch)
    assert result.refused and "This room kit was revoked." in result.error
    assert not_sent(room_app) == waiting


@pytest.mark.engine_sensitive
def test_two_rooms_for_one_workshop_merge(app, central, tmp_path, monkeypatch):
    room_a, _ = new_room(app, tmp_path, central, "a", "Fatou's laptop")
    room_b, _ = new_room(app, tmp_path, central, "b", "Co-facilitator's laptop")
    room_day(room_a, newcomer="nadia@example.org")
    with room_b.app_context():  # the same trainee reads the same lesson on the other laptop, later
        amina, fatou = room_user(AMINA), room_user(FACILITATOR)
        workshop = db.session.scalar(select(Workshop))
        progress.record_visit(amina.id, "first-steps")
        progress.record_place(amina.id, "first-steps", "elements")
        workshops.mark(workshop, amina.id, workshop.start_date, True, fatou)   # ticked on both laptops
        workshops.mark(workshop, amina.id, workshop.end_date, True, fatou)
        take_quiz(amina.id, "first-steps", wrong=("fs-elements",))
    assert send(room_a, app, monkeypatch).ok and send(room_b, app, monkeypatch).ok
    central_records = assert_arrived(room_engine(room_a), db.engine, kinds=("attempt", "live_answer", "live_question"))
    assert_arrived(room_engine(room_b), db.engine, kinds=("attempt",))
    amina = auth.find_user(AMINA)
    assert db.session.scalar(select(func.count()).select_from(Attempt).where(Attempt.user_id == amina.id)) == 2
    days = db.session.scalars(select(AttendanceMark.day).where(AttendanceMark.user_id == amina.id)).all()
    assert sorted(days) == [central.start_date, central.end_date]  # union, the shared day once
    [row] = db.session.scalars(select(LessonProgress).where(LessonProgress.user_id == amina.id)).all()
    room_a_row = records_by_uid(room_engine(room_a))["progress"]
    a_row = next(r for r in room_a_row.values() if r["user"] == amina.uid)
    assert row.read_at == a_row["read_at"] and row.completed_at == a_row["completed_at"]  # completed if either
    assert row.last_section == "elements"                     # the latest visit's place
    assert row.started_at == a_row["started_at"]              # the earliest start
    assert len(central_records["attempt"]) == 3  # two of hers, the newcomer's


def claim_code(room_app, email):
    with room_app.app_context():
        from webapp.rooms import claims
        return dict((user.email, code) for user, code in claims.codes_for_room(bundles.install()))[email]


@pytest.mark.engine_sensitive
def test_a_trainee_claims_her_room_account_once_and_her_records_merge(app, central, tmp_path, monkeypatch):
    room_app, _kit = new_room(app, tmp_path, central)
    room_day(room_app, newcomer="nadia@example.org")
    code = claim_code(room_app, "nadia@example.org")
    assert send(room_app, app, monkeypatch).ok
    nadia = make_user(email="nadia@example.org", language="en", name="Nadia")  # her central account, made later
    progress.record_visit(nadia.id, "first-steps")
    take_quiz(nadia.id, "first-steps")
    browser = signed_in(app, nadia)
    assert browser.post("/rooms/claim", data={"code": "WRONG"}).status_code == 400
    response = browser.post("/rooms/claim", data={"code": code.lower().replace("-", " ")})
    assert response.status_code == 303
    assert "Your records from the workshop room are now in your account" in text(browser.get("/rooms/claim"))
    assert db.session.scalar(select(func.count()).select_from(Attempt).where(Attempt.user_id == nadia.id)) == 2
    assert db.session.scalar(select(func.count()).select_from(LessonProgress).where(LessonProgress.user_id == nadia.id)) == 1
    assert workshops.is_member(central.id, nadia.id)
    again = browser.post("/rooms/claim", data={"code": code})
    assert again.status_code == 400 and "already used" in text(again)
    # records the room sends later under her room account join her account too
    with room_app.app_context():
        room_nadia = room_user("nadia@example.org")
        workshop = db.session.scalar(select(Workshop))
        workshops.mark(workshop, room_nadia.id, workshop.end_date, True, room_user(FACILITATOR))
    assert send(room_app, app, monkeypatch).ok
    assert db.session.scalar(select(AttendanceMark.user_id).where(AttendanceMark.day == central.end_date)) == nadia.id


def amina_earns_everything(room_app, earlier_by: timedelta):
    """In the room, Amina passes every lesson quiz and the final and attends every day, all of it
    ``earlier_by`` before now by the laptop's clock: when her final was submitted."""
    with room_app.app_context():
        amina, fatou = room_user(AMINA), room_user(FACILITATOR)
        workshop = db.session.scalar(select(Workshop))
        for lesson in catalog().lessons:
            attempt = take_quiz(amina.id, lesson.slug)
            progress.complete_by_quiz(amina.id, lesson.slug, attempt.submitted_at)
        final = take_quiz(amina.id, FINAL)
        for day in workshop.days:
            workshops.mark(workshop, amina.id, day, True, fatou)
        db.session.commit()
        for row in db.session.scalars(select(Attempt)):
            row.started_at -= earlier_by
            row.submitted_at -= earlier_by
        for row in db.session.scalars(select(LessonProgress)):
            row.started_at -= earlier_by
            row.visited_at -= earlier_by
            row.completed_at -= earlier_by
        db.session.commit()
        return db.session.get(Attempt, final.id).submitted_at


def test_certificates_are_issued_with_the_room_dates(app, central, tmp_path, monkeypatch):
    room_app, kit = new_room(app, tmp_path, central)
    db.session.get(RoomKit, kit.id).issued_at -= timedelta(days=4)  # made before the room's day, as kits are
    db.session.commit()
    final_at = amina_earns_everything(room_app, earlier_by=timedelta(days=3))  # three days ago
    auth.find_user(AMINA).time_zone = "Pacific/Kiritimati"  # UTC+14: her day is often not UTC's
    db.session.commit()
    assert send(room_app, app, monkeypatch).ok
    amina = auth.find_user(AMINA)
    certificates = {c.scope: c for c in db.session.scalars(select(Certificate).where(Certificate.user_id == amina.id))}
    assert certificates["course"].completed_at == final_at
    # Dated by the room's day in her zone, not by the day the records arrived.
    assert certificates["course"].completed_on == day_in(final_at, "Pacific/Kiritimati")
    assert f"workshop:{central.id}" in certificates


def test_a_laptop_clock_a_month_ahead_is_flagged_and_its_dates_are_not_trusted(app, central, tmp_path, monkeypatch):
    room_app, kit = new_room(app, tmp_path, central)
    room_day(room_app, newcomer=None)
    month = timedelta(days=30)
    with room_app.app_context():  # the laptop's clock was a month ahead all day
        for row in db.session.scalars(select(Attempt)):
            row.started_at += month
            row.submitted_at += month
        for row in db.session.scalars(select(LessonProgress)):
            row.started_at += month
            row.visited_at += month
        db.session.commit()
    room_app.config["ROOM_CLOCK_OFFSET_SECONDS"] = month.total_seconds()
    before = utcnow()
    assert send(room_app, app, monkeypatch).ok
    after = utcnow()
    [bundle] = db.session.scalars(select(ReceivedBundle)).all()
    assert bundle.clock_ahead_seconds > month.total_seconds() - 60 and bundle.future_dated >= 4
    attempt = db.session.scalar(select(Attempt))
    assert before <= attempt.submitted_at <= after  # the time of the sync, not a month ahead
    facilitator = signed_in(app, db.session.get(User, central.owner_id))
    page = text(facilitator.get(f"/rooms/workshops/{central.id}/records"))
    assert "This laptop’s clock was 30 days ahead" in page and "last synced at" in page
    assert kit.label in page


def test_the_room_page_shows_what_is_not_sent_and_sends_it(app, central, tmp_path, monkeypatch):
    room_app, _kit = new_room(app, tmp_path, central)
    room_day(room_app)
    with room_app.app_context():
        waiting = bundles.not_sent_count(bundles.install())
        facilitator = signed_in(room_app, room_user(FACILITATOR))
        trainee = signed_in(room_app, room_user(AMINA))
        assert trainee.get("/rooms/send").status_code == 403
        page = text(facilitator.get("/rooms/send"))
        assert f"{waiting} records not sent yet" in page and "Send to the central site" in page
        assert CENTRAL_URL in page and "before the room kit was made" not in page
        codes = text(facilitator.get("/rooms/claim-codes"))
        assert "Nadia Newcomer" in codes and "newcomer@example.org" in codes and "Fatou" not in codes
        assert f"{CENTRAL_URL}/rooms/claim" in codes
        wire(monkeypatch, app)
        response = facilitator.post("/rooms/send")
        assert response.status_code == 303
        page = text(facilitator.get("/rooms/send"))
        assert "the central site has every record" in page and "Every record of this room has been sent" in page
        bundles.install().kit_issued_at = utcnow() + timedelta(days=2)  # the laptop's clock is behind
        db.session.commit()
        assert "before the room kit was made" in text(facilitator.get("/rooms/send"))
        monkeypatch.setattr(sync_client.urllib.request, "urlopen", lambda *a, **k: (_ for _ in ()).throw(OSError()))
        with room_app.app_context():
            progress.mark_read(room_user(BEN).id, "second-steps")
        facilitator.post("/rooms/send")
        assert "could not be reached" in text(facilitator.get("/rooms/send"))


def test_central_room_pages_are_not_found_on_a_server_that_is_not_a_room(app, central):
    facilitator = signed_in(app, db.session.get(User, central.owner_id))
    assert facilitator.get("/rooms/send").status_code == 404
    assert facilitator.get("/rooms/claim-codes").status_code == 404


def test_the_sync_command_sends_and_reports(app, central, tmp_path, monkeypatch):
    from webapp.rooms.sync_commands import sync_command
    room_app, _kit = new_room(app, tmp_path, central)
    room_day(room_app)
    wire(monkeypatch, app, fail=urllib.error.URLError("down"))
    with room_app.app_context():  # the command runs in the current app's context
        result = room_app.test_cli_runner().invoke(sync_command, ["--central", "http://elsewhere.test"])
    assert result.exit_code == 1 and "0 records sent" in result.output and "nothing was lost" in result.output, result.output
    wire(monkeypatch, app)
    with room_app.app_context():
        result = room_app.test_cli_runner().invoke(sync_command, [])
    assert result.exit_code == 0 and "0 not sent yet" in result.output


@pytest.mark.engine_sensitive
@pytest.mark.parametrize("spoil", ["nul", "huge_number", "huge_position", "unknown_user"])
def test_a_signed_bundle_with_a_bad_record_is_refused_whole(app, central, tmp_path, spoil):
    room_app, _kit = new_room(app, tmp_path, central)
    room_day(room_app)
    with room_app.app_context():
        room = bundles.install()
        records = bundles.collect(room)
        attempt = next(r for r in records if r["type"] == "attempt")
        if spoil == "nul":
            next(r for r in records if r["type"] == "account")["name"] = "Nadia\x00"
        elif spoil == "huge_number":
            attempt["score"] = 10 ** 400
        elif spoil == "huge_position":
            attempt["answers"][0]["position"] = 2 ** 40
        else:
            attempt["user"] = "00000000-0000-4000-8000-000000000000"
        body = bundles.payload(room, db.session.get(Workshop, room.workshop_id).uid, records)
        text_ = bundles.sign(body)
    before = central_rows()
    response = post(app, text_)
    assert response.status_code == 400 and response.get_json()["error"] == "bad_record"
    assert "cannot be read" in response.get_json()["message"]
    assert central_rows() == before
    assert db.session.scalar(select(func.count()).select_from(ReceivedBundle)) == 0


def test_the_room_pages_are_valid_html_in_both_languages(app, central, tmp_path):
    """The room pages need a room, which the pages world (tests/pages.py) is not: checked here."""
    import subprocess

    from .test_html_valid import _checker
    room_app, _kit = new_room(app, tmp_path, central)
    room_day(room_app)
    folder = tmp_path / "html"
    folder.mkdir()
    with room_app.app_context():
        facilitator = signed_in(room_app, room_user(FACILITATOR))
        for lang in ("fr", "en"):
            facilitator.set_cookie("lang", lang)
            for name, path in (("send", "/rooms/send"), ("claim-codes", "/rooms/claim-codes")):
                response = facilitator.get(path, headers={"Accept-Language": lang})
                assert response.status_code == 200
                (folder / f"{lang}-{name}.html").write_bytes(response.data)
    command = _checker() + ["--format", "json", "--errors-only", "--skip-non-html", str(folder)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert not json.loads(done.stderr or done.stdout or '{"messages": []}')["messages"]


def words(response) -> str:
    """The page's text, tags out and spaces folded."""
    return " ".join(re.sub(r"<[^>]+>", " ", text(response)).split())


def test_the_central_site_says_which_content_edition_a_room_graded_against(app, central, tmp_path, monkeypatch):
    """The course changed between the kit and the sync: the room's attempts keep their marks, and the
    central pages say which edition they were graded against (per kit, with counts)."""
    room_app, kit = new_room(app, tmp_path, central)
    room_day(room_app)
    with room_app.app_context():
        old = db.session.scalars(select(Attempt).where(Attempt.submitted_at.is_not(None)).order_by(Attempt.id)).all()
        assert old[0].user_id == room_user(AMINA).id
        for attempt in old[:1]:
            attempt.content_version = "0ld3d1710n42"  # the edition the kit carried
        db.session.commit()
        older, current = 1, len(old) - 1
    assert send(room_app, app, monkeypatch).ok
    fatou = signed_in(app, db.session.scalar(select(User).where(User.email == FACILITATOR)))
    page = words(fatou.get(f"/rooms/workshops/{central.id}/records"))
    assert "edition 0ld3d1710n42: 1 attempt (an earlier edition: the attempts keep the marks given against it)" in page
    assert f"edition {catalog().version}: {current} attempt" in page and older == 1
    amina = signed_in(app, db.session.scalar(select(User).where(User.email == AMINA)))
    mine = words(amina.get("/records"))
    assert "graded in the workshop room against edition 0ld3d1710n42" in mine
    attempt = db.session.scalar(select(Attempt).where(Attempt.content_version == "0ld3d1710n42"))
    with app.test_request_context():
        result = url_for("quizzes.result", attempt_id=attempt.id)
    assert "Graded in the workshop room against edition 0ld3d1710n42" in words(amina.get(result))
    # her attempts graded against the current edition say nothing of the kind
    assert mine.count("graded in the workshop room") == 1


def test_a_room_issues_no_certificate_and_says_the_central_site_will(app, central, tmp_path, monkeypatch):
    """A trainee completes the course on the room: no certificate number is drawn on the laptop (the
    central site could not verify it); she is told the central site issues it once the records are
    sent home, and it does."""
    room_app, _kit = new_room(app, tmp_path, central)
    with room_app.app_context():
        complete_lessons(room_user(AMINA))
        browser = signed_in(room_app, room_user(AMINA))
    started = browser.post(f"/quizzes/{FINAL}/start")
    assert started.status_code == 200
    attempt_id = int(re.search(r"/attempts/(\d+)", started.headers["Content-Location"])[1])
    with room_app.app_context():
        form = right_answers(attempt_id)
    result = words(browser.post(f"/attempts/{attempt_id}", data=form, follow_redirects=True))
    assert "Your certificate will be issued by the central site once the facilitator sends this room’s records home" in result
    assert "Certificates are issued by the central site once the facilitator sends this room’s records home" in result
    assert "See my certificate" not in result
    assert "nothing is issued on this laptop" in words(browser.get("/records"))
    with room_app.app_context():
        assert db.session.get(Attempt, attempt_id).passed
        assert db.session.scalar(select(func.count(Certificate.id))) == 0
    assert send(room_app, app, monkeypatch).ok
    amina = auth.find_user(AMINA)
    assert db.session.scalar(select(Certificate).where(Certificate.user_id == amina.id, Certificate.scope == "course"))


def test_wrong_claim_codes_are_counted_and_slowed_like_passwords(app, central, tmp_path, monkeypatch):
    room_app, _kit = new_room(app, tmp_path, central)
    room_day(room_app, newcomer="nadia@example.org")
    code = claim_code(room_app, "nadia@example.org")
    assert send(room_app, app, monkeypatch).ok
    browser = signed_in(app, make_user(email="guesser@example.org", language="en"))
    # a code of the wrong length is a typo, not a guess: never counted
    assert all(browser.post("/rooms/claim", data={"code": "WRONG"}).status_code == 400 for _ in range(8))
    guesses = [browser.post("/rooms/claim", data={"code": "ABCDE-FGHJK"}) for _ in range(app.config["LOGIN_MAX_ATTEMPTS"] + 1)]
    assert [g.status_code for g in guesses[:-1]] == [400] * app.config["LOGIN_MAX_ATTEMPTS"]
    assert guesses[-1].status_code == 429 and guesses[-1].headers["Retry-After"]
    assert "Too many failed attempts. Wait" in text(guesses[-1])
    # while the wait runs even the right code is not looked at (nothing claimed)
    assert browser.post("/rooms/claim", data={"code": code}).status_code == 429
    assert db.session.scalar(select(func.count(RoomAccount.id)).where(RoomAccount.claimed_at.is_not(None))) == 0


# -- closing the workshop in the room -----------------------------------------------------------

@pytest.fixture
def closable(app):
    """A one-day workshop held today (Dakar: the central clock's day), so it may be closed now but
    is not over until someone closes it; Amina is its trainee."""
    owner = make_user(email=FACILITATOR, role="facilitator", language="en", name="Fatou Sow")
    workshop = make_workshop(owner, start=utcnow().date(), days=1)
    assert workshop_today(workshop) == workshop.end_date
    join_workshop(workshop, make_user(email=AMINA, language="en", name="Amina"))
    return workshop


def complete_in_the_room(room_app) -> None:
    """Amina reads every lesson, passes the final and is marked present: only the closure is missing."""
    with room_app.app_context():
        workshop = db.session.scalar(select(Workshop))
        amina, fatou = room_user(AMINA), room_user(FACILITATOR)
        complete_lessons(amina)
        take_quiz(amina.id, FINAL)
        workshops.mark(workshop, amina.id, workshop.start_date, True, fatou)
        db.session.commit()


def close_in_the_room(room_app) -> str:
    with room_app.app_context():
        facilitator = signed_in(room_app, room_user(FACILITATOR))
        workshop_id = db.session.scalar(select(Workshop.id))
    return words(facilitator.post(f"/workshops/{workshop_id}/close", follow_redirects=True))


def workshop_certificates(workshop) -> list[Certificate]:
    return list(db.session.scalars(select(Certificate).where(Certificate.workshop_id == workshop.id)))


@pytest.mark.engine_sensitive
def test_a_workshop_closed_in_the_room_is_closed_centrally_and_its_certificates_issued_once(
        app, closable, tmp_path, monkeypatch):
    room_app, _kit = new_room(app, tmp_path, closable)
    complete_in_the_room(room_app)
    page = close_in_the_room(room_app)
    # the room tells the truth: closed, and the certificates are the central site's to issue
    assert "The workshop is closed. Its workshop certificates will be issued by the central site once you " \
           "send this room’s records home" in page
    assert "0 workshop certificate" not in page
    assert "Workshop certificates are issued to the trainees who completed it" not in page
    with room_app.app_context():
        room_closed_at = db.session.scalar(select(Workshop.closed_at))
        assert room_closed_at is not None
        assert db.session.scalar(select(func.count(Certificate.id))) == 0
    assert workshop_certificates(closable) == []

    assert send(room_app, app, monkeypatch).ok
    workshop = db.session.get(Workshop, closable.id)
    assert workshop.closed_at == room_closed_at
    [cert] = workshop_certificates(workshop)
    assert cert.user_id == auth.find_user(AMINA).id

    # sent again (nothing is waiting), or the same records in a new bundle: nothing changes
    assert send(room_app, app, monkeypatch).ok and not_sent(room_app) == 0
    text_, body = signed_bundle(room_app)
    assert body["records"] == []
    with room_app.app_context():
        records = bundles.collect(bundles.install())
    closure = [record for record in records if record["type"] == "closure"]
    assert len(closure) == 1
    text_, body = signed_bundle(room_app, records=records, bundle="again-" + body["bundle"][:20])
    answer = post(app, text_)
    assert answer.status_code == 200 and answer.get_json()["records"] == 0
    assert db.session.get(Workshop, closable.id).closed_at == room_closed_at
    assert [c.number for c in workshop_certificates(closable)] == [cert.number]


def test_a_workshop_closed_on_both_sides_keeps_its_first_closure_and_one_certificate(
        app, closable, tmp_path, monkeypatch):
    room_app, _kit = new_room(app, tmp_path, closable)
    complete_in_the_room(room_app)
    close_in_the_room(room_app)
    assert send(room_app, app, monkeypatch).ok  # before this, central had only Amina's account
    first = db.session.get(Workshop, closable.id).closed_at
    facilitator = signed_in(app, db.session.get(User, closable.owner_id))
    page = words(facilitator.post(f"/workshops/{closable.id}/close", follow_redirects=True))
    assert "certificate" in page and db.session.get(Workshop, closable.id).closed_at == first
    assert len(workshop_certificates(closable)) == 1


def test_a_closure_on_the_central_site_first_is_kept_when_the_room_closes_too(app, closable, tmp_path, monkeypatch):
    room_app, _kit = new_room(app, tmp_path, closable)
    complete_in_the_room(room_app)
    workshops.close(db.session.get(Workshop, closable.id))
    central_closed_at = db.session.get(Workshop, closable.id).closed_at
    close_in_the_room(room_app)
    assert send(room_app, app, monkeypatch).ok
    assert db.session.get(Workshop, closable.id).closed_at == central_closed_at
    assert len(workshop_certificates(closable)) == 1  # issued as her records arrived, once


def test_an_older_bundle_without_a_closure_still_applies_and_closes_nothing(app, closable, tmp_path):
    """Rooms already deployed send no closure record: their bundles are accepted as before."""
    room_app, _kit = new_room(app, tmp_path, closable)
    complete_in_the_room(room_app)
    close_in_the_room(room_app)
    with room_app.app_context():
        older = [record for record in bundles.unsent(bundles.collect(bundles.install()))
                 if record["type"] != "closure"]
    text_, _body = signed_bundle(room_app, records=older)
    answer = post(app, text_)
    assert answer.status_code == 200 and answer.get_json()["status"] == "applied"
    assert db.session.get(Workshop, closable.id).closed_at is None
    assert workshop_certificates(closable) == []
    assert db.session.scalar(select(Certificate).where(Certificate.user_id == auth.find_user(AMINA).id,
                                                       Certificate.scope == "course"))


def test_a_closure_for_another_workshop_is_refused_and_nothing_is_written(app, closable, tmp_path):
    """A kit closes only its own workshop, as it ticks attendance only in its own."""
    other = make_workshop(db.session.get(User, closable.owner_id), title="Another", start=closable.start_date, days=1)
    room_app, _kit = new_room(app, tmp_path, closable)
    complete_in_the_room(room_app)
    close_in_the_room(room_app)
    with room_app.app_context():
        records = bundles.unsent(bundles.collect(bundles.install()))
    for record in records:
        if record["type"] == "closure":
            record["workshop"] = other.uid
    before = central_rows()
    text_, _body = signed_bundle(room_app, records=records)
    answer = post(app, text_)
    assert answer.status_code == 400 and answer.get_json()["error"] == "wrong_workshop"
    assert central_rows() == before
    assert db.session.get(Workshop, other.id).closed_at is None
    assert db.session.get(Workshop, closable.id).closed_at is None


def test_a_closure_sent_alone_after_the_records_issues_the_certificates(app, closable, tmp_path, monkeypatch):
    room_app, _kit = new_room(app, tmp_path, closable)
    complete_in_the_room(room_app)
    assert send(room_app, app, monkeypatch).ok
    assert workshop_certificates(closable) == []  # the workshop is not over yet
    close_in_the_room(room_app)
    assert not_sent(room_app) == 1  # only the closure travels
    assert send(room_app, app, monkeypatch).ok
    assert db.session.get(Workshop, closable.id).closed_at is not None
    assert len(workshop_certificates(closable)) == 1


def test_a_live_answer_that_is_no_option_is_left_out_and_the_rest_arrives(app, central, tmp_path, monkeypatch):
    # A room running code from before December 2026 kept a forged value ("?") as Ben's live answer.
    room_app, _ = new_room(app, tmp_path, central)
    room_day(room_app)
    with room_app.app_context():
        question = db.session.scalar(select(LiveQuestion))
        db.session.add(LiveAnswer(live_question_id=question.id, user_id=room_user(BEN).id, answer="?", credit=0.0))
        db.session.commit()
    result = send(room_app, app, monkeypatch)
    assert result.ok and result.left == 0
    answers = {db.session.get(User, row.user_id).email: row.answer for row in db.session.scalars(select(LiveAnswer))}
    assert AMINA in answers and BEN not in answers  # hers arrived; his "?" is no answer
    assert db.session.scalar(select(func.count()).select_from(AttendanceMark)) == 2


def test_a_kit_cannot_write_records_for_an_account_outside_its_workshop(app, central, tmp_path):
    """A kit's key speaks for its workshop's people and the accounts made in its room, nobody else: a
    bundle naming another central account (her uid learnt from an older kit, say) must not make her a
    member (which would let this facilitator hand over a reset link to her account), nor give her
    attempts, reading progress or attendance. Those records are left out; the room's own arrive."""
    room_app, _kit = new_room(app, tmp_path, central)
    room_day(room_app)
    zoe = make_user(email="zoe@example.org", language="en", name="Zoe")  # in no workshop of this kit
    zoe_id, zoe_uid = zoe.id, zoe.uid
    with room_app.app_context():
        room = bundles.install()
        records = bundles.collect(room)
        attempt = dict(next(r for r in records if r["type"] == "attempt"), uid="11111111-1111-4111-8111-111111111111",
                       user=zoe_uid, quiz=FINAL, score=1.0, passed=True)
        membership = dict(next(r for r in records if r["type"] == "membership"),
                          uid="22222222-2222-4222-8222-222222222222", user=zoe_uid)
        mark = dict(next(r for r in records if r["type"] == "attendance"),
                    uid="33333333-3333-4333-8333-333333333333", user=zoe_uid)
        reading = dict(next(r for r in records if r["type"] == "progress"),
                       uid="44444444-4444-4444-8444-444444444444", user=zoe_uid)
        body = bundles.payload(room, db.session.get(Workshop, room.workshop_id).uid,
                               records + [attempt, membership, mark, reading])
        text_ = bundles.sign(body)
    response = post(app, text_)
    assert response.status_code == 200 and response.get_json()["status"] == "applied"
    assert not workshops.is_member(central.id, zoe_id)
    for model in (Attempt, LessonProgress, AttendanceMark):
        assert db.session.scalar(select(func.count()).select_from(model).where(model.user_id == zoe_id)) == 0
    amina = auth.find_user(AMINA)
    assert db.session.scalar(select(func.count()).select_from(Attempt).where(Attempt.user_id == amina.id)) == 1
    # and so her facilitator-to-be cannot hand over a link to Zoe's account
    browser = signed_in(app, db.session.get(User, central.owner_id))
    refused = browser.post("/reset-links", data={"email": "zoe@example.org"})
    assert refused.status_code == 400 and "None of your trainees uses this address." in text(refused)


def test_a_bundle_naming_a_kit_whose_link_was_never_fetched_is_refused_not_a_server_error(app, central):
    """A kit issued as a one-time link has no key until the link is fetched: a bundle that names it
    is refused as not signed by it (a 400 that says so), never a server error, and writes nothing."""
    kit, _token = kits.issue_link(central, db.session.get(User, central.owner_id), "Not fetched yet")
    body = {"format": bundles.FORMAT, "kit": kit.uid, "workshop": central.uid,
            "bundle": "55555555-5555-4555-8555-555555555555", "made_at": utcnow().isoformat(), "records": []}
    before = central_rows()
    response = post(app, vcjwt.sign(body, keys.new_room_key(), kid=kit.uid, typ=bundles.TYP))
    assert response.status_code == 400 and response.get_json()["error"] == "bad_signature"
    assert "signature does not hold" in response.get_json()["message"]
    assert central_rows() == before
    assert db.session.scalar(select(func.count()).select_from(ReceivedBundle)) == 0


@pytest.mark.parametrize("kind", ["progress", "membership"])
def test_a_record_cannot_reach_a_row_of_someone_outside_the_kit_by_its_uid(app, central, tmp_path, kind):
    """Records are matched to the rows they update by uid: a uid naming another person's reading
    progress, or another workshop's membership, is refused whole (nothing written), not merged
    into that row (which could complete a stranger's lesson)."""
    room_app, _kit = new_room(app, tmp_path, central)
    room_day(room_app)
    zoe = make_user(email="zoe@example.org", language="en", name="Zoe")
    elsewhere = make_workshop(make_user(email="other-facilitator@example.org", role="facilitator"), title="Ailleurs")
    join_workshop(elsewhere, zoe)
    progress.record_visit(zoe.id, "first-steps")
    db.session.commit()
    theirs = db.session.scalar(select(LessonProgress).where(LessonProgress.user_id == zoe.id)) if kind == "progress" \
        else db.session.scalar(select(WorkshopMember).where(WorkshopMember.user_id == zoe.id))
    target_uid = theirs.uid
    with room_app.app_context():
        room = bundles.install()
        records = bundles.collect(room)
        record = next(r for r in records if r["type"] == kind)
        record["uid"] = target_uid
        if kind == "progress":
            record.update(lesson="first-steps", completed_at=record["visited_at"], read_at=record["visited_at"])
        else:
            record["joined_at"] = "2020-01-01T00:00:00"
        body = bundles.payload(room, db.session.get(Workshop, room.workshop_id).uid, records)
        text_ = bundles.sign(body)
    before = records_by_uid(db.engine)
    response = post(app, text_)
    assert response.status_code == 400 and response.get_json()["error"] == "bad_record"
    assert "cannot be read" in response.get_json()["message"]
    assert records_by_uid(db.engine) == before
    assert db.session.scalar(select(func.count()).select_from(ReceivedBundle)) == 0


def test_a_bundle_of_json_nested_too_deep_is_refused_not_a_server_error(app, central):
    """Anyone may post to the sync address: brackets nested a few thousand deep made the JSON reader
    give up (a 500). It is refused as what cannot be read, and nothing is written."""
    deep = vcjwt.b64url(("[" * 3000 + "]" * 3000).encode())
    before = central_rows()
    for text_ in (f"{deep}.{vcjwt.b64url(b'{}')}.{'A' * 86}", f"{vcjwt.b64url(b'{}')}.{deep}.{'A' * 86}"):
        response = post(app, text_)
        assert response.status_code == 400 and response.get_json()["error"] == "malformed"
        assert "cannot be read" in response.get_json()["message"]
    assert central_rows() == before


def test_a_laptop_clock_set_years_back_cannot_date_a_certificate_before_its_kit(app, central, tmp_path, monkeypatch):
    """Nothing done in a room happens before its kit was issued: a date earlier than that (a laptop
    whose clock was reset to 2000, or a date forged to backdate a certificate) becomes the kit's
    issue time, so no certificate is dated before the training existed."""
    room_app, kit = new_room(app, tmp_path, central)
    issued_at = db.session.get(RoomKit, kit.id).issued_at
    amina_earns_everything(room_app, earlier_by=timedelta(days=365 * 10))
    assert send(room_app, app, monkeypatch).ok
    amina = auth.find_user(AMINA)
    assert db.session.scalar(select(func.min(Attempt.submitted_at)).where(Attempt.user_id == amina.id)) == issued_at
    assert db.session.scalar(select(func.min(LessonProgress.completed_at)).where(
        LessonProgress.user_id == amina.id)) == issued_at
    course = db.session.scalar(select(Certificate).where(Certificate.user_id == amina.id, Certificate.scope == "course"))
    assert course.completed_at == issued_at
