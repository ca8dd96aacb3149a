"""The paper fallback that counts: the pre- and post-test printed as sheets (versions with their own
option order and key), typed back in by the facilitator one sheet a screen, recorded like an online
sitting but marked "paper", counted in the knowledge gain, never twice."""
import re
from datetime import datetime

import pytest
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Attempt, AttemptAnswer, WorkshopTest

from ..factories import join_workshop, make_user, make_workshop
from ..records_builders import take_quiz
from .workshop_helpers import signed_in, text

QUESTIONS = ["fs-elements", "fs-forms", "fs-border", "ss-match", "ss-order"]


def _workshop(app):
    owner = make_user(role="facilitator", language="en")
    workshop = make_workshop(owner)
    ana, ben = make_user(name="Ana Diallo", language="en"), make_user(name="Ben Sow")
    join_workshop(workshop, ana, ben)
    db.session.add_all([WorkshopTest(workshop_id=workshop.id, kind="pre", question_ids=QUESTIONS),
                        WorkshopTest(workshop_id=workshop.id, kind="post", question_ids=QUESTIONS)])
    db.session.commit()
    return owner, workshop, ana, ben


def printed_keys(client, workshop_id) -> dict:
    """(kind, version) -> the answer key printed in the pack, one entry per question: "A", "A, B",
    "1→B, 2→C, 3→A" (match), "C A B" (order)."""
    page = text(client.get(f"/workshops/{workshop_id}/pack?parts=tests&key=1"))
    key = page[page.index('id="pack-key"'):]
    found = {}
    for kind, block in zip(("pre", "post"), re.split(r"<h3>(?:Pre-test|Post-test)</h3>", key)[1:3]):
        for version, spans in re.findall(r"<strong>version (\w)</strong>: (.*?)</p>", block):
            found[(kind, version)] = re.findall(r"<span>\d+\. (.*?)</span>", spans)
    return found


def sheet_form(user, version, answers, **extra) -> dict:
    return {"user": user.id, "version": version, **{f"a-{n}": a for n, a in enumerate(answers, start=1)}, **extra}


def sittings(user, kind="pre", workshop=None):
    return list(db.session.scalars(select(Attempt).where(Attempt.user_id == user.id,
                                                         Attempt.quiz.like(f"workshop-%-{kind}"))))


def test_the_printed_sheets_differ_by_version_and_name_their_series(app):
    owner, workshop, _ana, _ben = _workshop(app)
    client = signed_in(app, owner)
    page = text(client.get(f"/workshops/{workshop.id}/pack?parts=tests"))
    assert f"Series W{workshop.id}-pre, version A" in page and f"Series W{workshop.id}-post, version B" in page
    assert "How many elements has trafficking?" in page and "Glossary" not in page.split("</ol>", 1)[1]
    keys = printed_keys(client, workshop.id)
    assert set(keys) == {("pre", "A"), ("pre", "B"), ("post", "A"), ("post", "B")}
    assert all(len(k) == len(QUESTIONS) for k in keys.values())
    assert keys[("pre", "A")] != keys[("pre", "B")]  # neighbours' ticks tell nothing
    assert keys[("pre", "A")][2] == "B"  # true/false keeps its order: "False" is B on every version


def test_typed_in_paper_answers_are_graded_marked_paper_and_count_in_the_gain(app):
    owner, workshop, ana, _ben = _workshop(app)
    client = signed_in(app, owner)
    keys = printed_keys(client, workshop.id)
    form_page = text(client.get(f"/workshops/{workshop.id}/tests/pre/paper"))
    assert 'name="a-5"' in form_page and 'autocapitalize="characters"' in form_page and "Ana Diallo" in form_page
    # Her pre-test on version B: the first two right, the rest left blank.
    pre = keys[("pre", "B")][:2] + ["", "", ""]
    response = client.post(f"/workshops/{workshop.id}/tests/pre/paper", data=sheet_form(ana, "B", pre))
    assert response.status_code == 302 and "version=B" in response.headers["Location"]
    landed = text(client.get(response.headers["Location"]))
    assert "Saved for Ana Diallo: 40 % (version B, on paper)." in landed
    assert 'value="B" checked' in landed  # the next sheet of the pile is likely the same version
    # Her post-test on version A, every answer right, typed as the key is printed (arrows, commas).
    response = client.post(f"/workshops/{workshop.id}/tests/post/paper",
                           data=sheet_form(ana, "A", keys[("post", "A")]))
    assert response.status_code == 302
    [pre_sitting], [post_sitting] = sittings(ana, "pre"), sittings(ana, "post")
    assert (pre_sitting.paper_version, pre_sitting.score) == ("B", 0.4)
    assert (post_sitting.paper_version, post_sitting.score) == ("A", 1.0)
    assert db.session.scalar(select(func.count()).select_from(AttemptAnswer)
                             .where(AttemptAnswer.attempt_id == post_sitting.id)) == len(QUESTIONS)
    # The gain on the tests page, and on the roster marked paper
    tests_page = text(client.get(f"/workshops/{workshop.id}/tests"))
    assert "40 % → 100 % <strong>(+60)</strong>" in tests_page
    roster = text(client.get(f"/workshops/{workshop.id}/roster"))
    row = roster[roster.index("Ana Diallo"):roster.index("</tr>", roster.index("Ana Diallo"))]
    assert "40 % <span class=\"meta\">(paper)</span>" in row and "+60" in row
    # She sees her result like an online one
    mine = text(signed_in(app, ana).get(f"/workshops/{workshop.id}/tests/post"))
    assert "Your score: 100 %" in mine and "Now: 100 %" in mine


@pytest.mark.engine_sensitive  # one sitting per trainee and test is a partial unique index
def test_a_sheet_typed_in_twice_asks_before_replacing_and_never_duplicates(app):
    owner, workshop, ana, _ben = _workshop(app)
    client = signed_in(app, owner)
    url = f"/workshops/{workshop.id}/tests/pre/paper"
    keys = printed_keys(client, workshop.id)
    assert client.post(url, data=sheet_form(ana, "A", ["", "", "", "", ""])).status_code == 302
    [first] = sittings(ana)
    again = client.post(url, data=sheet_form(ana, "A", keys[("pre", "A")]))
    assert again.status_code == 409
    page = text(again)
    assert "Ana Diallo already has this test recorded (on paper, version A, 0 %). Save these answers instead?" in page
    assert f'name="replace" value="{first.id}"' in page and keys[("pre", "A")][0] in page  # her typing is kept
    assert len(sittings(ana)) == 1
    # Replacing with the id of another sitting (a stale page) asks again
    assert client.post(url, data=sheet_form(ana, "A", keys[("pre", "A")], replace=first.id + 99)).status_code == 409
    response = client.post(url, data=sheet_form(ana, "A", keys[("pre", "A")], replace=first.id))
    assert response.status_code == 302
    counted = [a for a in sittings(ana) if a.abandoned_at is None]
    assert [a.score for a in counted] == [1.0] and len(sittings(ana)) == 2  # the old one kept, set aside
    gains = text(client.get(f"/workshops/{workshop.id}/tests"))
    assert "<td>100 % → —</td>" in gains and "<td>0 % → —</td>" not in gains


def test_a_paper_sheet_never_replaces_a_test_she_sat_online(app):
    owner, workshop, ana, _ben = _workshop(app)
    online = take_quiz(ana, quiz=f"workshop-{workshop.id}-pre", score=0.6, pass_mark=0.0, at=datetime(2026, 3, 24, 9))
    client = signed_in(app, owner)
    url = f"/workshops/{workshop.id}/tests/pre/paper"
    for extra in ({}, {"replace": online.id}):
        response = client.post(url, data=sheet_form(ana, "A", ["A"] * 5, **extra))
        assert response.status_code == 409
        page = text(response)
        assert "Ana Diallo sat this test online (60 %): her own answers stand" in page and 'name="replace"' not in page
    assert [a.id for a in sittings(ana)] == [online.id]


@pytest.mark.parametrize("answers, unreadable", [
    (["Z", "", "", "", ""], [1]),               # not a letter of the sheet
    (["AB", "", "", "", ""], [1]),              # two letters for a one-answer question
    (["", "AA", "", "C", "AB"], [2, 4, 5]),     # a letter twice; a line short on a match; an order short
])
def test_letters_that_cannot_be_read_on_the_sheet_are_named_and_nothing_is_recorded(app, answers, unreadable):
    owner, workshop, ana, _ben = _workshop(app)
    response = signed_in(app, owner).post(f"/workshops/{workshop.id}/tests/pre/paper",
                                          data=sheet_form(ana, "A", answers))
    assert response.status_code == 400
    page = text(response)
    named = [int(n) for n in re.findall(r'<a href="#a-(\d+)">Question \d+: these letters', page)]
    assert named == unreadable
    assert all(f'id="a-{n}" name="a-{n}" value="{answers[n - 1]}"' in page for n in unreadable)
    assert sittings(ana) == []


def test_the_sheet_must_name_a_trainee_of_the_workshop_and_a_printed_version(app):
    owner, workshop, _ana, _ben = _workshop(app)
    stranger = make_user(name="Not In The Room")
    client = signed_in(app, owner)
    url = f"/workshops/{workshop.id}/tests/pre/paper"
    for user in ("", "abc", str(stranger.id)):
        response = client.post(url, data={"user": user, "version": "A", "a-1": "A"})
        assert response.status_code == 400 and "Choose the trainee whose sheet this is." in text(response)
    assert client.post(url, data={"user": stranger.id, "version": "Q", "a-1": "A"}).status_code == 400
    assert client.get(f"/workshops/{workshop.id}/tests/during/paper").status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 0


def test_without_questions_drawn_there_is_no_sheet_to_type_in(app):
    owner = make_user(role="facilitator", language="en")
    workshop = make_workshop(owner)
    ana = make_user()
    join_workshop(workshop, ana)
    client = signed_in(app, owner)
    page = client.get(f"/workshops/{workshop.id}/tests/pre/paper")
    assert page.status_code == 200 and "No questions drawn yet for this test" in text(page)
    assert client.post(f"/workshops/{workshop.id}/tests/pre/paper",
                       data={"user": ana.id, "version": "A"}).status_code == 409


def test_a_trainee_neither_types_sheets_in_nor_prints_the_test_sheets(app):
    owner, workshop, ana, _ben = _workshop(app)
    client = signed_in(app, ana)
    assert client.get(f"/workshops/{workshop.id}/tests/pre/paper").status_code in (403, 404)
    assert client.post(f"/workshops/{workshop.id}/tests/pre/paper",
                       data=sheet_form(ana, "A", ["A"] * 5)).status_code in (403, 404)
    page = text(client.get(f"/workshops/{workshop.id}/pack?parts=tests&key=1"))
    assert "How many elements has trafficking?" not in page and "Answer key" not in page
    assert sittings(ana) == []
