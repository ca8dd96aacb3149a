"""A match question on a phone: the choices listed once with letters, a group of letters per line
(no sentence-long native selects), and a line left empty is named, in quizzes and live alike."""
import re

from webapp.extensions import db
from webapp.models import Attempt

from ..factories import join_workshop, make_user, make_workshop
from .test_quizzes import right_answers
from .workshop_helpers import current_live, signed_in, text


def match_part(page: str) -> str:
    return re.split(r'<fieldset class="question|<button', page.split('id="question-ss-match"', 1)[1], maxsplit=1)[0]


def kept(page: str, name: str, value: str) -> bool:
    """The field shows this value as given: a ticked box, or the option chosen in its list."""
    return bool(re.search(rf'name="{name}" value="{value}" checked', page)
                or re.search(rf'name="{name}"[^>]*>(?:(?!</select>).)*value="{value}" selected', page, re.S))


def test_the_match_form_lists_the_choices_once_and_a_letter_group_per_line(app):
    browser = signed_in(app, make_user(language="en"))
    part = match_part(text(browser.post("/quizzes/second-steps/start")))  # "start" answers with the form
    assert "<select" not in part
    assert part.count("Women among victims") == 1 + 3  # listed once, and named for screen readers per line
    assert part.count('class="match-row') == 3 and part.count('type="radio"') == 9
    assert re.search(r"<legend>\d\. 80%</legend>", part)
    assert re.findall(r'<span aria-hidden="true">([A-C])</span>', part) == list("ABC") * 3


def test_a_quiz_line_left_empty_is_named_and_the_other_answers_are_kept(app):
    browser = signed_in(app, make_user(language="en"))
    form_url = browser.post("/quizzes/second-steps/start").headers["Content-Location"]
    attempt = db.session.get(Attempt, int(form_url.rsplit("/", 1)[1]))
    form = right_answers(attempt.id)
    item = next(i for i in attempt.layout if i["id"] == "ss-match")
    del form["q-ss-match-1"]  # the second line of the form
    response = browser.post(form_url, data=form)
    page = text(response)
    assert response.status_code == 400
    assert "Line 2 has no match yet: choose its letter." in page
    assert "Line 1 has no match yet" not in page and "Line 3 has no match yet" not in page
    part = match_part(page)
    assert part.count(" checked") == 2
    for n in (0, 2):
        assert re.search(rf'name="q-ss-match-{n}" value="{form[f"q-ss-match-{n}"]}" checked', part)
    assert re.search(r'<fieldset class="match-row invalid" id="q-ss-match-1" aria-describedby="q-ss-match-1-error">', part)
    for name, value in form.items():  # the other questions' answers stay as she gave them
        for one in [value] if isinstance(value, str) else value:
            assert kept(page, name, one), name
    french = signed_in(app, make_user(language="fr"))
    url = french.post("/quizzes/second-steps/start").headers["Content-Location"]
    fr_form = {k: v for k, v in right_answers(int(url.rsplit("/", 1)[1])).items() if k != "q-ss-match-0"}
    assert "La ligne 1 n’a pas encore de correspondance\u00a0: choisissez sa lettre." in text(french.post(url, data=fr_form))
    assert item["rows"]  # the rows are the attempt's own shuffled order


def test_a_live_match_line_left_empty_is_named_and_the_rest_kept(app):
    owner = make_user(role="facilitator", language="en")
    workshop = make_workshop(owner)
    trainee = make_user(language="en")
    join_workshop(workshop, trainee)
    facilitator, phone = signed_in(app, owner), signed_in(app, trainee)
    facilitator.post(f"/workshops/{workshop.id}/live", data={"question": "ss-match"})
    live = current_live(workshop.id)
    token = {option: tok for tok, option in live.layout["tokens"].items()}
    rows = live.layout["rows"]
    sent = {f"q-ss-match-{n}": token[left] for n, left in enumerate(rows) if n != 2}
    response = phone.post(f"/workshops/{workshop.id}/live/{live.id}/answer", data=sent)
    assert response.status_code == 303 and response.headers["Location"] == f"/workshops/{workshop.id}"
    page = text(phone.get(response.headers["Location"]))  # a reload of this page sends nothing again
    assert "Line 3 has no answer yet: complete it, then send your answer. Your other choices are kept." in page
    assert "Line 3 has no match yet: choose its letter." in page and "Line 1 has no match" not in page
    assert re.search(r'<fieldset class="match-row invalid" id="q-ss-match-2"', page)
    for name, value in sent.items():
        assert re.search(rf'name="{name}" value="{value}" checked', page)
    again = text(phone.get(f"/workshops/{workshop.id}"))  # shown once, then forgotten
    assert "has no answer yet" not in again and "has no match yet" not in again and " checked" not in again
    complete = dict(sent, **{"q-ss-match-2": token[rows[2]]})
    assert phone.post(f"/workshops/{workshop.id}/live/{live.id}/answer", data=complete).status_code == 303
    page = text(phone.get(f"/workshops/{workshop.id}"))
    assert "has no match yet" not in page and page.count(" checked") >= 3
