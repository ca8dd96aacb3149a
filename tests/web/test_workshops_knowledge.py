"""Pre-test and post-test: the facilitator opens them, trainees sit each once, the dashboard shows
each trainee's and the group's knowledge gain per lesson topic. Course quizzes keep working."""
import re

from sqlalchemy import func, select

from webapp.content import catalog
from webapp.extensions import db
from webapp.models import Attempt, WorkshopTest
from webapp.quizzes import services as quizzes

from ..factories import join_workshop, make_user, make_workshop
from .test_quizzes import right_answers
from .workshop_helpers import signed_in, text


def setup_room(app, trainees=2):
    owner = make_user(role="facilitator", language="en")
    workshop = make_workshop(owner)
    people = [make_user(language="en", name=f"Trainee {chr(65 + n)}") for n in range(trainees)]
    join_workshop(workshop, *people)
    return workshop, signed_in(app, owner), people, [signed_in(app, p) for p in people]


def sit(client, workshop, kind, wrong=()):
    """Start the test from the workshop page and answer it (wrongly for the ids in ``wrong``)."""
    response = client.post(f"/workshops/{workshop.id}/tests/{kind}/start")
    assert response.headers["Location"] == f"/workshops/{workshop.id}/tests/{kind}", text(response)
    attempt = db.session.scalar(select(Attempt).where(Attempt.quiz == f"workshop-{workshop.id}-{kind}")
                                .order_by(Attempt.id.desc()).limit(1))
    assert "Submit my answers" in text(client.get(response.headers["Location"]))
    response = client.post(response.headers["Location"], data=right_answers(attempt.id, wrong=wrong))
    assert response.status_code == 302
    return attempt.id


def test_the_facilitator_opens_the_pre_test_and_trainees_see_it_and_sit_it_once(app):
    workshop, facilitator, (ana, _ben), (ana_client, _ben_client) = setup_room(app)
    assert "Take the pre-test" not in text(ana_client.get(f"/workshops/{workshop.id}"))
    facilitator.post(f"/workshops/{workshop.id}/tests/pre/open")
    test = db.session.scalar(select(WorkshopTest))
    # 2 questions per lesson in scope: first-steps has 4, second-steps 2
    assert len(test.question_ids) == 4 and test.is_open
    assert {catalog().question(q)["lesson"] for q in test.question_ids} == {"first-steps", "second-steps"}
    assert "Take the pre-test" in text(ana_client.get(f"/workshops/{workshop.id}"))
    attempt_id = sit(ana_client, workshop, "pre")
    result = text(ana_client.get(f"/workshops/{workshop.id}/tests/pre"))
    assert "Your score: 100 %" in result and "My pre-test result" in result
    assert "Act, means and purpose." not in result  # no answer key before the post-test
    # once only: starting again finds the same attempt
    ana_client.post(f"/workshops/{workshop.id}/tests/pre/start")
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1
    assert db.session.get(Attempt, attempt_id).quiz == f"workshop-{workshop.id}-pre"


def test_the_dashboard_shows_each_trainees_and_the_groups_gain_per_topic(app):
    workshop, facilitator, _people, (ana, ben) = setup_room(app)
    facilitator.post(f"/workshops/{workshop.id}/tests/pre/compose", data={"per_lesson": "1"})
    db.session.scalar(select(WorkshopTest)).question_ids = pre = ["fs-elements", "ss-order"]
    db.session.commit()
    facilitator.post(f"/workshops/{workshop.id}/tests/pre/open")
    sit(ana, workshop, "pre", wrong={"fs-elements"})
    sit(ben, workshop, "pre")
    facilitator.post(f"/workshops/{workshop.id}/tests/pre/close")
    facilitator.post(f"/workshops/{workshop.id}/tests/post/compose", data={"per_lesson": "1", "mode": "same"})
    facilitator.post(f"/workshops/{workshop.id}/tests/post/open")
    post = db.session.scalar(select(WorkshopTest).where(WorkshopTest.kind == "post")).question_ids
    assert post == pre
    sit(ana, workshop, "post")
    page = text(facilitator.get(f"/workshops/{workshop.id}/tests"))
    assert "Knowledge gain" in page and "Trainee A" in page and "Trainee B" in page
    assert "0 % → 100 % <strong>(+100)</strong>" in page        # Ana on lesson 1
    assert "50 % → 100 % <strong>(+50)</strong>" in page        # Ana overall, and the group's
    assert "100 % → —</td>" in page                                # Ben has not sat the post-test
    result = text(ana.get(f"/workshops/{workshop.id}/tests/post"))
    assert "My post-test result" in result and "Gain (points)" in result
    mine = text(ana.get(f"/workshops/{workshop.id}"))
    assert "My pre-test and post-test" in mine and "Trainee B" not in mine


def test_a_parallel_post_test_asks_other_questions_on_the_same_lessons(app):
    workshop, facilitator, _people, _clients = setup_room(app)
    facilitator.post(f"/workshops/{workshop.id}/tests/pre/compose", data={"per_lesson": "2"})
    facilitator.post(f"/workshops/{workshop.id}/tests/post/compose", data={"per_lesson": "2", "mode": "parallel"})
    tests = {t.kind: t.question_ids for t in db.session.scalars(select(WorkshopTest))}
    first = [q for q in tests["post"] if q.startswith("fs-")]
    assert len(first) == 2 and not set(first) & set(tests["pre"])  # lesson 1 has 4 questions: all new
    assert [q for q in tests["post"] if q.startswith("ss-")]  # lesson 2 has only 2: asked again


def test_a_started_test_keeps_its_questions_and_a_closed_test_takes_no_answers(app):
    workshop, facilitator, _people, (ana, ben) = setup_room(app)
    facilitator.post(f"/workshops/{workshop.id}/tests/pre/open")
    sit(ana, workshop, "pre")
    before = db.session.scalar(select(WorkshopTest)).question_ids
    response = facilitator.post(f"/workshops/{workshop.id}/tests/pre/compose", data={"per_lesson": "1"})
    assert response.status_code == 409 and "can no longer change" in text(response)
    assert db.session.scalar(select(WorkshopTest)).question_ids == before
    ben.post(f"/workshops/{workshop.id}/tests/pre/start")
    facilitator.post(f"/workshops/{workshop.id}/tests/pre/close")
    attempt = db.session.scalar(select(Attempt).where(Attempt.submitted_at.is_(None)))
    response = ben.post(f"/workshops/{workshop.id}/tests/pre", data=right_answers(attempt.id))
    assert response.status_code == 409 and "This test is closed" in text(response)
    assert db.session.get(Attempt, attempt.id).submitted_at is None
    latecomer = make_user(language="en")
    join_workshop(workshop, latecomer)
    late = signed_in(app, latecomer)
    response = late.post(f"/workshops/{workshop.id}/tests/pre/start")
    assert response.status_code == 303 and response.headers["Location"] == f"/workshops/{workshop.id}"
    assert "This test is not open." in text(late.get(response.headers["Location"]))
    refused = facilitator.post(f"/workshops/{workshop.id}/tests/pre/compose", data={"per_lesson": "9"})
    assert refused.status_code == 400
    # switching language from the page that answered that POST lands on a page, not on a 405
    back = re.search(r'name="next" value="([^"]+)"', text(refused))[1]
    switched = facilitator.post("/language", data={"lang": "fr", "next": back}, follow_redirects=True)
    assert switched.status_code == 200 and '<html lang="fr">' in text(switched)
    assert facilitator.post(f"/workshops/{workshop.id}/tests/middle/open").status_code == 404


def test_lesson_quizzes_and_the_final_assessment_keep_working_beside_workshop_tests(app):
    workshop, facilitator, (ana_user, _ben), (ana, _ben_client) = setup_room(app)
    facilitator.post(f"/workshops/{workshop.id}/tests/pre/open")
    sit(ana, workshop, "pre")
    for quiz in ("first-steps", "final"):
        response = ana.post(f"/quizzes/{quiz}/start")
        attempt_id = int(response.headers["Content-Location"].rsplit("/", 1)[1])
        assert db.session.get(Attempt, attempt_id).quiz == quiz  # a new attempt, not the workshop one
        ana.post(f"/attempts/{attempt_id}", data=right_answers(attempt_id))
        assert "Your score: 100 %" in text(ana.get(f"/attempts/{attempt_id}/result"))
    best = quizzes.best_scores(ana_user.id)
    assert best["first-steps"] == (1.0, True) and best["final"] == (1.0, True)
    assert "Best score" in text(ana.get("/quizzes"))


def test_the_facilitators_preview_of_a_test_shows_the_options_and_the_right_answers(app):
    workshop, facilitator, _people, _clients = setup_room(app)
    facilitator.post(f"/workshops/{workshop.id}/tests/pre/compose", data={"per_lesson": "1"})
    test = db.session.scalar(select(WorkshopTest))
    test.question_ids = ["fs-elements", "ss-order"]
    db.session.commit()
    page = text(facilitator.get(f"/workshops/{workshop.id}/tests"))
    preview = page.split("See the questions", 1)[1].split("</details>", 1)[0]
    cat = catalog()
    single = cat.question("fs-elements")
    for option in single["options"]:
        shown = option["text"]["en"] + (" — right answer" if option["correct"] else "")
        assert shown in preview, shown
    order = cat.question("ss-order")
    assert "Right order:" in preview
    assert all(item["text"]["en"] in preview for item in order["items"])


def test_switching_language_mid_test_keeps_the_answers(app):
    from webapp.models import User
    workshop, facilitator, (ana, _ben), (ana_client, _ben_client) = setup_room(app)
    facilitator.post(f"/workshops/{workshop.id}/tests/pre/open")
    address = f"/workshops/{workshop.id}/tests/pre"
    ana_client.post(f"{address}/start")
    page = text(ana_client.get(address))
    assert f'formaction="{address}/language"' in page and 'href="#switch-language"' in page
    assert f'action="{address}"' in page
    attempt = db.session.scalar(select(Attempt).where(Attempt.quiz == f"workshop-{workshop.id}-pre"))
    form = right_answers(attempt.id)
    response = ana_client.post(f"{address}/language", data={**form, "lang": "fr"})
    assert response.status_code == 200 and response.headers["Content-Location"] == address
    page = text(response)
    assert '<html lang="fr">' in page and "Envoyer mes réponses" in page
    ticked = set(re.findall(r'value="([^"]+)" (?:checked|selected)', page))
    assert {v for value in form.values() for v in (value if isinstance(value, list) else [value])} <= ticked
    assert db.session.get(Attempt, attempt.id).submitted_at is None  # nothing graded
    assert db.session.get(User, ana.id).language == "fr"
    assert ana_client.post(address, data=form).status_code == 302  # the kept answers submit the test
    assert db.session.get(Attempt, attempt.id).submitted_at is not None
    # After submitting, the switch leads to her result, in the language chosen.
    assert ana_client.post(f"{address}/language", data={"lang": "en"}).headers["Location"] == address
