"""A quiz form's questions are kept rendered per process (quizzes/kept_form.py): each sitting must
still get its own tokens, its own numbers and its own order, and the page rendered afresh."""
import re

import pytest

from webapp.content import catalog
from webapp.extensions import db
from webapp.models import Attempt
from webapp.quizzes import kept_form

from .test_quizzes import right_answers, start


def _sitting(client):
    attempt_id = start(client, "first-steps")
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    return db.session.get(Attempt, attempt_id), page


def _values(page):
    return re.findall(r'<input type="(?:radio|checkbox)" name="[^"]+" value="([^"]+)"', page)


def test_each_sitting_gets_its_own_tokens_from_the_kept_questions(app, client, auth, trainee, monkeypatch):
    auth.login()
    fresh_pages = []
    for _ in range(6):  # the bank's 4 questions, drawn again: kept fieldsets are reused
        attempt, page = _sitting(client)
        tokens = [token for item in attempt.layout for token in item["tokens"]]
        assert sorted(_values(page)) == sorted(tokens)
        numbers = re.findall(r'<span class="qnum">([^<]+)</span>', page)
        assert numbers == [f"Question {n}" for n in range(1, len(attempt.layout) + 1)]
        with monkeypatch.context() as m:
            m.setattr(kept_form, "fieldsets", lambda *a: None)
            fresh_pages.append((page, client.get(f"/attempts/{attempt.id}").get_data(as_text=True)))
        response = client.post(f"/attempts/{attempt.id}", data=right_answers(attempt.id))
        assert response.status_code == 302
        db.session.expire_all()
        assert db.session.get(Attempt, attempt.id).passed
    assert app.extensions["quiz_fieldsets"]
    without_token = re.compile(r'name="csrf_token" value="[^"]+"')
    for kept, fresh in fresh_pages:
        assert " ".join(without_token.sub("", kept).split()) == " ".join(without_token.sub("", fresh).split())


def test_a_form_sent_back_incomplete_shows_her_answers_not_a_kept_copy(client, auth, trainee):
    auth.login()
    attempt, _ = _sitting(client)
    first = attempt.layout[0]
    chosen = next(iter(first["tokens"]))
    name = f"q-{first['id']}"
    page = client.post(f"/attempts/{attempt.id}", data={name: chosen}).get_data(as_text=True)
    assert re.search(rf'name="{name}" value="{chosen}" checked', page)
    assert catalog().question(first["id"]) is not None


@pytest.mark.parametrize("quiz", ["first-steps", "second-steps"])
def test_shuffled_questions_are_rendered_once_for_every_order(app, client, auth, trainee, monkeypatch, quiz):
    """Single and multiple choices, steps to order and a match's rows and choices are shuffled: kept
    per layout, they were rendered afresh at nearly every sitting (a class starting a quiz on a fresh
    room server, above all). Kept by shape, each sitting's page is still the one rendered afresh, with
    its own order (and its texts escaped as the template escapes them)."""
    auth.login()
    without_token = re.compile(r'name="csrf_token" value="[^"]+"')
    layouts = set()
    for _ in range(6):
        started = client.post(f"/quizzes/{quiz}/start")
        page = started.get_data(as_text=True)
        attempt = db.session.get(Attempt, int(started.headers["Content-Location"].rsplit("/", 1)[1]))
        layouts.add(tuple((tuple(item["shown"]), tuple(item.get("rows", ()))) for item in attempt.layout))
        with monkeypatch.context() as m:
            m.setattr(kept_form, "fieldsets", lambda *a: None)
            fresh = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
        assert " ".join(without_token.sub("", page).split()) == " ".join(without_token.sub("", fresh).split())
        assert "\x1b" not in page and "\x1a" not in page
        client.post(f"/attempts/{attempt.id}", data=right_answers(attempt.id))
    assert len(layouts) > 1  # the shuffles differed
    shuffled = {"fs-elements", "fs-forms", "ss-match", "ss-order"}
    for qid in shuffled & {item["id"] for item in attempt.layout}:
        kept = [key for key in app.extensions["quiz_fieldsets"] if qid in key]
        assert len(kept) == 1 and kept[0][2:] == ("shape", qid), kept  # one rendering for every order


def test_the_page_around_the_questions_is_kept_and_each_sitting_gets_its_own_number_and_token(csrf_app):
    """The whole form page is kept per quiz, role and size: two trainees starting the same quiz get
    the page rendered afresh, each with her attempt's number in every address and her own token,
    which the server takes; an administrator's copy keeps her menu."""
    from .test_member_pages import TOKEN, signed_in

    pages, seen_tokens = [], []
    for email, admin in (("ana@example.org", False), ("ben@example.org", False), ("root@example.org", True)):
        browser = signed_in(csrf_app, email, admin=admin)
        token = TOKEN.search(browser.get("/progress").get_data(as_text=True))[1]
        started = browser.post("/quizzes/first-steps/start", data={"csrf_token": token})
        assert started.status_code == 200
        page, address = started.get_data(as_text=True), started.headers["Content-Location"]
        attempt = db.session.get(Attempt, int(address.rsplit("/", 1)[1]))
        assert f'action="{address}"' in page and f'formaction="{address}/language"' in page
        assert str(kept_form.ATTEMPT) not in page and not any(mark in page for mark in "\x1a\x1b\x1c\x1d\x1f")
        assert (">Accounts</a>" in page) == admin
        own = TOKEN.findall(page)
        # One token in the form and the header, her session's: the same secret as on the page she came
        # from (each page signs it afresh, with the second it was signed in, so the whole may differ).
        assert own and len(set(own)) == 1 and own[0].split(".")[0] == token.split(".")[0]
        assert not any(own[0] == other for other in seen_tokens)  # never another trainee's
        seen_tokens.append(own[0])
        answers = right_answers(attempt.id)
        answers["csrf_token"] = own[0]
        assert browser.post(address, data=answers).status_code == 302
        pages.append(page)
    assert len(csrf_app.extensions["quiz_pages"]) == 2  # the trainees' copy and the administrator's
    assert TOKEN.sub("", pages[0]) != TOKEN.sub("", pages[1])  # their own numbers and questions' order


def test_a_flashed_message_on_the_form_is_never_kept(app, client, auth, trainee):
    from flask import flash, request

    @app.before_request
    def a_message_for_her():  # as a start that resumes her open attempt, say, could flash one
        if request.path == "/quizzes/first-steps/start":
            flash("A message for Ana", "info")
    auth.login()
    assert "A message for Ana" in client.post("/quizzes/first-steps/start").get_data(as_text=True)
    assert "A message for Ana" not in client.post("/quizzes/second-steps/start").get_data(as_text=True)
    assert app.extensions["quiz_pages"]  # the second was kept, the first was not
    assert all("Ana" not in "".join(parts) for parts in app.extensions["quiz_pages"].values())
