"""Taking quizzes: drawing, answering, refusing incomplete forms, grading once, history."""
import random
import re
import threading

import pytest
from sqlalchemy import func, select

from webapp.content import catalog
from webapp.content.questions import field_name
from webapp.extensions import db
from webapp.models import Attempt, AttemptAnswer
from webapp.quizzes import drawing


def start(client, quiz="first-steps"):
    """Start (or resume) a quiz: the answer is the attempt's form, which names the attempt's address."""
    response = client.post(f"/quizzes/{quiz}/start")
    assert response.status_code == 200
    address = response.headers["Content-Location"]
    assert f'<form method="post" action="{address}" class="quiz"' in response.get_data(as_text=True)
    return int(address.rsplit("/", 1)[1])


def right_answers(attempt_id, *, wrong=()):
    """The form a trainee who knows the answers would send (wrong ones for ids in ``wrong``)."""
    attempt = db.session.get(Attempt, attempt_id)
    cat = catalog()
    form = {}
    for item in attempt.layout:
        q = cat.question(item["id"])
        by_option = {option: token for token, option in item["tokens"].items()}
        name = field_name(q["id"])
        if q["type"] in ("single", "classify", "true_false"):
            from webapp.content.questions import QUESTION_TYPES
            key = QUESTION_TYPES[q["type"]].correct_answer(q)
            if q["id"] in wrong:
                key = next(o for o in item["shown"] if o != key)
            form[name] = by_option[key]
        elif q["type"] == "multiple":
            form[name] = [by_option[o["id"]] for o in q["options"] if o["correct"]]
        elif q["type"] == "match":
            for n, left in enumerate(item["rows"]):
                form[field_name(q["id"], n)] = by_option[left]
        elif q["type"] == "order":
            positions = {i["id"]: n for n, i in enumerate(q["items"], start=1)}
            for n, option in enumerate(item["shown"]):
                form[field_name(q["id"], n)] = str(positions[option])
    return form


def attempts():
    return db.session.scalar(select(func.count()).select_from(Attempt).where(Attempt.submitted_at.is_not(None)))


def test_quizzes_need_an_account(client):
    assert client.get("/quizzes/first-steps").headers["Location"].startswith("/login")
    assert "/quizzes/final" in client.get("/quizzes").get_data(as_text=True)


def test_full_marks_pass_and_the_result_teaches(client, auth, trainee):
    auth.login()
    attempt_id = start(client)
    response = client.post(f"/attempts/{attempt_id}", data=right_answers(attempt_id))
    assert response.headers["Location"] == f"/attempts/{attempt_id}/result"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your score: 100 %" in page and "Passed." in page
    assert "Act, means and purpose." in page                        # the explanation
    assert 'href="/lessons/first-steps#elements"' in page            # review this
    assert "Yes: act, means, purpose." in page                       # feedback for the option chosen


def test_a_wrong_answer_shows_the_right_one_and_its_feedback(client, auth, trainee):
    auth.login()
    attempt_id = start(client)
    client.post(f"/attempts/{attempt_id}", data=right_answers(attempt_id, wrong={"fs-elements"}))
    page = client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)
    assert "Your score: 75 %" in page and "Not passed yet." in page
    assert "No: two elements make smuggling." in page
    assert re.search(r"Right answer:</strong>\s*Three", page)


def test_the_form_never_contains_the_answer_key(client, auth, trainee):
    auth.login()
    attempt_id = start(client)
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert "correct" not in page and 'value="a"' not in page and 'value="b"' not in page
    assert "Act, means and purpose." not in page  # no explanation before answering


def test_incomplete_answers_are_refused_naming_the_questions_and_kept(client, auth, trainee):
    auth.login()
    attempt_id = start(client)
    form = right_answers(attempt_id)
    attempt = db.session.get(Attempt, attempt_id)
    skipped = attempt.layout[1]["id"]
    kept_name, kept_value = next((k, v) for k, v in form.items() if k == f"q-{attempt.layout[0]['id']}" or
                                 k.startswith(f"q-{attempt.layout[0]['id']}-"))
    form = {k: v for k, v in form.items() if not (k == f"q-{skipped}" or k.startswith(f"q-{skipped}-"))}
    response = client.post(f"/attempts/{attempt_id}", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Some questions have no answer yet" in page
    assert f'<a href="#question-{skipped}">Question 2</a>' in page
    value = kept_value[0] if isinstance(kept_value, list) else kept_value
    assert re.search(rf'name="{kept_name}"[^>]*value="{value}"[^>]*checked|<option value="{value}" selected', page)
    assert attempts() == 0


@pytest.mark.engine_sensitive
def test_submitting_twice_records_one_attempt(client, auth, trainee):
    auth.login()
    attempt_id = start(client)
    form = right_answers(attempt_id)
    client.post(f"/attempts/{attempt_id}", data=form)
    replay = client.post(f"/attempts/{attempt_id}", data=form, follow_redirects=True)
    assert "This attempt was already submitted" in replay.get_data(as_text=True)
    assert attempts() == 1
    assert db.session.scalar(select(func.count()).select_from(AttemptAnswer)) == 4


@pytest.mark.engine_sensitive
def test_concurrent_submissions_record_one_attempt(app, trainee):
    clients = [app.test_client() for _ in range(4)]
    for c in clients:
        c.post("/login", data={"email": "trainee@example.org", "password": "correct horse battery"})
    attempt_id = start(clients[0])
    form = right_answers(attempt_id)
    statuses = []
    threads = [threading.Thread(target=lambda c=c: statuses.append(c.post(f"/attempts/{attempt_id}", data=form).status_code))
               for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [302] * 4
    assert attempts() == 1
    assert db.session.scalar(select(func.count()).select_from(AttemptAnswer)) == 4


@pytest.mark.engine_sensitive
def test_double_click_on_start_gives_one_open_attempt(client, auth, trainee):
    auth.login()
    assert start(client) == start(client)


def test_start_answers_with_the_questions_and_a_reload_shows_the_same_ones(client, auth, trainee):
    """No redirect between "start" and the questions: one round trip less on a slow connection. A
    reload (the browser posts "start" again) resumes the same attempt with the same questions, and
    the attempt's own address serves them too."""
    auth.login()
    first = client.post("/quizzes/first-steps/start")
    page = first.get_data(as_text=True)
    attempt = db.session.get(Attempt, int(first.headers["Content-Location"].rsplit("/", 1)[1]))
    layout_ids = re.findall(r'id="question-([\w-]+)"', page)
    assert first.status_code == 200 and layout_ids == [item["id"] for item in attempt.layout]
    assert re.search(r'<script src="/static/js/quiz-address\.[0-9a-f]+\.js" defer></script>', page)
    # switching language from it goes through the attempt (answers kept), not to "start" again
    assert f'formaction="/attempts/{attempt.id}/language"' in page and "/quizzes/first-steps/start" not in page
    again = client.post("/quizzes/first-steps/start")
    assert again.headers["Content-Location"] == first.headers["Content-Location"]
    assert re.findall(r'id="question-([\w-]+)"', again.get_data(as_text=True)) == layout_ids
    assert re.findall(r'id="question-([\w-]+)"', client.get(f"/attempts/{attempt.id}").get_data(as_text=True)) == layout_ids
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1


def test_start_posted_again_after_submitting_records_nothing_and_opens_a_fresh_attempt(client, auth, trainee):
    """The back button from the result, without JavaScript, offers to post "start" again: that is a
    new sitting, as the "try again" button is; the submitted one is untouched."""
    auth.login()
    done = start(client)
    client.post(f"/attempts/{done}", data=right_answers(done))
    fresh = start(client)
    assert fresh != done
    submitted = db.session.get(Attempt, done)
    assert submitted.score == 1.0 and len(submitted.answers) == len(submitted.layout)
    assert db.session.get(Attempt, fresh).submitted_at is None
    assert client.get(f"/attempts/{done}").headers["Location"] == f"/attempts/{done}/result"


def test_history_and_best_score(client, auth, trainee):
    auth.login()
    first = start(client)
    client.post(f"/attempts/{first}", data=right_answers(first, wrong={"fs-elements", "fs-case"}))
    second = start(client)
    assert second != first
    client.post(f"/attempts/{second}", data=right_answers(second))
    page = client.get("/quizzes/first-steps").get_data(as_text=True)
    assert "Best score: 100 %" in page
    assert page.count("/result") == 2 and "50 %" in page
    assert "100 % · Passed" in client.get("/quizzes").get_data(as_text=True)


def test_another_trainees_attempt_is_not_found(app, client, auth, trainee):
    from tests.factories import make_user
    make_user(email="other@example.org")
    auth.login()
    attempt_id = start(client)
    other = app.test_client()
    other.post("/login", data={"email": "other@example.org", "password": "correct horse battery"})
    assert other.get(f"/attempts/{attempt_id}").status_code == 404
    assert other.post(f"/attempts/{attempt_id}", data=right_answers(attempt_id)).status_code == 404
    assert other.get(f"/attempts/{attempt_id}/result").status_code == 404


def test_forged_values_count_as_wrong_not_as_errors(client, auth, trainee):
    auth.login()
    attempt_id = start(client)
    form = {k: ("forged" if isinstance(v, str) else ["forged"]) for k, v in right_answers(attempt_id).items()}
    form["q-not-in-this-attempt"] = "x"
    response = client.post(f"/attempts/{attempt_id}", data=form)
    assert response.status_code == 302
    assert db.session.get(Attempt, attempt_id).score == 0.0


def test_unknown_quiz_is_404(client, auth, trainee):
    auth.login()
    assert client.get("/quizzes/nope").status_code == 404
    assert client.post("/quizzes/nope/start").status_code == 404


def test_attempt_stores_content_version_and_pass_mark(client, auth, trainee):
    auth.login()
    attempt = db.session.get(Attempt, start(client))
    assert attempt.content_version == catalog().version and attempt.pass_mark == 0.8


def test_shuffling_keeps_the_key_right(app):
    cat = catalog()
    for seed in range(20):
        rng = random.Random(seed)
        for q in drawing.draw(cat, "first-steps", rng):
            item = drawing.layout(q, rng)
            assert sorted(item["tokens"].values()) == sorted(item["shown"])
            assert len(set(item["tokens"])) == len(item["tokens"])


def test_final_assessment_draws_by_its_rules(app):
    cat = catalog()
    questions = drawing.draw(cat, "final", random.Random(1))
    assert len(questions) == len({q["id"] for q in questions}) == 5
    assert any(q["type"] == "classify" for q in questions)


def test_a_revised_question_keeps_the_answer_she_was_graded_on(app, client, auth, trainee, tmp_path):
    """The decision rule's revision (December 2026) showed why: a case whose right answer changes is
    a new edition; an attempt taken before keeps the answer it was graded on, and says so."""
    import shutil

    from webapp.content import load_catalog

    from .test_decide import DATA
    auth.login()
    attempt_id = start(client)
    client.post(f"/attempts/{attempt_id}", data=right_answers(attempt_id))
    stored = db.session.scalar(select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt_id,
                                                           AttemptAnswer.question_id == "fs-case"))
    assert stored.graded_key == "smuggling" and stored.credit == 1
    # The case is rewritten: nobody was paid, so the right answer is now "neither".
    shutil.copytree(DATA, tmp_path / "content")
    bank = tmp_path / "content/quizzes/01-first-steps.yaml"
    text = bank.read_text(encoding="utf-8")
    text = text.replace('benefit: "yes", facilitation: skip', 'benefit: "no", facilitation: "no"')
    text = text.replace("answer: smuggling", "answer: neither")
    bank.write_text(text, encoding="utf-8")
    app.extensions["catalog"] = load_catalog(tmp_path / "content")
    page = client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)
    assert "Your score: 100 %" in page
    case = page[page.index("A man pays to cross a border without papers."):]
    case = case[:case.index("</li>")]
    assert "This question has been revised since your attempt" in case
    assert re.search(r"Your answer:</strong>\s*Smuggling of migrants", case)
    assert "The decision aid on these facts" not in case  # today's reasons would contradict her mark
    # A new attempt is graded on the new edition.
    second = start(client)
    client.post(f"/attempts/{second}", data=right_answers(second))
    page = client.get(f"/attempts/{second}/result").get_data(as_text=True)
    assert "Your score: 100 %" in page and "has been revised" not in page
