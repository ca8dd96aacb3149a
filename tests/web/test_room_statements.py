"""A class's load is counted in SQL statements, not timed: grading and storing an attempt, a live
answer and a trainee's poll each take a fixed, small number of statements, whatever the number of
questions in the quiz or of people in the room (no query per question or per trainee)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from webapp.content import load_catalog
from webapp.extensions import db
from webapp.models import Attempt
from webapp.quizzes import drawing

from ..factories import join_workshop, make_user, make_workshop
from .test_query_counts import counting
from .test_quizzes import right_answers, start
from .workshop_helpers import current_live, live_form, signed_in

pytestmark = pytest.mark.engine_sensitive  # statement counts differ by engine
MEASURED_START = 4  # her account, the open attempt, not waiting for the disk, inserting the new one (both engines)


def _submission(client, quiz: str) -> tuple[int, int]:
    client.get("/records")  # a page view first: the server learns once whether it is a room (rooms.is_room)
    attempt_id = start(client, quiz)
    form = right_answers(attempt_id)
    with counting() as statements:
        response = client.post(f"/attempts/{attempt_id}", data=form)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Attempt, attempt_id).passed
    return len(db.session.get(Attempt, attempt_id).layout), len(statements)


def test_grading_an_attempt_takes_the_same_statements_for_4_questions_as_for_2(client, auth, trainee):
    auth.login()
    questions_a, statements_a = _submission(client, "first-steps")
    questions_b, statements_b = _submission(client, "second-steps")
    assert questions_a != questions_b
    assert statements_a == statements_b, (statements_a, statements_b)
    assert statements_a <= 12  # measured: 12 on SQLite, a first pass that also completes the lesson


def _with_a_bank_of(app, tmp_path, monkeypatch, extra: int, size: int) -> None:
    """The test course, its first quiz with ``extra`` more true/false questions, drawn ``size`` a sitting."""
    content = tmp_path / "content"
    shutil.copytree(Path(__file__).parent.parent / "data", content)
    bank = content / "quizzes" / "01-first-steps.yaml"
    bank.write_text(bank.read_text() + "".join(
        f"""  - id: fs-more-{n}
    type: true_false
    see: elements
    prompt: {{en: "Statement {n}.", fr: "Affirmation {n}."}}
    answer: {"true" if n % 2 else "false"}
    explanation: {{en: "Because.", fr: "Parce que."}}
""" for n in range(extra)))
    app.extensions["catalog"] = load_catalog(content)
    monkeypatch.setattr(drawing, "DEFAULT_QUIZ_SIZE", size)


def _same_for_20_questions_as_for_2(app, tmp_path, monkeypatch, auth, measure) -> int:
    """``measure`` (questions, statements) on a 20-question quiz and a 2-question one: the statements
    must be the same; returns them."""
    _with_a_bank_of(app, tmp_path, monkeypatch, extra=20, size=20)
    auth.login()
    questions_a, statements_a = measure("first-steps")
    questions_b, statements_b = measure("second-steps")
    assert (questions_a, questions_b) == (20, 2)
    assert statements_a == statements_b, (statements_a, statements_b)
    return statements_a


def test_grading_a_20_question_attempt_takes_the_statements_of_a_2_question_one(
        app, client, auth, trainee, tmp_path, monkeypatch):
    statements = _same_for_20_questions_as_for_2(app, tmp_path, monkeypatch, auth,
                                                 lambda quiz: _submission(client, quiz))
    assert statements <= 12


def _starting(client, quiz: str) -> tuple[int, int]:
    """Statements of "start", which answers with the new attempt's form: (questions, statements)."""
    client.get("/records")
    with counting() as statements:
        response = client.post(f"/quizzes/{quiz}/start")
    assert response.status_code == 200 and 'class="quiz"' in response.get_data(as_text=True)
    attempt_id = int(response.headers["Content-Location"].rsplit("/", 1)[1])
    return len(db.session.get(Attempt, attempt_id).layout), len(statements)


def test_starting_a_20_question_quiz_and_getting_its_form_takes_the_statements_of_a_2_question_one(
        app, client, auth, trainee, tmp_path, monkeypatch):
    statements = _same_for_20_questions_as_for_2(app, tmp_path, monkeypatch, auth,
                                                 lambda quiz: _starting(client, quiz))
    assert statements <= MEASURED_START, statements
    _, resumed = _starting(client, "second-steps")  # a reload: the same attempt, nothing written
    assert resumed < statements, (resumed, statements)


def _counts(workshop, live, phone) -> tuple[int, int, int]:
    url = f"/workshops/{workshop.id}/live/panel"
    with counting() as poll:
        first = phone.get(url)
    assert first.status_code == 200
    with counting() as unchanged:
        assert phone.get(f"{url}?v={first.headers['X-Live-Version']}").status_code == 204
    with counting() as answer:
        assert phone.post(f"/workshops/{workshop.id}/live/{live.id}/answer",
                          data=live_form(live, "b")).status_code == 303
    return len(poll), len(unchanged), len(answer)


def _join_and_answer(app, workshop, live, people: int) -> None:
    newcomers = [make_user(language="en") for _ in range(people)]
    join_workshop(workshop, *newcomers)
    for person in newcomers:
        browser = signed_in(app, person)
        browser.post(f"/workshops/{workshop.id}/live/{live.id}/answer", data=live_form(live, "a"))


def test_a_live_answer_and_a_poll_take_the_same_statements_in_a_room_of_3_or_10(app):
    owner = make_user(role="facilitator", language="en")
    workshop = make_workshop(owner)
    trainee = make_user(language="en")
    join_workshop(workshop, trainee)
    facilitator = signed_in(app, owner)
    assert facilitator.post(f"/workshops/{workshop.id}/live", data={"question": "fs-elements"}).status_code == 302
    live = current_live(workshop.id)
    phone = signed_in(app, trainee)
    with counting() as first_answer:
        phone.post(f"/workshops/{workshop.id}/live/{live.id}/answer", data=live_form(live, "a"))
    assert len(first_answer) <= 12, len(first_answer)
    _join_and_answer(app, workshop, live, 2)
    small = _counts(workshop, live, phone)
    _join_and_answer(app, workshop, live, 7)
    large = _counts(workshop, live, phone)
    assert small == large, (small, large)
    assert max(small) <= 10, small  # measured: poll 6, changed answer 10
    assert small[1] == 4, small  # an unchanged poll: her account, her role, the live state, the tests


def test_the_next_poll_of_a_removed_member_or_an_ended_session_is_refused(app):
    from sqlalchemy import delete

    from webapp.auth import sessions
    from webapp.models import User, WorkshopMember

    owner = make_user(role="facilitator", language="en")
    workshop = make_workshop(owner)
    removed, ended = make_user(language="en"), make_user(language="en")
    join_workshop(workshop, removed, ended)
    url = f"/workshops/{workshop.id}/live/panel"
    phones = {user.id: signed_in(app, user) for user in (removed, ended)}
    versions = {}
    for user_id, phone in phones.items():
        first = phone.get(url)
        assert first.status_code == 200
        versions[user_id] = first.headers["X-Live-Version"]
        assert phone.get(f"{url}?v={versions[user_id]}").status_code == 204
    db.session.execute(delete(WorkshopMember).where(WorkshopMember.user_id == removed.id))
    sessions.end_all(db.session.get(User, ended.id))
    db.session.commit()
    assert phones[removed.id].get(f"{url}?v={versions[removed.id]}").status_code == 404
    refused = phones[ended.id].get(f"{url}?v={versions[ended.id]}")
    assert refused.status_code in (302, 401) and "/login" in refused.headers.get("Location", "/login")
