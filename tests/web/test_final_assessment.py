"""The final assessment: a failed one teaches what to read, never the answers; retakes wait."""
import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from webapp.content import catalog
from webapp.content.questions import QUESTION_TYPES
from webapp.extensions import db
from webapp.models import Attempt
from webapp.quizzes import drawing, services

from ..records_builders import complete_lessons
from .test_quizzes import right_answers, start

pytestmark = pytest.mark.engine_sensitive  # waits and failures per period are counted over dates in SQL

EN = {"Accept-Language": "en"}


def fail_final(client):
    attempt_id = start(client, "final")
    attempt = db.session.get(Attempt, attempt_id)
    response = client.post(f"/attempts/{attempt_id}", data=right_answers(attempt_id, wrong=_all_ids(attempt)))
    assert response.headers["Location"] == f"/attempts/{attempt_id}/result"
    db.session.refresh(attempt)
    assert attempt.passed is False
    return attempt


def _all_ids(attempt):
    return {item["id"] for item in attempt.layout}


def age(attempt, hours):
    """Move a submitted attempt back in time, as if ``hours`` had passed since."""
    attempt.submitted_at -= timedelta(hours=hours)
    attempt.started_at -= timedelta(hours=hours)
    db.session.commit()


def right_keys_shown(page, attempt):
    cat = catalog()
    shown = []
    for qid in attempt.question_ids:
        q = cat.question(qid)
        if q["type"] == "single":
            key = QUESTION_TYPES["single"].correct_answer(q)
            shown += [o["text"]["en"] for o in q["options"] if o["id"] == key and o["text"]["en"] in page]
        if q.get("explanation") and q["explanation"]["en"] in page:
            shown.append(q["explanation"]["en"])
    return shown


def test_a_failed_final_shows_the_score_per_lesson_and_what_to_read_never_the_answers(client, auth, trainee):
    auth.login()
    attempt = fail_final(client)
    page = client.get(f"/attempts/{attempt.id}/result", headers=EN).get_data(as_text=True)
    assert "Your score per lesson" in page and "Right answer" not in page and "wrong" not in page.lower().replace(
        "wrong answers", "")
    assert right_keys_shown(page, attempt) == []
    # Lesson 1's questions were answered wrong, lesson 2's (matching, ordering) right.
    assert 'href="/lessons/first-steps#elements"' in page and "<td>100 %</td>" in page
    assert "You can try again from" in page and "Try again</button>" not in page
    # Revisiting the attempt page (back button, bookmark) leads to the same page, and so does My records.
    assert client.get(f"/attempts/{attempt.id}").headers["Location"] == f"/attempts/{attempt.id}/result"
    data = json.loads(client.get("/records/my-data.json").get_data(as_text=True))
    [final] = [a for a in data["quiz_attempts"] if a["quiz"] == "final"]
    assert all("credit" not in answer for answer in final["answers"])


def test_fail_read_and_retry_at_once_is_refused_until_the_wait_is_over(client, auth, trainee):
    auth.login()
    attempt = fail_final(client)
    client.get(f"/attempts/{attempt.id}/result")
    response = client.post("/quizzes/final/start", headers=EN, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "You can sit the final assessment again from" in page and "(Dakar, UTC)" in page
    assert db.session.scalar(select(db.func.count()).select_from(Attempt)) == 1
    age(attempt, 25)
    assert start(client, "final") != attempt.id


def test_an_attempt_opened_before_a_failure_cannot_be_submitted_during_the_wait(client, auth, trainee):
    auth.login()
    early = services.start(catalog(), trainee.id, "final")          # left open in another tab
    early_id = early.id
    db.session.add(Attempt(user_id=trainee.id, quiz="final", content_version="x", pass_mark=0.8, layout=[],
                           submitted_at=services.utcnow(), score=0.2, passed=False))
    db.session.commit()
    response = client.post(f"/attempts/{early_id}", data=right_answers(early_id), headers=EN)
    assert response.headers["Location"] == "/quizzes/final"
    assert db.session.get(Attempt, early_id).submitted_at is None


def test_three_failures_in_a_month_close_the_final_even_after_the_daily_wait(client, auth, trainee, app):
    auth.login()
    for _ in range(3):
        attempt = fail_final(client)
        age(attempt, 25)
    page = client.get("/quizzes/final", headers=EN).get_data(as_text=True)
    assert "0 attempts left" in page and "You can try again from" in page and "Start a new attempt" not in page
    assert client.post("/quizzes/final/start").headers["Location"] == "/quizzes/final"


def test_the_rules_are_stated_before_she_starts(client, auth, trainee):
    auth.login()
    page = client.get("/quizzes/final", headers=EN).get_data(as_text=True)
    assert "Pass mark: 80 %" in page and "you wait 24 hours" in page and "3 attempts left" in page


def test_a_passed_final_teaches_in_full_links_the_certificate_and_offers_no_retry(client, auth, trainee):
    auth.login()
    complete_lessons(trainee)
    attempt_id = start(client, "final")
    client.post(f"/attempts/{attempt_id}", data=right_answers(attempt_id))
    page = client.get(f"/attempts/{attempt_id}/result", headers=EN).get_data(as_text=True)
    assert "Why:" in page and "Try again" not in page
    assert 'href="/certificates/' in page and '/pdf"' in page


def test_the_next_final_avoids_the_questions_of_the_previous_one_when_the_bank_allows(app):
    import random
    cat = catalog()
    first = drawing.draw(cat, "final", random.Random(3))
    ids = frozenset(q["id"] for q in first)
    # The sample final takes the one case, then 2 of lesson 1's 3 other questions: of those, the one
    # not asked last time is always asked now; the rest has to come back (the bank is too small).
    [unasked] = [q["id"] for q in cat.banks["first-steps"].questions if q["id"] not in ids and q["type"] != "classify"]
    for seed in range(30):
        second = {q["id"] for q in drawing.draw(cat, "final", random.Random(seed), ids)}
        assert unasked in second and len(second) == len(first)


def test_at_every_lesson_completed_home_progress_and_workshop_lead_to_the_final(client, auth, trainee):
    from ..factories import join_workshop, make_user, make_workshop
    workshop = make_workshop(make_user(email="facilitator@example.org", role="facilitator"),
                             lessons=("first-steps",))
    join_workshop(workshop, trainee)
    auth.login()
    complete_lessons(trainee, slugs=["first-steps"])
    for url in ("/progress", f"/workshops/{workshop.id}"):  # her workshop's lessons done, not the course's
        assert "Take the final assessment" not in client.get(url, headers=EN).get_data(as_text=True)
    complete_lessons(trainee, slugs=["second-steps"])
    for url in ("/", "/progress", f"/workshops/{workshop.id}"):
        page = client.get(url, headers=EN).get_data(as_text=True)
        assert 'href="/quizzes/final">Take the final assessment</a>' in page
    page = client.get("/quizzes/final", headers=EN).get_data(as_text=True)
    assert "Pass mark: 80 %" in page and "you wait 24 hours" in page


def test_after_a_pass_the_flash_links_the_certificate_and_the_final_cannot_be_started_again(client, auth, trainee):
    auth.login()
    complete_lessons(trainee)
    attempt_id = start(client, "final")
    submitted = client.post(f"/attempts/{attempt_id}", data=right_answers(attempt_id), follow_redirects=True,
                            headers=EN)
    page = submitted.get_data(as_text=True)
    flashes = page.split('class="flashes"', 1)[1].split("</div>", 1)[0]
    assert "Your certificate is in My records." in flashes
    assert 'href="/certificates/' in flashes and '/pdf"' in flashes and "See my certificate" in flashes
    again = client.post("/quizzes/final/start", headers=EN)
    assert again.status_code == 302 and again.headers["Location"] == "/quizzes/final"
    assert db.session.scalar(select(func.count()).select_from(Attempt).where(Attempt.quiz == "final")) == 1
    told = client.get(again.headers["Location"], headers=EN).get_data(as_text=True)
    assert "You have passed the final assessment: your certificate is in My records." in told


WAITS = "Your certificate is issued once you have also passed every lesson quiz"


def _flashes(page: str) -> str:
    return page.split('class="flashes"', 1)[1].split("</div>", 1)[0]


def test_a_final_passed_before_the_lesson_quizzes_says_what_her_certificate_still_waits_for(client, auth, trainee):
    auth.login()
    final_id = start(client, "final")
    client.post(f"/attempts/{final_id}", data=right_answers(final_id))
    result = client.get(f"/attempts/{final_id}/result", headers=EN).get_data(as_text=True)
    assert "Passed." in result and f"{WAITS}: 2 lesson quizzes are left." in result
    assert 'href="/progress">My progress</a>' in result and 'href="/certificates/' not in result
    # Started again (the back button, a stale tab): no false "your certificate is in My records".
    again = client.post("/quizzes/final/start", headers=EN, follow_redirects=True).get_data(as_text=True)
    flashes = _flashes(again)
    assert f"You have passed the final assessment. {WAITS}: 2 lesson quizzes are left." in flashes
    assert 'href="/progress">My progress</a>' in flashes and "in My records" not in flashes
    lesson_quiz = start(client, "first-steps")
    client.post(f"/attempts/{lesson_quiz}", data=right_answers(lesson_quiz))
    assert f"{WAITS}: 1 lesson quiz is left." in client.get(f"/attempts/{final_id}/result", headers=EN).get_data(as_text=True)
    client.post("/language", data={"lang": "fr"})
    french = _flashes(client.post("/quizzes/final/start", follow_redirects=True).get_data(as_text=True))
    assert "Votre certificat sera délivré une fois le quiz de chaque leçon réussi lui aussi" in french
    assert "il vous reste 1 quiz de leçon à réussir." in french and "Mon dossier" not in french
    client.post("/language", data={"lang": "en"})
    lesson_quiz = start(client, "second-steps")  # the last one: the certificate is issued now
    client.post(f"/attempts/{lesson_quiz}", data=right_answers(lesson_quiz))
    result = client.get(f"/attempts/{final_id}/result", headers=EN).get_data(as_text=True)
    assert WAITS not in result and 'href="/certificates/' in result and '/pdf"' in result
    again = _flashes(client.post("/quizzes/final/start", headers=EN, follow_redirects=True).get_data(as_text=True))
    assert "You have passed the final assessment: your certificate is in My records." in again and WAITS not in again
