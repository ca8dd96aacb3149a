"""A workshop's pre- and post-tests: composing them (facilitator), opening and closing them, and
sitting them (trainee). The rules are in prepost.py."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import i18n
from ..content import catalog
from ..content.questions import field_name
from ..input_numbers import whole_number
from ..models.workshop import POST, PRE
from ..quizzes import services as quizzes
from . import access, bp, prepost


@bp.route("/workshops/<int:workshop_id>/tests")
@login_required
def tests(workshop_id):
    return _tests_page(access.for_facilitator(workshop_id))


def _tests_page(workshop, status: int = 200):
    cat = catalog()
    found = prepost.tests_of(workshop.id)
    return render_template("workshops/tests.html", workshop=workshop, cat=cat, tests=found, PRE=PRE, POST=POST,
                           locked={k: prepost.has_attempts(workshop, k) for k in found},
                           gain=prepost.gains(cat, workshop), per_lesson=prepost.PER_LESSON_CHOICES,
                           # also when a refused POST shows it: the language switch comes back here
                           page_address=url_for("workshops.tests", workshop_id=workshop.id)), status


@bp.route("/workshops/<int:workshop_id>/tests/<any(pre, post):kind>/compose", methods=["POST"])
@login_required
def test_compose(workshop_id, kind):
    workshop = access.for_facilitator(workshop_id)
    per_lesson = whole_number(request.form.get("per_lesson", "2"), max_digits=2)
    mode = request.form.get("mode", prepost.SAME)
    if per_lesson not in prepost.PER_LESSON_CHOICES or mode not in (prepost.SAME, prepost.PARALLEL):
        abort(400)
    try:
        prepost.compose(catalog(), workshop, kind, per_lesson, mode)
    except prepost.TestLocked:
        flash(_("Trainees have started this test: its questions can no longer change."), "error")
        return _tests_page(workshop, 409)
    flash(_("The questions are drawn."), "success")
    return redirect(url_for("workshops.tests", workshop_id=workshop.id, _anchor=f"test-{kind}"))


@bp.route("/workshops/<int:workshop_id>/tests/<any(pre, post):kind>/<any(open, close):action>", methods=["POST"])
@login_required
def test_open(workshop_id, kind, action):
    workshop = access.for_facilitator(workshop_id)
    test = prepost.tests_of(workshop.id).get(kind)
    if test is None:
        test = prepost.compose(catalog(), workshop, kind, 2)
    prepost.set_open(test, action == "open")
    flash(_("The test is open: trainees see it on their workshop page.") if action == "open"
          else _("The test is closed."), "success")
    return redirect(url_for("workshops.tests", workshop_id=workshop.id, _anchor=f"test-{kind}"))


@bp.route("/workshops/<int:workshop_id>/tests/<any(pre, post):kind>/start", methods=["POST"])
@login_required
def test_start(workshop_id, kind):
    workshop = access.for_member(workshop_id)
    test = prepost.tests_of(workshop.id).get(kind)
    if test is None or (not test.is_open and prepost.attempt_of(workshop, kind, current_user.id) is None):
        flash(_("This test is not open."), "error")  # back to her page: a reload there sends nothing again
        # No #live-panel fragment: it would cancel the autofocus that has the message read out.
        return redirect(url_for("workshops.show", workshop_id=workshop.id), 303)
    prepost.start(catalog(), workshop, test, current_user.id)
    return redirect(url_for("workshops.test_take", workshop_id=workshop.id, kind=kind))


@bp.route("/workshops/<int:workshop_id>/tests/<any(pre, post):kind>", methods=["GET", "POST"])
@login_required
def test_take(workshop_id, kind):
    workshop = access.for_member(workshop_id)
    cat = catalog()
    test = prepost.tests_of(workshop.id).get(kind)
    attempt = prepost.attempt_of(workshop, kind, current_user.id)
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
        mine = prepost.gains(cat, workshop, only_user_id=current_user.id).trainees[0]
        return render_template("workshops/test_result.html", workshop=workshop, cat=cat, kind=kind, attempt=attempt,
                               gain=mine, PRE=PRE)
    return _take_page(cat, workshop, kind, test, attempt, unanswered), status


@bp.route("/workshops/<int:workshop_id>/tests/<any(pre, post):kind>/language", methods=["POST"])
@login_required
def test_language(workshop_id, kind):
    """The other language in the middle of the test, her answers kept (as for a quiz: the test's
    form posts here; nothing is graded or stored but her choice of language)."""
    workshop = access.for_member(workshop_id)
    test = prepost.tests_of(workshop.id).get(kind)
    attempt = prepost.attempt_of(workshop, kind, current_user.id)
    return i18n.form_in_chosen_language(
        url_for("workshops.test_take", workshop_id=workshop.id, kind=kind),
        lambda: _take_page(catalog(), workshop, kind, test, attempt),
        test is not None and attempt is not None and attempt.submitted_at is None)


def _take_page(cat, workshop, kind, test, attempt, unanswered=()) -> str:
    questions = [(item, cat.question(item["id"])) for item in attempt.layout if cat.question(item["id"])]
    return render_template("workshops/test_take.html", workshop=workshop, kind=kind, test=test, attempt=attempt,
                           questions=questions, form=request.form, unanswered=unanswered, PRE=PRE,
                           numbers={item["id"]: n for n, item in enumerate(attempt.layout, start=1)},
                           field_name=field_name,
                           action=url_for("workshops.test_take", workshop_id=workshop.id, kind=kind),
                           language_action=url_for("workshops.test_language", workshop_id=workshop.id, kind=kind))
