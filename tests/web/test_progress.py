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


def test_completing_is_explicit_and_idempotent(client, auth, trainee):
    auth.login()
    client.get("/lessons/first-steps")
    first = client.post("/lessons/first-steps/complete")
    assert first.headers["Location"] == "/lessons/second-steps"
    second = client.post("/lessons/first-steps/complete", follow_redirects=True, headers={"Accept-Language": "en"})
    assert "You had already completed this lesson." in second.get_data(as_text=True)
    rows = db.session.scalars(select(LessonProgress).filter_by(user_id=trainee.id)).all()
    assert len([r for r in rows if r.lesson_slug == "first-steps"]) == 1
    page = client.get("/progress", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "1 of 2 lessons completed (50 %)" in page


def test_completing_the_last_lesson_leads_to_the_progress_page(client, auth, trainee):
    auth.login()
    assert client.post("/lessons/second-steps/complete").headers["Location"] == "/progress"


def test_trainee_resumes_where_she_left_off(client, auth, trainee):
    auth.login()
    client.get("/lessons/first-steps")
    assert client.post("/progress/place", data={"lesson": "first-steps", "section": "a-case"}).status_code == 204
    assert client.get("/continue").headers["Location"] == "/lessons/first-steps#a-case"
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Continue where you left off" in page


def test_after_completing_a_lesson_continue_goes_to_the_next_unfinished_one(client, auth, trainee):
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
