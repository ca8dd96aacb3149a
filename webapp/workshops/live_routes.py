"""In the room: live questions (facilitator's screen, trainees' answers, the refreshing panel)."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from ..content import catalog
from ..content.questions import field_name
from ..extensions import db
from ..models import LiveQuestion
from ..quizzes import qtype
from . import access, bp, live, own_questions, picker
from .panels import facilitator_panel, keep_sent, member_page, poll_seconds, trainee_panel, trainee_version
from .services import FACILITATING


def _live_of(workshop, live_id: int) -> LiveQuestion:
    question = db.session.get(LiveQuestion, live_id)
    if question is None or question.workshop_id != workshop.id:
        abort(404)
    return question


@bp.route("/workshops/<int:workshop_id>/live")
@login_required
def live_screen(workshop_id):
    return _live_page(access.for_facilitator(workshop_id))


def _live_page(workshop, status: int = 200, timer_error: str | None = None):
    cat = catalog()
    wanted = picker.Search.read(request.args, cat)
    panel = facilitator_panel(workshop)
    earlier = [a for a in live.asked(workshop.id) if panel["live"] is None or a.live.id != panel["live"].id]
    return render_template("workshops/live.html", workshop=workshop, cat=cat, panel=panel, poll=poll_seconds(),
                           earlier=earlier[::-1], wanted=wanted, found=picker.search(cat, workshop, wanted),
                           lessons=picker.lessons_in_order(cat, workshop), kinds=picker.kinds_in(cat),
                           ALL=picker.ALL, timer_choices=live.TIMER_CHOICES, timer_error=timer_error), status


@bp.route("/workshops/<int:workshop_id>/live/<int:live_id>")
@login_required
def live_past(workshop_id, live_id):
    """An earlier question again, with how the room answered and the right answer: to discuss it."""
    workshop = access.for_facilitator(workshop_id)
    question = _live_of(workshop, live_id)
    cat = catalog()
    asked = question.question_in(cat)
    texts = own_questions.free_texts(question) if asked and qtype(asked).private_answers else None
    return render_template("workshops/live_past.html", workshop=workshop, lq=question, q=asked, texts=texts,
                           number=live.number(question),
                           dist=live.distribution(cat, question), members=live.member_count(workshop.id))


@bp.route("/workshops/<int:workshop_id>/live", methods=["POST"])
@login_required
def live_open(workshop_id):
    workshop = access.for_facilitator(workshop_id)
    question = catalog().question(request.form.get("question", ""))
    if question is None:
        flash(_("Choose a question from the list."), "error")
        return _live_page(workshop, 400)
    seconds, valid = live.read_seconds(request.form)
    if not valid:
        error = _("Enter a countdown from %(low)d to %(high)d seconds, or choose none.",
                  low=live.SECONDS_MIN, high=live.SECONDS_MAX)
        flash(error, "error")
        return _live_page(workshop, 400, error)
    live.open_question(workshop, question, seconds=seconds)
    # Back to the same list of questions: the next one she asks is often beside this one.
    wanted = picker.Search.read(request.form, catalog())
    return redirect(url_for("workshops.live_screen", workshop_id=workshop.id, _anchor="live-panel", **wanted.args()))


@bp.route("/workshops/<int:workshop_id>/live/<int:live_id>/<any(close, reveal, results):action>", methods=["POST"])
@login_required
def live_action(workshop_id, live_id, action):
    """Close, reveal, or show/hide the results (``shown`` 1 or 0); back to the screen she acted from:
    her live screen, or the presenter view (``back=present``)."""
    workshop = access.for_facilitator(workshop_id)
    question = _live_of(workshop, live_id)
    if action == "results":
        live.show_results(question, request.form.get("shown") == "1")
    else:
        (live.close if action == "close" else live.reveal)(question)
    return _back(workshop)


def _back(workshop):
    if request.form.get("back") == "present":
        return redirect(url_for("workshops.live_present", workshop_id=workshop.id), 303)
    return redirect(url_for("workshops.live_screen", workshop_id=workshop.id, _anchor="live-panel"), 303)


@bp.route("/workshops/<int:workshop_id>/live/<int:live_id>/answer", methods=["POST"])
@login_required
def live_answer(workshop_id, live_id):
    """Every outcome but one ends on her workshop page by a 303 (a reload there never sends the form
    again): saved; too late (the question closed); or incomplete, kept to be shown again as she left
    it. A value that is no option (a form altered by hand) gets her page at once with a 400: the
    question shown again with the answer she had saved, if any, which stands."""
    workshop = access.for_member(workshop_id)
    question = _live_of(workshop, live_id)
    cat = catalog()
    outcome = live.answer(cat, question, current_user.id, request.form)
    if outcome == "forged":
        flash(_("This answer is not one of the question’s options: it was not saved. Choose among the "
                "options shown, then send your answer."), "error")
        return member_page(workshop, holding=True), 400
    # A refusal comes back without the #live-panel fragment: a fragment cancels autofocus, and the
    # error message at the top of the page must take the focus to be read out.
    anchor = None
    if outcome == "empty":
        asked = question.question_in(cat)
        keep_sent(question.id, field_name(asked["id"]), request.form)
        flash(_incomplete(live.missing_lines(cat, question, request.form)), "error")
    elif outcome == "closed":
        flash(_("This question is closed: your answer was not saved."), "error")
    else:
        flash(_("Your answer is saved. You can change it until the question closes."), "success")
        anchor = "live-panel"
    return redirect(url_for("workshops.show", workshop_id=workshop.id, _anchor=anchor), 303)


def _incomplete(lines: list[int]) -> str:
    if not lines:
        return _("Choose an answer, then send it.")
    return ngettext("Line %(lines)s has no answer yet: complete it, then send your answer. Your other choices are kept.",
                    "Lines %(lines)s have no answer yet: complete them, then send your answer. Your other choices are kept.",
                    len(lines), lines=", ".join(map(str, lines)))


@bp.route("/workshops/<int:workshop_id>/live/panel")
@login_required
def live_panel(workshop_id):
    """The live panel alone, for the refreshing script: 204 while it has not changed."""
    workshop, role = access.for_anyone_in(workshop_id)
    if role != FACILITATING and request.args.get("v") == (version := trainee_version(workshop)):
        # Nothing changed for her (most polls): two small statements, no panel built.
        return "", 204, {"X-Live-Version": version, "Cache-Control": "no-store"}
    if role == FACILITATING:
        panel, template = facilitator_panel(workshop), "workshops/_facilitator_panel.html"
    else:
        panel, template = trainee_panel(workshop), "workshops/_trainee_panel.html"
    headers = {"X-Live-Version": panel["version"], "Cache-Control": "no-store"}
    if request.args.get("v") == panel["version"]:
        return "", 204, headers
    return render_template(template, workshop=workshop, panel=panel, cat=catalog()), 200, headers
