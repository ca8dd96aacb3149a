"""What the room shows, built in one place for the pages and for the refreshing panel: the trainee's
workshop page and live panel, the facilitator's live panel, and how often they refresh."""
import math
from types import SimpleNamespace

from flask import current_app, render_template, session
from flask_login import current_user
from sqlalchemy import String, bindparam, cast, literal, select
from werkzeug.datastructures import MultiDict

from ..content import catalog
from ..content.questions import QUESTION_TYPES, field_name
from ..extensions import db
from ..models import Attempt, LiveAnswer, LiveQuestion, WorkshopTest
from ..models.base import utcnow
from ..models.workshop import CLOSED
from ..progress import services as progress
from ..quizzes import services as quizzes
from ..zones import workshop_today
from . import live, own_questions, prepost

REFRESH_AT_LEAST = 3  # seconds between two reloads of a whole page (a poll is far lighter)
SENT_KEY = "live_sent"  # the session's copy of an incomplete answer, until the page shows it again
SENT_FIELDS, SENT_CHARS = 24, 400  # what a copy keeps at most: it travels in the session cookie


def poll_seconds() -> float:
    """How often the live panels ask whether something changed."""
    return float(current_app.config["LIVE_POLL_SECONDS"])


def refresh_seconds() -> int:
    """How often a trainee's page without JavaScript reloads itself: the poll's interval in whole
    seconds (a meta refresh takes no fraction), never under REFRESH_AT_LEAST."""
    return max(REFRESH_AT_LEAST, math.ceil(poll_seconds()))


def keep_sent(live_id: int, prefix: str, form) -> None:
    """Keep an incomplete answer (its fields named ``prefix``...) for the page she is sent back to,
    which shows it as she left it; only a few short fields, since the session is a cookie."""
    fields = [(name, value[:SENT_CHARS]) for name, value in form.items(multi=True) if name.startswith(prefix)]
    session[SENT_KEY] = {"live": live_id, "form": fields[:SENT_FIELDS]}


def member_page(workshop, *, holding: bool = False):
    """The trainee's page: the live question, open tests, her lessons and her own results only.
    An incomplete answer she just sent is shown again as she left it, once (a match line missing).
    ``holding``: the page answers a refused answer and says why; it does not reload by itself, which
    would wipe the message before she has read it."""
    cat = catalog()
    rows = progress.rows_by_slug(current_user.id)
    panel = trainee_panel(workshop, session.pop(SENT_KEY, None), holding=holding)
    return render_template(
        "workshops/member.html", workshop=workshop, cat=cat, rows=rows,
        statuses={slug: progress.status_of(rows.get(slug)) for slug in workshop.lessons},
        course=progress.overview(cat.lessons, rows),  # the whole course: the final needs every lesson
        best=quizzes.best_scores(current_user.id), panel=panel, poll=poll_seconds(),
        refresh=refresh_seconds() if panel["refresh"] else None,
        gain=prepost.gains(cat, workshop, only_user_id=current_user.id).trainees[0])


def _held_today(workshop) -> bool:
    return workshop.closed_at is None and workshop.start_date <= workshop_today(workshop) <= workshop.end_date


def trainee_panel(workshop, sent: dict | None = None, *, holding: bool = False) -> dict:
    """What the trainee's live panel shows, its version for the refreshing script, and whether her
    page reloads by itself without it. ``sent``: an incomplete answer kept by ``keep_sent``, shown
    again if its question is still the open one; ``holding``: her page must not reload by itself
    while the question is open (it says why her answer was refused)."""
    cat = catalog()
    question = live.current(workshop.id)
    mine = live.my_answer(question.id, current_user.id) if question else None
    tests = prepost.tests_of(workshop.id)
    sat = {kind: prepost.attempt_of(workshop, kind, current_user.id) for kind in tests}
    test_state = "".join(f"{k}{int(t.is_open)}{int(bool(sat[k] and sat[k].submitted_at))}"
                         for k, t in sorted(tests.items()))
    dist = live.distribution(cat, question) if question and question.state == "revealed" else None
    kept = (MultiDict(sent["form"]) if sent and question and question.state == "open" and sent.get("live") == question.id
            else None)
    return {
        "live": question, "question": question.question_in(cat) if question else None,
        "mine": mine, "form": kept if kept is not None else live.as_form(question, mine) if question else None,
        "dist": dist, "invalid": kept is not None,
        "tests": tests, "sat": sat, "number": live.number(question), "field_name": field_name,
        "refresh": live.refreshes_by_itself(
            question, answered=mine is not None, keeping_sent=kept is not None or holding,
            tests_open=any(t.is_open for t in tests.values()), held_today=_held_today(workshop), now=utcnow()),
        "left": live.seconds_left(question),
        "version": live.version(question, answered=mine is not None, extra=test_state),
    }


# What an unchanged poll compares, in two statements built once: the latest live question, its state
# and whether she answered it; each test of the workshop, open or not, and whether she has sat it.
_LIVE_STATE = (select(LiveQuestion.id, LiveQuestion.state,
                      select(LiveAnswer.id).where(LiveAnswer.live_question_id == LiveQuestion.id,
                                                  LiveAnswer.user_id == bindparam("user")).exists(),
                      LiveQuestion.closes_at)
               .where(LiveQuestion.workshop_id == bindparam("workshop"))
               .order_by(LiveQuestion.id.desc()).limit(1))
_TESTS_STATE = (select(WorkshopTest.kind, WorkshopTest.opened_at, WorkshopTest.closed_at,
                       select(Attempt.id).where(
                           Attempt.user_id == bindparam("user"), Attempt.abandoned_at.is_(None),
                           Attempt.submitted_at.is_not(None),
                           Attempt.quiz == literal("workshop-") + cast(WorkshopTest.workshop_id, String) + "-"
                           + WorkshopTest.kind).exists())
                .where(WorkshopTest.workshop_id == bindparam("workshop")))


def trainee_version(workshop) -> str:
    """The version ``trainee_panel`` would give, without building the panel: what a poll asks."""
    params = {"workshop": workshop.id, "user": current_user.id}
    found = db.session.execute(_LIVE_STATE, params).first()
    extra = "".join(f"{kind}{int(opened is not None and closed is None)}{int(bool(sat))}"
                    for kind, opened, closed, sat in sorted(db.session.execute(_TESTS_STATE, params)))
    question = SimpleNamespace(id=found[0], state=found[1], closes_at=found[3]) if found else None
    if question is not None and live.time_is_up(question):
        question.state = CLOSED  # as the panel will show it: closed by its countdown
    return live.version(question, answered=bool(found and found[2]), extra=extra)


def facilitator_panel(workshop) -> dict:
    cat = catalog()
    question = live.current(workshop.id)
    dist = live.distribution(cat, question) if question else None
    members = live.member_count(workshop.id)
    asked = question.question_in(cat) if question else None
    # Free text: the answers themselves, for her screen only (the distribution has none of them).
    texts = own_questions.free_texts(question) if asked and QUESTION_TYPES[asked["type"]].private_answers else None
    shown = question is not None and live.results_visible(question)
    extra = f"{dist.answered}.{'r' if shown else 'h'}" if dist else ""
    return {"live": question, "question": asked, "dist": dist, "members": members, "texts": texts,
            "number": live.number(question), "results": shown, "left": live.seconds_left(question),
            "waiting": live.not_answered(question) if question is not None and question.state == "open" else [],
            "version": live.version(question, dist=dist, members=members, extra=extra)}


def presenter_panel(workshop) -> dict:
    """What the presenter view shows the room: the question and its options, how many answered, the
    time left; the bars once she shows them or answers stop; the right answer once revealed; the join
    code while nothing is asked or joining is open. Never a name, never a free-text answer."""
    cat = catalog()
    question = live.current(workshop.id)
    asked = question.question_in(cat) if question else None
    private = asked is not None and QUESTION_TYPES[asked["type"]].private_answers
    dist = live.distribution(cat, question) if asked else None
    members = live.member_count(workshop.id)
    shown = dist is not None and live.results_visible(question) and not private
    joining = asked is None or workshop.joining_open
    extra = f"{dist.answered if dist else '-'}.{'r' if shown else 'h'}.{'j' if joining else '-'}"
    return {"live": question if asked else None, "question": asked, "dist": dist, "members": members,
            "results": shown, "private": private, "joining": joining, "number": live.number(question),
            "left": live.seconds_left(question) if asked else None,
            "version": live.version(question if asked else None, dist=dist, members=members, extra=extra)}
