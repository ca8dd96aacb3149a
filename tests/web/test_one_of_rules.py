""""One of" rules kept by the database under concurrent requests: one open attempt per quiz, one
sitting per workshop test (answered through the workshop's pages only), one open live question, one
workshop per "new workshop" form. Each test sends the requests at once, as an attacker (or a shaky
connection) would."""
import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.models import Attempt, LiveQuestion, Workshop

from ..factories import make_user
from .test_quizzes import right_answers
from .test_workshops import FORM
from .test_workshops_knowledge import setup_room
from .workshop_helpers import PASSWORD, text

pytestmark = pytest.mark.engine_sensitive  # the rules are database constraints


def at_once(app, count, user, send):
    """``count`` signed-in browsers of ``user`` send ``send(client)`` together; their answers."""
    clients = []
    for _ in range(count):
        client = app.test_client()
        assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
        clients.append(client)
    barrier, answers, errors = threading.Barrier(count), [], []

    def go(client):
        try:
            barrier.wait()
            answers.append(send(client))
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
    threads = [threading.Thread(target=go, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    return answers


def attempts(**where):
    return list(db.session.scalars(select(Attempt).filter_by(**where)))


def test_parallel_starts_of_a_quiz_open_one_attempt(app):
    trainee = make_user(language="en")
    answers = at_once(app, 8, trainee, lambda c: c.post("/quizzes/first-steps/start"))
    assert {r.status_code for r in answers} == {200}  # each answered with the form of the one attempt
    assert len({r.headers["Content-Location"] for r in answers}) == 1
    assert len(attempts(user_id=trainee.id, quiz="first-steps")) == 1


def test_the_database_refuses_a_second_open_attempt(app):
    trainee = make_user()
    for n in range(2):
        db.session.add(Attempt(user_id=trainee.id, quiz="first-steps", content_version="v", pass_mark=0.8, layout=[]))
        if n:
            with pytest.raises(IntegrityError):
                db.session.commit()
        else:
            db.session.commit()
    db.session.rollback()


def test_parallel_starts_of_a_workshop_test_make_one_sitting(app):
    workshop, facilitator, (ana, _ben), _clients = setup_room(app)
    facilitator.post(f"/workshops/{workshop.id}/tests/pre/open")
    workshop_id = workshop.id  # read here: the threads have no database session of their own
    answers = at_once(app, 8, ana, lambda c: c.post(f"/workshops/{workshop_id}/tests/pre/start"))
    assert {r.status_code for r in answers} == {302}
    assert len(attempts(user_id=ana.id, quiz=f"workshop-{workshop_id}-pre")) == 1


def test_a_workshop_test_is_answered_through_the_workshop_only(app):
    workshop, facilitator, (ana, _ben), (ana_client, _ben_client) = setup_room(app)
    facilitator.post(f"/workshops/{workshop.id}/tests/pre/open")
    ana_client.post(f"/workshops/{workshop.id}/tests/pre/start")
    [sitting] = attempts(user_id=ana.id)
    form = right_answers(sitting.id)
    # The generic quiz pages send her to the workshop's page, and refuse an answer sent to them...
    assert ana_client.get(f"/attempts/{sitting.id}").headers["Location"] == f"/workshops/{workshop.id}/tests/pre"
    assert ana_client.get(f"/attempts/{sitting.id}/result").headers["Location"] == f"/workshops/{workshop.id}/tests/pre"
    refused = ana_client.post(f"/attempts/{sitting.id}", data=form, headers={"Accept-Language": "en"})
    assert refused.status_code == 409 and "This is a workshop test: answer it from the workshop" in text(refused)
    assert "This cannot be done now" in text(refused)
    # ...above all once the facilitator has closed the test.
    facilitator.post(f"/workshops/{workshop.id}/tests/pre/close")
    assert ana_client.post(f"/attempts/{sitting.id}", data=form).status_code == 409
    assert ana_client.post(f"/workshops/{workshop.id}/tests/pre", data=form).status_code == 409
    db.session.refresh(sitting)
    assert sitting.submitted_at is None and sitting.answers == []


def test_parallel_asks_leave_one_open_live_question(app):
    workshop, _facilitator, _people, _clients = setup_room(app)
    workshop_id, owner = workshop.id, workshop.owner
    questions = iter(["fs-elements", "fs-forms", "fs-border", "fs-elements", "fs-forms", "fs-case"])
    picks = [next(questions) for _ in range(6)]
    lock = threading.Lock()

    def ask(client):
        with lock:
            question = picks.pop()
        return client.post(f"/workshops/{workshop_id}/live", data={"question": question})
    answers = at_once(app, 6, owner, ask)
    assert {r.status_code for r in answers} == {302}
    assert db.session.scalar(select(func.count()).select_from(LiveQuestion).where(
        LiveQuestion.workshop_id == workshop_id, LiveQuestion.state == "open")) == 1


def test_a_new_workshop_form_sent_several_times_at_once_makes_one_workshop(app):
    owner = make_user(role="facilitator", language="en")
    page = text(at_once(app, 1, owner, lambda c: c.get("/workshops/new"))[0])
    key = page.split('name="creation_key" type="hidden" value="', 1)[1].split('"', 1)[0]
    answers = at_once(app, 6, owner, lambda c: c.post("/workshops/new", data=dict(FORM, creation_key=key)))
    assert {r.status_code for r in answers} == {302}
    assert len({r.headers["Location"] for r in answers}) == 1
    assert db.session.scalar(select(func.count()).select_from(Workshop)) == 1
    # Another form (another key) with the same details is another workshop, made on purpose.
    at_once(app, 1, owner, lambda c: c.post("/workshops/new", data=dict(FORM, creation_key="k" * 22)))
    assert db.session.scalar(select(func.count()).select_from(Workshop)) == 2


def test_an_open_attempt_whose_questions_left_the_content_is_set_aside_for_a_new_one(app):
    trainee = make_user(language="en")
    client = app.test_client()
    client.post("/login", data={"email": trainee.email, "password": PASSWORD})
    first = int(client.post("/quizzes/first-steps/start").headers["Content-Location"].rsplit("/", 1)[1])
    stale = db.session.get(Attempt, first)
    stale.layout = [{"id": "a-question-since-removed", "shown": [], "tokens": {}}]
    db.session.commit()
    second = int(client.post("/quizzes/first-steps/start").headers["Content-Location"].rsplit("/", 1)[1])
    assert second != first
    assert db.session.get(Attempt, first).abandoned_at is not None
    assert [a.id for a in attempts(user_id=trainee.id) if a.abandoned_at is None] == [second]
    # The old page says what happened, and its form records nothing.
    old = client.get(f"/attempts/{first}", headers={"Accept-Language": "en"}, follow_redirects=True)
    assert "This attempt was set aside for a newer one" in text(old)
    client.post(f"/attempts/{first}", data={})
    assert db.session.get(Attempt, first).submitted_at is None
