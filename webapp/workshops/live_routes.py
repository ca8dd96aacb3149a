"""In the room: live questions (facilitator's screen, trainees' answers, the refreshing panel) and
the pre- and post-tests."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..content import catalog
from ..content.questions import QUESTION_TYPES
from ..extensions import db
from ..input_numbers import whole_number
from ..models import LiveQuestion
from ..models.workshop import POST, PRE, TEST_KINDS
from ..quizzes import services as quizzes
from . import access, bp, knowledge, live
from .routes import member_page, poll_seconds, trainee_panel
from .services import FACILITATING


def _live_of(workshop, live_id: int) -> LiveQuestion:
    question = db.session.get(LiveQuestion, live_id)
    if question is None or question.workshop_id != workshop.id:
        abort(404)
    return question


def facilitator_panel(workshop) -> dict:
    cat = catalog()
    question = live.current(workshop.id)
    dist = live.distribution(cat, question) if question else None
    members = live.member_count(workshop.id)
    return {"live": question, "question": cat.question(question.question_id) if question else None,
            "dist": dist, "members": members, "number": live.number(question), "version": live.version(question, dist=dist, members=members)}


@bp.route("/workshops/<int:workshop_id>/live")
@login_required
def live_screen(workshop_id):
    return _live_page(access.for_facilitator(workshop_id))


def _live_page(workshop, status: int = 200):
    cat = catalog()
    in_scope = [cat.banks[s] for s in workshop.lessons if s in cat.banks]
    others = [b for slug, b in cat.banks.items() if slug not in workshop.lessons]
    panel = facilitator_panel(workshop)
    earlier = [a for a in live.asked(workshop.id) if panel["live"] is None or a.live.id != panel["live"].id]
    return render_template("workshops/live.html", workshop=workshop, cat=cat, banks=in_scope + others,
                           panel=panel, poll=poll_seconds(), earlier=earlier[::-1]), status


@bp.route("/workshops/<int:workshop_id>/live/<int:live_id>")
@login_required
def live_past(workshop_id, live_id):
    """An earlier question again, with how the room answered and the right answer: to discuss it."""
    workshop = access.for_facilitator(workshop_id)
    question = _live_of(workshop, live_id)
    cat = catalog()
    return render_template("workshops/live_past.html", workshop=workshop, lq=question,
                           q=cat.question(question.question_id), number=live.number(question),
                           dist=live.distribution(cat, question), members=live.member_count(workshop.id))


@bp.route("/workshops/<int:workshop_id>/live", methods=["POST"])
@login_required
def live_open(workshop_id):
    workshop = access.for_facilitator(workshop_id)
    question = catalog().question(request.form.get("question", ""))
    if question is None:
        flash(_("Choose a question from the list."), "error")
        return _live_page(workshop, 400)
    live.open_question(workshop, question)
    return redirect(url_for("workshops.live_screen", workshop_id=workshop.id))


@bp.route("/workshops/<int:workshop_id>/live/<int:live_id>/<any(close, reveal):action>", methods=["POST"])
@login_required
def live_action(workshop_id, live_id, action):
    workshop = access.for_facilitator(workshop_id)
    question = _live_of(workshop, live_id)
    (live.close if action == "close" else live.reveal)(question)
    return redirect(url_for("workshops.live_screen", workshop_id=workshop.id, _anchor="live-panel"))


@bp.route("/workshops/<int:workshop_id>/live/<int:live_id>/answer", methods=["POST"])
@login_required
def live_answer(workshop_id, live_id):
    workshop = access.for_member(workshop_id)
    question = _live_of(workshop, live_id)
    outcome = live.answer(catalog(), question, current_user.id, request.form)
    if outcome == "empty":
        return member_page(workshop, 400, _("Choose an answer, then send it."))
    if outcome == "closed":
        return member_page(workshop, 409, _("This question is closed: your answer was not saved."))
    flash(_("Your answer is saved. You can change it until the question closes."), "success")
    return redirect(url_for("workshops.show", workshop_id=workshop.id, _anchor="live-panel"))


@bp.route("/workshops/<int:workshop_id>/live/panel")
@login_required
def live_panel(workshop_id):
    """The live panel alone, for the refreshing script: 204 while it has not changed."""
    workshop, role = access.for_anyone_in(workshop_id)
    if role == FACILITATING:
        panel, template = facilitator_panel(workshop), "workshops/_facilitator_panel.html"
    else:
        panel, template = trainee_panel(workshop), "workshops/_trainee_panel.html"
    headers = {"X-Live-Version": panel["version"], "Cache-Control": "no-store"}
    if request.args.get("v") == panel["version"]:
        return "", 204, headers
    return render_template(template, workshop=workshop, panel=panel, cat=catalog()), 200, headers


# Pre- and post-tests ----------------------------------------------------------------------------

def _kind(kind: str) -> str:
    if kind not in TEST_KINDS:
        abort(404)
    return kind


@bp.route("/workshops/<int:workshop_id>/tests")
@login_required
def tests(workshop_id):
    return _tests_page(access.for_facilitator(workshop_id))


def _tests_page(workshop, status: int = 200):
    cat = catalog()
    found = knowledge.tests_of(workshop.id)
    return render_template("workshops/tests.html", workshop=workshop, cat=cat, tests=found, PRE=PRE, POST=POST,
                           locked={k: knowledge.has_attempts(workshop, k) for k in found},
                           gain=knowledge.gains(cat, workshop), per_lesson=knowledge.PER_LESSON_CHOICES,
                           right_answer=lambda q: QUESTION_TYPES[q["type"]].correct_answer(q),
                           option_ids=lambda q: QUESTION_TYPES[q["type"]].option_ids(q)), status


@bp.route("/workshops/<int:workshop_id>/tests/<kind>/compose", methods=["POST"])
@login_required
def test_compose(workshop_id, kind):
    workshop = access.for_facilitator(workshop_id)
    kind = _kind(kind)
    per_lesson = whole_number(request.form.get("per_lesson", "2"), max_digits=2)
    mode = request.form.get("mode", knowledge.SAME)
    if per_lesson not in knowledge.PER_LESSON_CHOICES or mode not in (knowledge.SAME, knowledge.PARALLEL):
        abort(400)
    try:
        knowledge.compose(catalog(), workshop, kind, per_lesson, mode)
    except knowledge.TestLocked:
        flash(_("Trainees have started this test: its questions can no longer change."), "error")
        return _tests_page(workshop, 409)
    flash(_("The questions are drawn."), "success")
    return redirect(url_for("workshops.tests", workshop_id=workshop.id, _anchor=f"test-{kind}"))


@bp.route("/workshops/<int:workshop_id>/tests/<kind>/<any(open, close):action>", methods=["POST"])
@login_required
def test_open(workshop_id, kind, action):
    workshop = access.for_facilitator(workshop_id)
    kind = _kind(kind)
    test = knowledge.tests_of(workshop.id).get(kind)
    if test is None:
        test = knowledge.compose(catalog(), workshop, kind, 2)
    knowledge.set_open(test, action == "open")
    flash(_("The test is open: trainees see it on their workshop page.") if action == "open"
          else _("The test is closed."), "success")
    return redirect(url_for("workshops.tests", workshop_id=workshop.id, _anchor=f"test-{kind}"))


@bp.route("/workshops/<int:workshop_id>/tests/<kind>/start", methods=["POST"])
@login_required
def test_start(workshop_id, kind):
    workshop = access.for_member(workshop_id)
    test = knowledge.tests_of(workshop.id).get(_kind(kind))
    if test is None or (not test.is_open and knowledge.attempt_of(workshop, kind, current_user.id) is None):
        return member_page(workshop, 409, _("This test is not open."))
    knowledge.start(catalog(), workshop, test, current_user.id)
    return redirect(url_for("workshops.test_take", workshop_id=workshop.id, kind=kind))


@bp.route("/workshops/<int:workshop_id>/tests/<kind>", methods=["GET", "POST"])
@login_required
def test_take(workshop_id, kind):
    workshop = access.for_member(workshop_id)
    kind = _kind(kind)
    cat = catalog()
    test = knowledge.tests_of(workshop.id).get(kind)
    attempt = knowledge.attempt_of(workshop, kind, current_user.id)
    if test is None or attempt is None:
        return redirect(url_for("workshops.show", workshop_id=workshop.id))
    unanswered, status = (), 200
    if attempt.submitted_at is None and request.method == "POST":
        if not test.is_open:
            flash(_("This test is closed: your answers were not recorded."), "error")
            status = 409
        else:
            outcome = quizzes.submit(cat, attempt, request.form)
            if outcome.status != "incomplete":
                return redirect(url_for("workshops.test_take", workshop_id=workshop.id, kind=kind))
            unanswered, status = outcome.unanswered, 400
    if attempt.submitted_at is not None:
        mine = knowledge.gains(cat, workshop, only_user_id=current_user.id).trainees[0]
        return render_template("workshops/test_result.html", workshop=workshop, cat=cat, kind=kind, attempt=attempt,
                               gain=mine, PRE=PRE)
    questions = [(item, cat.question(item["id"])) for item in attempt.layout if cat.question(item["id"])]
    return render_template("workshops/test_take.html", workshop=workshop, kind=kind, test=test, attempt=attempt,
                           questions=questions, form=request.form, unanswered=unanswered, PRE=PRE,
                           numbers={item["id"]: n for n, item in enumerate(attempt.layout, start=1)},
                           field_name=quizzes.field_name), status
