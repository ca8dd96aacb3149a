"""Attempts are opened and read through their table (quizzes/services.py), then put in the session
as if the ORM had loaded them: they must behave as ORM-loaded attempts do, one copy per session."""
import random

from werkzeug.datastructures import MultiDict

from webapp.content import catalog
from webapp.extensions import db
from webapp.models import Attempt, AttemptAnswer
from webapp.quizzes import services

from .test_quizzes import right_answers


def test_an_attempt_opened_then_resumed_and_read_is_one_object_with_every_column(app, trainee):
    cat = catalog()
    opened = services.start(cat, trainee.id, "first-steps", random.Random(1))
    assert opened.uid and opened.started_at and opened.submitted_at is None and opened.abandoned_at is None
    assert services.start(cat, trainee.id, "first-steps", random.Random(2)) is opened  # resumed, same object
    assert services.attempt_by_id(opened.id) is opened
    assert db.session.get(Attempt, opened.id) is opened
    db.session.expunge_all()  # a new request: read from the database, every column as stored
    again = services.attempt_by_id(opened.id)
    assert (again.uid, again.layout, again.pass_mark, again.quiz) == (opened.uid, opened.layout, opened.pass_mark,
                                                                      opened.quiz)
    assert services.attempt_by_id(opened.id + 1000) is None


def test_a_submitted_attempt_read_through_the_table_loads_its_answers_and_saves_changes(app, trainee):
    cat = catalog()
    attempt = services.start(cat, trainee.id, "first-steps", random.Random(3))
    assert services.submit(cat, attempt, MultiDict(right_answers(attempt.id))).status == "submitted"
    db.session.expunge_all()
    read = services.attempt_by_id(attempt.id)
    assert read.passed and [a.question_id for a in read.answers] == read.question_ids  # lazy loads work
    questions = len(read.question_ids)
    read.abandoned_at = read.submitted_at  # and the unit of work still saves what changes
    db.session.commit()
    attempt_id = attempt.id
    db.session.expunge_all()
    assert db.session.get(Attempt, attempt_id).abandoned_at is not None
    assert db.session.query(AttemptAnswer).filter_by(attempt_id=attempt_id).count() == questions
