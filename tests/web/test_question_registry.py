"""The question-type registry keeps its promise: a new type, from one module and its templates
(tests/data/question_types/), works in a quiz, a live question and the printed pack, with no other
file of the app changed (no file under webapp/ names it: room_poll)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from jinja2 import ChoiceLoader, FileSystemLoader
from werkzeug.datastructures import MultiDict

from webapp import create_app
from webapp.content.questions import QUESTION_TYPES, register
from webapp.extensions import db

from ..conftest import DATA, Client, _config
from ..data.question_types.room_poll import YesNo
from ..factories import join_workshop, make_user, make_workshop
from .workshop_helpers import current_live, signed_in, text

HERE = Path(__file__).resolve().parents[1] / "data" / "question_types"
WEBAPP = Path(__file__).resolve().parents[2] / "webapp"
POLL = '''  - id: ss-poll
    type: room_poll
    see: more
    prompt: {en: "Has your service met a smuggled migrant this year?", fr: "Votre service a-t-il rencontré un migrant objet de trafic cette année ?"}
    answer: "yes"
    explanation: {en: "Most services have.", fr: "La plupart des services, oui."}
'''


@pytest.fixture
def poll_app(tmp_path):
    register(YesNo())
    content = tmp_path / "content"
    shutil.copytree(DATA, content)
    bank = content / "quizzes" / "02-second-steps.yaml"
    bank.write_text(bank.read_text(encoding="utf-8").rstrip("\n") + "\n" + POLL, encoding="utf-8")
    app = create_app(_config(f"sqlite:///{tmp_path / 'poll.db'}", CONTENT_DIR=content))
    app.jinja_loader = ChoiceLoader([app.jinja_loader, FileSystemLoader(HERE / "templates")])
    app.test_client_class = Client
    try:
        with app.app_context():
            db.create_all()
            yield app
            db.session.remove()
    finally:
        QUESTION_TYPES.pop("room_poll", None)


def right_form(question: dict, item: dict) -> MultiDict:
    qtype = QUESTION_TYPES[question["type"]]
    return MultiDict(qtype.form_values(question, item, qtype.correct_answer(question)))


def test_no_file_of_the_app_names_the_new_type():
    named = [str(p) for p in WEBAPP.rglob("*") if p.is_file() and p.suffix in (".py", ".html")
             and "room_poll" in p.read_text(encoding="utf-8", errors="ignore")]
    assert named == []


def test_a_new_type_is_asked_graded_and_shown_in_a_quiz(poll_app):
    from webapp.content import catalog
    from webapp.models import Attempt
    trainee = make_user(language="en")
    browser = signed_in(poll_app, trainee)
    started = browser.post("/quizzes/second-steps/start")
    form_url, page = started.headers["Content-Location"], text(started)
    assert 'class="choices yes-no"' in page and "Poll of the room." in page and "> Yes</label>" in page
    attempt = db.session.get(Attempt, int(form_url.rsplit("/", 1)[1]))
    answers = MultiDict()
    for item in attempt.layout:
        for key, value in right_form(catalog().question(item["id"]), item).items(multi=True):
            answers.add(key, value)
    result_url = browser.post(form_url, data=answers).headers["Location"]
    result = text(browser.get(result_url))
    assert "Yes/no: you said Yes; the key is Yes." in result and "Most services have." in result
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).score == 1.0


def test_a_new_type_is_asked_live_and_printed(poll_app):
    owner = make_user(role="facilitator", language="en")
    workshop = make_workshop(owner, lessons=("first-steps", "second-steps"))
    trainee = make_user(language="en")
    join_workshop(workshop, trainee)
    facilitator, phone = signed_in(poll_app, owner), signed_in(poll_app, trainee)
    assert facilitator.post(f"/workshops/{workshop.id}/live", data={"question": "ss-poll"}).status_code == 302
    live = current_live(workshop.id)
    assert 'class="choices yes-no"' in text(phone.get(f"/workshops/{workshop.id}"))
    question = {"id": "ss-poll", "type": "room_poll", "answer": "yes"}
    no_form = MultiDict(QUESTION_TYPES["room_poll"].form_values(question, live.layout, "no"))
    assert phone.post(f"/workshops/{workshop.id}/live/{live.id}/answer", data=no_form).status_code == 303
    assert facilitator.post(f"/workshops/{workshop.id}/live/{live.id}/reveal").status_code == 303
    page = text(phone.get(f"/workshops/{workshop.id}"))
    assert "You said No." in page and "The answer: Yes." in page
    screen = text(facilitator.get(f"/workshops/{workshop.id}/live"))
    assert "1 of 1 answered" in screen and "1 answer (100 %)" in screen  # a bar per option: No
    pack = text(facilitator.get(f"/workshops/{workshop.id}/pack"))
    assert 'class="paper-options yes-no-paper"' in pack and "☐ A. Yes" in pack and "☐ B. No" in pack


def test_a_module_in_the_types_package_registers_itself(monkeypatch, tmp_path):
    """In production a new type is a module of webapp/content/types/: discover() imports it."""
    import sys

    import webapp.content.types as package
    from webapp.content.questions import discover
    (tmp_path / "room_poll_type.py").write_text(
        "from tests.data.question_types.room_poll import YesNo\n"
        "from webapp.content.questions import register\n\nregister(YesNo())\n", encoding="utf-8")
    monkeypatch.setattr(package, "__path__", [str(tmp_path)])
    try:
        discover()
        assert QUESTION_TYPES["room_poll"].template("form") == "questions/room_poll/form.html"
    finally:
        QUESTION_TYPES.pop("room_poll", None)
        sys.modules.pop("webapp.content.types.room_poll_type", None)
