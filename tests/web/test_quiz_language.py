"""Switching language in the middle of a quiz keeps every answer given so far."""
import re

from webapp.extensions import db
from webapp.models import Attempt, User

from .test_quizzes import attempts, right_answers, start


def _checked(page: str) -> set:
    return set(re.findall(r'value="([^"]+)" checked', page)) | set(re.findall(r'value="([^"]+)" selected', page))


def _given(form: dict) -> set:
    return {v for value in form.values() for v in (value if isinstance(value, list) else [value])}


def _answered_sitting(client, auth) -> tuple[int, dict]:
    """She signs in, starts the quiz and has her right answers ready (not sent)."""
    auth.login()
    attempt_id = start(client)
    return attempt_id, right_answers(attempt_id)


def test_the_other_language_comes_back_with_every_answer(client, auth, trainee):
    attempt_id, form = _answered_sitting(client, auth)
    response = client.post(f"/attempts/{attempt_id}/language", data={**form, "lang": "fr"})
    assert response.status_code == 200
    assert response.headers["Content-Location"] == f"/attempts/{attempt_id}"
    page = response.get_data(as_text=True)
    assert '<html lang="fr">' in page and "Envoyer mes réponses" in page
    assert _given(form) <= _checked(page)                   # every answer still ticked
    assert f'action="/attempts/{attempt_id}"' in page         # the form still submits the attempt
    assert db.session.get(User, trainee.id).language == "fr"  # her choice, kept on her account
    assert "lang=fr" in response.headers["Set-Cookie"]
    assert attempts() == 0 and db.session.get(Attempt, attempt_id).submitted_at is None  # nothing graded
    # Sending that page as it stands submits the answers she gave before switching.
    sent = client.post(f"/attempts/{attempt_id}", data=form)
    assert sent.headers["Location"] == f"/attempts/{attempt_id}/result"
    assert "100 %" in client.get(sent.headers["Location"]).get_data(as_text=True)


def test_a_partly_answered_quiz_keeps_its_answers_and_names_no_error(client, auth, trainee):
    auth.login()
    attempt_id = start(client)
    form = dict(list(right_answers(attempt_id).items())[:1])
    page = client.post(f"/attempts/{attempt_id}/language", data={**form, "lang": "fr"}).get_data(as_text=True)
    assert _given(form) <= _checked(page)
    assert 'class="error-summary"' not in page and "Répondez à cette question." not in page


def test_the_header_switch_of_a_quiz_leads_to_the_switch_that_keeps_answers(client, auth, trainee):
    auth.login()
    attempt_id = start(client)
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert 'href="#switch-language"' in page
    assert 'action="/language"' not in page  # the switch that reloads and loses the answers
    button = re.search(r'<button id="switch-language" formaction="([^"]+)" name="lang" value="fr"', page)
    assert button and button.group(1) == f"/attempts/{attempt_id}/language"
    # Inside the quiz's form and after its submit button: Enter in the form still sends the answers.
    form = page[page.index('class="quiz"'):page.index("</form>", page.index('class="quiz"'))]
    assert form.index("Submit my answers") < form.index('id="switch-language"')
    # Other pages keep the header's own switch.
    assert 'action="/language"' in client.get("/progress").get_data(as_text=True)


def test_an_unknown_language_is_refused_and_the_answers_kept(client, auth, trainee):
    attempt_id, form = _answered_sitting(client, auth)
    response = client.post(f"/attempts/{attempt_id}/language", data={**form, "lang": "xx"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Choose French or English." in page and _given(form) <= _checked(page)
    assert db.session.get(User, trainee.id).language == "en"


def test_a_submitted_attempt_switches_language_and_shows_its_result(client, auth, trainee):
    attempt_id, form = _answered_sitting(client, auth)
    client.post(f"/attempts/{attempt_id}", data=form)
    response = client.post(f"/attempts/{attempt_id}/language", data={**form, "lang": "fr"})
    assert response.status_code == 302 and response.headers["Location"] == f"/attempts/{attempt_id}"
    assert client.get(f"/attempts/{attempt_id}").headers["Location"] == f"/attempts/{attempt_id}/result"
    assert db.session.get(User, trainee.id).language == "fr"
    assert attempts() == 1  # graded once, not again


def test_another_trainees_attempt_is_not_found(client, auth, trainee):
    from tests.conftest import make_user
    auth.login()
    attempt_id = start(client)
    auth.logout()
    make_user(email="other@example.org", password="correct horse battery")
    auth.login("other@example.org", "correct horse battery")
    assert client.post(f"/attempts/{attempt_id}/language", data={"lang": "fr"}).status_code == 404
