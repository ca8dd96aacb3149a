"""Reading progress: started, completed, and "continue where you left off"."""
import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import LessonProgress

pytestmark = pytest.mark.engine_sensitive  # progress is read with SQL aggregates


def test_opening_a_lesson_marks_it_started(client, auth, trainee):
    auth.login()
    client.get("/lessons/first-steps")
    page = client.get("/progress", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "In progress" in page and "0 of 2 lessons completed" in page


def test_marking_as_read_is_idempotent_and_does_not_complete_the_lesson(client, auth, trainee):
    auth.login()
    client.get("/lessons/first-steps")
    first = client.post("/lessons/first-steps/complete")
    assert first.headers["Location"] == "/lessons/second-steps"
    second = client.post("/lessons/first-steps/complete", follow_redirects=True, headers={"Accept-Language": "en"})
    assert "counts as completed once you pass its quiz" in second.get_data(as_text=True)
    rows = db.session.scalars(select(LessonProgress).filter_by(user_id=trainee.id)).all()
    [row] = [r for r in rows if r.lesson_slug == "first-steps"]
    assert row.read_at is not None and row.completed_at is None
    page = client.get("/progress", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "0 of 2 lessons completed" in page
    lesson = client.get("/lessons/first-steps", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "You marked this lesson as read" in lesson and "Mark as read</button>" not in lesson


def test_passing_the_lessons_quiz_completes_it_and_a_failed_one_does_not(client, auth, trainee):
    from .test_quizzes import right_answers, start
    auth.login()
    failed = start(client, "first-steps")
    client.post(f"/attempts/{failed}", data=right_answers(failed, wrong=_all(failed)))
    assert client.get("/progress", headers={"Accept-Language": "en"}).get_data(as_text=True).count(
        "0 of 2 lessons completed") == 1
    passed = start(client, "first-steps")
    client.post(f"/attempts/{passed}", data=right_answers(passed))
    page = client.get("/progress", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "1 of 2 lessons completed (50 %)" in page
    row = db.session.scalar(select(LessonProgress).filter_by(user_id=trainee.id, lesson_slug="first-steps"))
    from webapp.models import Attempt
    assert row.completed_at == db.session.get(Attempt, passed).submitted_at  # dated by the pass
    lesson = client.get("/lessons/first-steps", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "you passed its quiz" in lesson


def _all(attempt_id):
    from webapp.models import Attempt
    return {item["id"] for item in db.session.get(Attempt, attempt_id).layout}


def test_marking_the_last_lesson_read_leads_to_the_progress_page(client, auth, trainee):
    auth.login()
    assert client.post("/lessons/second-steps/complete").headers["Location"] == "/progress"


def test_trainee_resumes_where_she_left_off(client, auth, trainee):
    auth.login()
    client.get("/lessons/first-steps")
    assert client.post("/progress/place", data={"lesson": "first-steps", "section": "a-case"}).status_code == 204
    assert client.get("/continue").headers["Location"] == "/lessons/first-steps#a-case"
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Continue where you left off" in page


def test_after_reading_a_lesson_continue_goes_to_the_next_unread_one(client, auth, trainee):
    auth.login()
    client.get("/lessons/first-steps")
    client.post("/lessons/first-steps/complete")
    assert client.get("/continue").headers["Location"] == "/lessons/second-steps"


def test_a_new_trainee_continues_at_lesson_one(client, auth, trainee):
    auth.login()
    assert client.get("/continue").headers["Location"] == "/lessons/first-steps"


def test_place_refuses_unknown_lessons_and_sections(client, auth, trainee):
    auth.login()
    assert client.post("/progress/place", data={"lesson": "first-steps", "section": "nope"}).status_code == 400
    assert client.post("/progress/place", data={"lesson": "nope", "section": "a-case"}).status_code == 400


def test_progress_needs_an_account(client):
    assert client.get("/progress").headers["Location"].startswith("/login?next=")
    assert client.post("/lessons/first-steps/complete").status_code == 302


def test_completing_an_unknown_lesson_is_404(client, auth, trainee):
    auth.login()
    assert client.post("/lessons/nope/complete").status_code == 404


def _read_both(client):
    for slug in ("first-steps", "second-steps"):
        client.get(f"/lessons/{slug}")
        client.post(f"/lessons/{slug}/complete")


def test_once_every_lesson_is_read_continue_leads_to_the_first_quiz_left_to_pass(client, auth, trainee):
    from .test_quizzes import right_answers, start
    auth.login()
    _read_both(client)
    assert client.get("/continue").headers["Location"] == "/quizzes/first-steps"  # not back to lesson 1
    assert "Continue where you left off" in client.get("/progress").get_data(as_text=True)
    attempt_id = start(client, "first-steps")
    client.post(f"/attempts/{attempt_id}", data=right_answers(attempt_id))  # lesson 1 completed
    assert client.get("/continue").headers["Location"] == "/quizzes/second-steps"


def test_once_every_lesson_is_completed_continue_leads_to_the_final(client, auth, trainee):
    from .test_quizzes import right_answers, start
    auth.login()
    _read_both(client)
    for quiz in ("first-steps", "second-steps"):
        attempt_id = start(client, quiz)
        client.post(f"/attempts/{attempt_id}", data=right_answers(attempt_id))
    assert client.get("/continue").headers["Location"] == "/quizzes/final"
