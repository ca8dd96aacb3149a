"""After and around the room: attendance, the roster and its CSV, the item analysis, the pack."""
import csv
import io
from datetime import date, datetime

import pytest
from sqlalchemy import event, select

from webapp.extensions import db
from webapp.models import Attempt, AttemptAnswer, AttendanceMark, LessonProgress, LiveAnswer, LiveQuestion, User, WorkshopMember
from webapp.workshops.dashboards import wrong_choices

from ..factories import join_workshop, make_user, make_workshop
from .workshop_helpers import signed_in, text

pytestmark = pytest.mark.engine_sensitive  # aggregates, query counts and concurrent ticks

DAY1, DAY2 = "2026-03-24", "2026-03-25"


def marks():
    return {(uid, str(day)) for uid, day in db.session.execute(select(AttendanceMark.user_id, AttendanceMark.day))}


# Attendance ----------------------------------------------------------------------------------------

def test_the_facilitator_ticks_attendance_one_by_one_and_each_tick_is_saved(app):
    owner = make_user(role="facilitator", language="en")
    workshop = make_workshop(owner)
    ana, ben = make_user(name="Ana"), make_user(name="Ben")
    join_workshop(workshop, ana, ben)
    client = signed_in(app, owner)
    page = text(client.get(f"/workshops/{workshop.id}/attendance/{DAY1}"))
    assert "Ana" in page and "Ben" in page and f'data-mark="/workshops/{workshop.id}/attendance/{DAY1}/mark"' in page
    url = f"/workshops/{workshop.id}/attendance/{DAY1}/mark"
    assert client.post(url, data={"user": ana.id, "present": "1"}).status_code == 204
    assert client.post(url, data={"user": ana.id, "present": "1"}).status_code == 204  # a double tap
    assert client.post(url, data={"user": ben.id, "present": "1"}).status_code == 204
    assert client.post(url, data={"user": ben.id, "present": "0"}).status_code == 204
    assert marks() == {(ana.id, DAY1)}
    assert f'value="{ana.id}" checked' in text(client.get(f"/workshops/{workshop.id}/attendance/{DAY1}"))
    assert "1 of 2 present" in text(client.get(f"/workshops/{workshop.id}/attendance"))


def test_without_javascript_the_save_button_records_the_whole_day(app):
    owner = make_user(role="facilitator", language="en")
    workshop = make_workshop(owner)
    ana, ben, outsider = make_user(), make_user(), make_user()
    join_workshop(workshop, ana, ben)
    client = signed_in(app, owner)
    client.post(f"/workshops/{workshop.id}/attendance/{DAY1}/mark", data={"user": ana.id, "present": "1"})
    response = client.post(f"/workshops/{workshop.id}/attendance/{DAY1}",
                           data={"present": [str(ben.id), str(outsider.id), "x"]})
    assert response.headers["Location"] == f"/workshops/{workshop.id}/attendance/{DAY1}"
    assert marks() == {(ben.id, DAY1)}  # Ana unticked; someone outside the workshop is ignored


def test_mark_everyone_present_ticks_the_whole_room_at_once(app):
    owner = make_user(role="facilitator", language="fr")
    workshop = make_workshop(owner)
    people = [make_user() for _ in range(3)]
    join_workshop(workshop, *people)
    client = signed_in(app, owner)
    client.post(f"/workshops/{workshop.id}/attendance/{DAY1}/mark", data={"user": people[0].id, "present": "1"})
    client.post(f"/workshops/{workshop.id}/attendance/{DAY1}/everyone", data={"user": [p.id for p in people]})
    assert marks() == {(p.id, DAY1) for p in people}
    # French agrees with the number of people present
    page = text(client.get(f"/workshops/{workshop.id}/attendance"))
    assert "3 présent·es sur 3" in page and "0 présent·e sur 3" in page


def test_a_tick_saved_between_the_reading_and_the_writing_of_the_whole_day_is_kept(app, monkeypatch):
    """The script's tick and the Save button (or two co-facilitators) at the same moment."""
    from webapp.workshops import services
    owner = make_user(role="facilitator", language="en")
    workshop = make_workshop(owner)
    ana = make_user()
    join_workshop(workshop, ana)
    day = workshop.start_date
    real_scalars = db.session.scalars
    calls = []

    def scalars_then_tick(statement, *args, **kwargs):
        result = list(real_scalars(statement, *args, **kwargs))
        calls.append(1)
        if len(calls) == 2:  # after save_day has read who is already marked: the tick lands
            services.mark(workshop, ana.id, day, True, owner)
        return result
    monkeypatch.setattr(db.session, "scalars", scalars_then_tick)
    services.save_day(workshop, day, {ana.id}, owner)
    monkeypatch.undo()
    assert marks() == {(ana.id, DAY1)}


def test_attendance_refuses_other_days_and_people_outside_the_workshop(app):
    owner = make_user(role="facilitator", language="en")
    workshop = make_workshop(owner)
    outsider = make_user()
    client = signed_in(app, owner)
    assert client.get(f"/workshops/{workshop.id}/attendance/2026-04-01").status_code == 404
    assert client.get(f"/workshops/{workshop.id}/attendance/yesterday").status_code == 404
    url = f"/workshops/{workshop.id}/attendance/{DAY1}/mark"
    assert client.post(url, data={"user": outsider.id, "present": "1"}).status_code == 400
    assert client.post(url, data={"user": "abc", "present": "1"}).status_code == 400
    assert marks() == set()


# Roster ------------------------------------------------------------------------------------------

def fill_roster(workshop, count):
    """``count`` trainees who read, took quizzes, came, and answered live: every roster query has rows."""
    hash_ = db.session.scalar(select(User.password_hash).limit(1))
    users = [User(email=f"t{n}@example.org", name=f"Trainee {n:02d}", password_hash=hash_, organisation=f"Org {n % 3}")
             for n in range(count)]
    db.session.add_all(users)
    db.session.flush()
    live = LiveQuestion(workshop_id=workshop.id, question_id="fs-border", layout={"id": "fs-border",
                                     "shown": ["true", "false"], "tokens": {"t": "true", "f": "false"}})
    db.session.add(live)
    db.session.flush()
    for n, user in enumerate(users):
        db.session.add(WorkshopMember(workshop_id=workshop.id, user_id=user.id))
        db.session.add(LessonProgress(user_id=user.id, lesson_slug="first-steps",
                                      completed_at=datetime(2026, 3, 24, 10) if n % 2 else None))
        db.session.add(Attempt(user_id=user.id, quiz="first-steps", content_version="x", pass_mark=0.8, layout=[],
                               submitted_at=datetime(2026, 3, 24, 11), score=n / count, passed=False))
        db.session.add(AttendanceMark(workshop_id=workshop.id, user_id=user.id, day=date(2026, 3, 24)))
        db.session.add(LiveAnswer(live_question_id=live.id, user_id=user.id, answer="false", credit=1.0))
    db.session.commit()


def count_queries(app, client, url):
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 200
    return len(statements), response


def test_the_roster_loads_in_the_same_number_of_queries_for_5_or_40_trainees(app):
    owner = make_user(role="facilitator", language="en")
    small, large = make_workshop(owner, title="Small"), make_workshop(owner, title="Large")
    fill_roster(small, 5)
    hash_ = db.session.scalar(select(User.password_hash).limit(1))
    users = [User(email=f"big{n}@example.org", name=f"Big {n:02d}", password_hash=hash_) for n in range(40)]
    db.session.add_all(users)
    db.session.commit()
    for user in users:
        db.session.add(WorkshopMember(workshop_id=large.id, user_id=user.id))
        db.session.add(LessonProgress(user_id=user.id, lesson_slug="second-steps"))
        db.session.add(AttendanceMark(workshop_id=large.id, user_id=user.id, day=date(2026, 3, 25)))
        db.session.add(Attempt(user_id=user.id, quiz="second-steps", content_version="x", pass_mark=0.8, layout=[],
                               submitted_at=datetime(2026, 3, 25, 9), score=0.5, passed=False))
    db.session.commit()
    client = signed_in(app, owner)
    client.get(f"/workshops/{small.id}/roster")  # warm up (first request loads the user's session)
    few, page_small = count_queries(app, client, f"/workshops/{small.id}/roster")
    many, page_large = count_queries(app, client, f"/workshops/{large.id}/roster")
    assert text(page_small).count("<tr>") == 6 and text(page_large).count("<tr>") == 41
    assert few == many <= 8, (few, many)


def test_the_roster_shows_progress_scores_attendance_and_sorts(app):
    owner = make_user(role="facilitator", language="en")
    workshop = make_workshop(owner)
    fill_roster(workshop, 4)
    client = signed_in(app, owner)
    page = text(client.get(f"/workshops/{workshop.id}/roster"))
    assert page.index("Trainee 00") < page.index("Trainee 03")
    assert "Lessons done" in page and "1/2" in page and "0/2" in page
    page = text(client.get(f"/workshops/{workshop.id}/roster?sort=progress&dir=desc"))
    # one lesson completed first (1 and 3), the better quiz score first among them
    assert page.index("Trainee 03") < page.index("Trainee 01") < page.index("Trainee 02") < page.index("Trainee 00")
    assert 'aria-sort="descending"' in page
    page = text(client.get(f"/workshops/{workshop.id}/roster?sort=name&dir=desc"))
    assert page.index("Trainee 03") < page.index("Trainee 00")
    assert client.get(f"/workshops/{workshop.id}/roster?sort=evil&dir=sideways").status_code == 200


def test_the_roster_exports_as_csv_that_spreadsheets_read_with_accents(app):
    owner = make_user(role="facilitator", language="en")
    workshop = make_workshop(owner)
    aissatou = make_user(name="Aïssatou Diallo", organisation="=HYPERLINK(\"x\")")
    join_workshop(workshop, aissatou)
    client = signed_in(app, owner)
    client.post(f"/workshops/{workshop.id}/attendance/{DAY2}/mark", data={"user": aissatou.id, "present": "1"})
    response = client.get(f"/workshops/{workshop.id}/roster.csv")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == f'attachment; filename="workshop-{workshop.id}-roster.csv"'
    owner.language = "fr"  # the French site names the file in French
    db.session.commit()
    french = client.get(f"/workshops/{workshop.id}/roster.csv")
    assert french.headers["Content-Disposition"] == f'attachment; filename="atelier-{workshop.id}-progression.csv"'
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    header, row = rows
    assert row[0] == "Aïssatou Diallo" and row[header.index("Organisation")] == "'=HYPERLINK(\"x\")"  # never a formula
    assert row[header.index("1. First steps: status")] == "Not started"
    assert row[header.index(DAY1)] == "" and row[header.index(DAY2)] == "present"
    assert row[header.index("Days present")] == "1" and row[header.index("Attendance requirement met")] == "no"


def test_a_french_facilitator_gets_semicolons_that_a_french_spreadsheet_splits_into_columns(app):
    owner = make_user(role="facilitator", language="fr")
    workshop = make_workshop(owner)
    join_workshop(workshop, make_user(name="N'Diaye, Aïssatou", organisation="OIM; Dakar"))
    data = signed_in(app, owner).get(f"/workshops/{workshop.id}/roster.csv").data.decode("utf-8-sig")
    assert data.split("\r\n")[0].startswith("Participant·e;")
    header, row = list(csv.reader(io.StringIO(data), delimiter=";"))
    assert len(row) == len(header) and row[0] == "N'Diaye, Aïssatou" and row[1] == "OIM; Dakar"


# Item analysis ---------------------------------------------------------------------------------------

def submit_answers(user, quiz, answers):
    attempt = Attempt(user_id=user.id, quiz=quiz, content_version="x", pass_mark=0.8, layout=[],
                      submitted_at=datetime(2026, 3, 24, 12), score=0.5, passed=False)
    db.session.add(attempt)
    db.session.flush()
    for n, (qid, answer, credit) in enumerate(answers):
        db.session.add(AttemptAnswer(attempt_id=attempt.id, position=n, question_id=qid, answer=answer, credit=credit))
    db.session.commit()


def test_item_analysis_names_the_most_chosen_wrong_answer_and_warns_under_ten_answers(app):
    owner = make_user(role="facilitator", language="en")
    workshop = make_workshop(owner)
    people = [make_user() for _ in range(4)]
    join_workshop(workshop, *people)
    outsider = make_user()
    for n, person in enumerate(people):
        submit_answers(person, "first-steps", [("fs-elements", "a" if n == 0 else "b", 1.0 if n == 0 else 0.0),
                                               ("fs-border", "false", 1.0)])
    submit_answers(outsider, "first-steps", [("fs-elements", "a", 1.0)] * 1)  # not in the workshop: not counted
    page = text(signed_in(app, owner).get(f"/workshops/{workshop.id}/items"))
    elements = page.index("How many elements has trafficking?")
    assert elements < page.index("Trafficking needs a border.")  # the worst answered first
    block = page[elements:page.index("Trafficking needs a border.")]
    assert "<dd>4</dd>" in block and "<dd>25 %</dd>" in block and "Two (3 times)" in block
    assert "only indicative" in block


def test_item_analysis_is_not_indicative_from_ten_answers(app):
    owner = make_user(role="facilitator", language="en")
    workshop = make_workshop(owner)
    fill_roster(workshop, 10)
    for user in db.session.scalars(select(User).where(User.email.like("t%@example.org"))).all():
        submit_answers(user, "first-steps", [("fs-border", "true", 0.0)])
    page = text(signed_in(app, owner).get(f"/workshops/{workshop.id}/items"))
    assert "<dd>10</dd>" in page and "<dd>0 %</dd>" in page and "True (10 times)" in page
    assert "only indicative" not in page


@pytest.mark.parametrize("qid, answer, expected", [
    ("fs-elements", "a", []),
    ("fs-elements", "b", [("option", "b")]),
    ("fs-forms", ["a", "c"], [("option", "c")]),
    ("fs-forms", ["a"], [("missed", "b")]),
    ("ss-match", {"women": "women", "ratio": "deaths", "deaths": "ratio"}, [("pair", "deaths", "ratio"),
                                                                          ("pair", "ratio", "deaths")]),
    ("ss-order", {"one": 2, "two": 1, "three": 3}, [("place", "one", 2), ("place", "two", 1)]),
])
def test_the_wrong_part_of_each_kind_of_answer(sqlite_app, qid, answer, expected):
    from webapp.content import catalog
    assert wrong_choices(catalog().question(qid), answer) == expected
