"""Live questions in the room: open, answer, close, reveal, and the anonymous distribution.

Live answers live in their own table and never become Attempts: they count toward no grade."""
from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from ..content import Catalog, catalog
from ..content.questions import QUESTION_TYPES
from ..extensions import db
from ..input_numbers import whole_number
from ..models import LiveAnswer, LiveQuestion, User, Workshop, WorkshopMember
from ..models.base import utcnow
from ..models.workshop import CLOSED, OPEN, REVEALED
from ..quizzes import drawing
from ..quizzes.services import read_answer

RIGHT, PARTLY, WRONG = "right", "partly", "wrong"  # the bands shown for match and order questions
# A question closed or shown this recently keeps the room "live": the next one usually follows.
STILL_LIVE = timedelta(minutes=15)


@dataclass(frozen=True)
class Bar:
    key: str          # an option id, or a band for match/order questions
    count: int
    percent: int
    correct: bool


@dataclass(frozen=True)
class Distribution:
    answered: int
    bars: tuple       # of Bar
    by_option: bool   # True: one bar per option; False: right / partly / wrong bands


SECONDS_MIN, SECONDS_MAX = 5, 3600  # a countdown: long enough to read, at most an hour
TIMER_CHOICES = (30, 60, 120)       # offered in the list; any other within the bounds may be typed


def current(workshop_id: int) -> LiveQuestion | None:
    """The question asked most recently (open, closed or revealed), or None. A countdown that ran
    out closes it here, on the first read after it did (nobody has to click "Close")."""
    live = db.session.scalar(select(LiveQuestion).where(LiveQuestion.workshop_id == workshop_id)
                             .order_by(LiveQuestion.id.desc()).limit(1))
    if live is not None and time_is_up(live):
        close_when_time_is_up(live)
    return live


def time_is_up(live, now: datetime | None = None) -> bool:
    """Open, but its countdown has run out: answers are refused as if it were closed."""
    return live.state == OPEN and live.closes_at is not None and live.closes_at <= (now or utcnow())


def close_when_time_is_up(live: LiveQuestion) -> None:
    """Record the close at the moment the countdown ended, so the history is right. Only an open row is
    closed: a reveal sent meanwhile stands."""
    db.session.execute(update(LiveQuestion).where(LiveQuestion.id == live.id, LiveQuestion.state == OPEN)
                       .values(state=CLOSED, closed_at=live.closes_at))
    db.session.commit()
    db.session.refresh(live)


def seconds_left(live: LiveQuestion | None, now: datetime | None = None) -> int | None:
    """Whole seconds until the countdown ends (rounded up), or None: no countdown, or answers stopped."""
    if live is None or live.state != OPEN or live.closes_at is None:
        return None
    return max(0, math.ceil((live.closes_at - (now or utcnow())).total_seconds()))


def read_seconds(form) -> tuple[int | None, bool]:
    """The countdown chosen in the "Ask" form: (seconds or None for none, valid?). ``timer`` is a
    number of seconds from the list, "" for none or "custom"; ``seconds`` the number typed, which
    also counts when she typed it and left the list on none."""
    choice, typed = form.get("timer", ""), form.get("seconds", "").strip()
    if choice == "" and not typed:
        return None, True
    seconds = whole_number(typed if choice in ("", "custom") else choice, max_digits=6)
    if seconds is None or not SECONDS_MIN <= seconds <= SECONDS_MAX:
        return None, False
    return seconds, True


def number(live: LiveQuestion | None) -> int:
    """The question's place among those asked in this workshop (1 for the first)."""
    if live is None:
        return 0
    return db.session.scalar(select(func.count()).select_from(LiveQuestion).where(
        LiveQuestion.workshop_id == live.workshop_id, LiveQuestion.id <= live.id)) or 0


def open_question(workshop: Workshop, question: dict, rng: random.Random | None = None, *,
                  own: bool = False, seconds: int | None = None) -> LiveQuestion:
    """Ask a question now (the bank's; or, ``own``, one she typed, kept whole), with a countdown of
    ``seconds`` if given; the question asked before closes. Asking the question that is open
    already (a double click) keeps it: trainees who are answering it are not told it closed. The
    database keeps one open question per workshop: of two "Ask" at once, the later one stays open."""
    rng = rng or random.Random()
    for _ in range(3):
        latest = current(workshop.id)
        if latest is not None and latest.state == OPEN and latest.question_id == question["id"]:
            return latest
        try:
            with db.session.begin_nested():
                db.session.execute(update(LiveQuestion).where(LiveQuestion.workshop_id == workshop.id,
                                                              LiveQuestion.state == OPEN)
                                   .values(state=CLOSED, closed_at=utcnow()))
                live = LiveQuestion(workshop_id=workshop.id, question_id=question["id"],
                                    own=question if own else None,
                                    layout=drawing.layout(question, rng), state=OPEN,
                                    closes_at=utcnow() + timedelta(seconds=seconds) if seconds else None)
                db.session.add(live)
        except IntegrityError:  # another "Ask" opened one meanwhile: close it in turn
            db.session.rollback()
            continue
        db.session.commit()
        return live
    return current(workshop.id)  # three races lost in a row: what the others asked stands


def close(live: LiveQuestion) -> None:
    if live.state == OPEN:
        live.state, live.closed_at = CLOSED, live.closes_at if time_is_up(live) else utcnow()
        db.session.commit()


def show_results(live: LiveQuestion, shown: bool) -> None:
    """Show the room's answers on her screen (and the presenter view) while they are still open, or
    hide them again. Set, not toggled: the same button sent twice leaves them as she wanted."""
    if live.results_shown != shown:
        live.results_shown = shown
        db.session.commit()


def results_visible(live: LiveQuestion) -> bool:
    """The bars are shown: once answers stop, or earlier if she chose to show them."""
    return live.state != OPEN or live.results_shown


def reveal(live: LiveQuestion) -> None:
    """Show the right answer and the explanation to everyone; answering stops."""
    live.closed_at = live.closed_at or (live.closes_at if time_is_up(live) else utcnow())
    live.state = REVEALED
    db.session.commit()


def answer(cat: Catalog, live: LiveQuestion, user_id: int, form) -> str:
    """Record or change a trainee's answer: "saved", "empty" (nothing chosen), "forged" (a value that is
    no option of the question: refused, her earlier answer kept) or "closed"."""
    question = live.question_in(cat)
    # Read the state afresh: the facilitator may have closed the question a second ago, or its
    # countdown ended (closed in the database only at the next read: refused all the same).
    fresh = db.session.execute(select(LiveQuestion.state, LiveQuestion.closes_at).where(LiveQuestion.id == live.id)).first()
    if question is None or fresh is None or time_is_up(fresh) or fresh.state != OPEN:
        return "closed"
    value = read_answer(question, live.layout, form)
    qtype = QUESTION_TYPES[question["type"]]
    # Unlike a quiz, which grades a forged value wrong, the room would count it as an answer that
    # is no option: the facilitator's figures would be wrong, and her real answer replaced.
    if not qtype.is_offered(question, live.layout, value):
        return "forged"
    if not qtype.is_answered(question, value):
        return "empty"
    credit = qtype.grade(question, value)
    row = my_answer(live.id, user_id)
    if row is None:
        try:
            with db.session.begin_nested():  # a double tap: the unique pair keeps one row
                db.session.add(LiveAnswer(live_question_id=live.id, user_id=user_id, answer=value, credit=credit))
        except IntegrityError:
            row = my_answer(live.id, user_id)
    if row is not None:
        row.answer, row.credit, row.answered_at = value, credit, utcnow()
    db.session.commit()
    return "saved"


def my_answer(live_id: int, user_id: int) -> LiveAnswer | None:
    return db.session.scalar(select(LiveAnswer).where(LiveAnswer.live_question_id == live_id,
                                                      LiveAnswer.user_id == user_id))


def as_form(live: LiveQuestion, row: LiveAnswer | None) -> MultiDict:
    """A trainee's stored answer as the form values that show it checked (to change it)."""
    question = live.question_in(catalog())
    if row is None or row.answer is None or question is None:
        return MultiDict()
    return MultiDict(QUESTION_TYPES[question["type"]].form_values(question, live.layout, row.answer))


def distribution(cat: Catalog, live: LiveQuestion) -> Distribution:
    """How the room answered, without names: per option, or right/partly/wrong for match and order;
    only how many answered where the answers are for the facilitator alone (free text)."""
    question = live.question_in(cat)
    rows = db.session.execute(select(LiveAnswer.answer, LiveAnswer.credit)
                              .where(LiveAnswer.live_question_id == live.id)).all()
    answered = len(rows)
    if question is not None and QUESTION_TYPES[question["type"]].private_answers:
        return Distribution(answered, (), False)

    def pct(n):
        return round(100 * n / answered) if answered else 0

    if question is not None and QUESTION_TYPES[question["type"]].by_option:
        right = QUESTION_TYPES[question["type"]].correct_answer(question)
        right = set(right) if isinstance(right, list) else {right}
        counts = {option: 0 for option in live.layout["shown"]}
        for value, _credit in rows:
            for option in (value if isinstance(value, list) else [value]):
                if option in counts:
                    counts[option] += 1
        bars = tuple(Bar(o, n, pct(n), o in right) for o, n in counts.items())
        return Distribution(answered, bars, True)
    bands = {RIGHT: 0, PARTLY: 0, WRONG: 0}
    for _value, credit in rows:
        bands[RIGHT if credit >= 1 else PARTLY if credit > 0 else WRONG] += 1
    return Distribution(answered, tuple(Bar(k, n, pct(n), k == RIGHT) for k, n in bands.items()), False)


@dataclass(frozen=True)
class Asked:
    """One question asked in the room, for the list the facilitator goes back to at the end of a day."""
    live: LiveQuestion
    number: int
    answered: int
    right: int  # answers with full credit


def asked(workshop_id: int) -> list[Asked]:
    """Every question asked in the workshop, first to last, with its answer counts (one query)."""
    rows = db.session.execute(
        select(LiveQuestion, func.count(LiveAnswer.id),
               func.coalesce(func.sum(case((LiveAnswer.credit >= 1, 1), else_=0)), 0))
        .outerjoin(LiveAnswer, LiveAnswer.live_question_id == LiveQuestion.id)
        .where(LiveQuestion.workshop_id == workshop_id)
        .group_by(LiveQuestion.id).order_by(LiveQuestion.id)).all()
    return [Asked(live, n, answered, int(right)) for n, (live, answered, right) in enumerate(rows, start=1)]


def next_in_course(cat: Catalog, workshop: Workshop) -> dict | None:
    """The question "Next" asks: the first of the bank questions of the workshop's lessons, in course
    order, after the one asked last and not asked yet in this workshop (then those before it); None
    when every one has been asked."""
    ordered = [q for slug in workshop.lessons if slug in cat.banks for q in cat.banks[slug].questions]
    asked_ids = set(db.session.scalars(select(LiveQuestion.question_id).where(LiveQuestion.workshop_id == workshop.id)))
    latest = db.session.scalar(select(LiveQuestion.question_id).where(LiveQuestion.workshop_id == workshop.id)
                               .order_by(LiveQuestion.id.desc()).limit(1))
    ids = [q["id"] for q in ordered]
    start = ids.index(latest) + 1 if latest in ids else 0
    return next((q for q in ordered[start:] + ordered[:start] if q["id"] not in asked_ids), None)


def not_answered(live: LiveQuestion) -> list[str]:
    """The names of the workshop's trainees who have not answered yet, by name (one statement): for
    the facilitator's screen only, to wait for them or call on them; the distribution stays anonymous."""
    answered = select(LiveAnswer.id).where(LiveAnswer.live_question_id == live.id, LiveAnswer.user_id == User.id)
    names = db.session.scalars(select(User.name).join(WorkshopMember, WorkshopMember.user_id == User.id)
                               .where(WorkshopMember.workshop_id == live.workshop_id, ~answered.exists())).all()
    return sorted(names, key=str.casefold)


def member_count(workshop_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(WorkshopMember)
                             .where(WorkshopMember.workshop_id == workshop_id)) or 0


def version(live: LiveQuestion | None, *, answered: bool = False, dist: Distribution | None = None,
            members: int = 0, extra: str = "") -> str:
    """What a page shows of the live question, in a few characters: the script reloads the panel
    only when this changes (a trainee's half-chosen answer is not swept away by others' answers)."""
    if live is None:
        return f"none.{members}.{extra}"
    parts = [str(live.id), live.state, "a" if answered else "-", extra]
    if dist is not None:
        parts += [str(members)] + [str(bar.count) for bar in dist.bars]
    return ".".join(parts)


def in_session(question: LiveQuestion | None, *, tests_open: bool, held_today: bool, now: datetime) -> bool:
    """Whether something is going on in the room that a trainee's page should follow by itself: a
    question open, or closed or shown less than STILL_LIVE ago (the next one is likely to come), a
    pre- or post-test open, or a day of the workshop (she waits for the first question). A page left
    open in the evening, or weeks later, stays still."""
    if tests_open or held_today:
        return True
    if question is None:
        return False
    if question.state == OPEN:
        return True
    return question.closed_at is not None and now - question.closed_at <= STILL_LIVE


def refreshes_by_itself(question: LiveQuestion | None, *, answered: bool, keeping_sent: bool,
                        tests_open: bool, held_today: bool, now: datetime) -> bool:
    """Whether a trainee's page without JavaScript reloads itself (a meta refresh), so that she sees
    each new question and each answer shown without touching it. Never while a question is open that
    she has not answered, nor while her page shows an answer she sent incomplete: a reload would wipe
    the choice she is making (the page says it will refresh once she has sent her answer)."""
    if question is not None and question.state == OPEN and (not answered or keeping_sent):
        return False
    return in_session(question, tests_open=tests_open, held_today=held_today, now=now)


def missing_lines(cat: Catalog, live: LiveQuestion, form) -> list[int]:
    """The lines an incomplete answer left empty (a match's), to name them; [] for other types."""
    question = live.question_in(cat)
    return QUESTION_TYPES[question["type"]].missing_lines(question, live.layout, form) if question else []
