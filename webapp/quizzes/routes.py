from flask import abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from markupsafe import Markup

from .. import i18n
from ..certificates import services as certificates
from ..certificates.announce import announce, announce_later
from ..content import catalog
from ..content.questions import QUESTION_TYPES, field_name
from ..errors import render_error
from ..fragments import member_page
from ..models import Attempt
from ..models.attempt import FINAL
from ..models.workshop import parse_workshop_quiz_key
from ..room_state import is_room
from ..zones import local_time
from . import bp, drawing, final_rules, kept_form, services


def _final_rules() -> final_rules.Rules:
    return final_rules.Rules.from_config(current_app.config)


def _flash_too_soon(standing: final_rules.Standing) -> None:
    flash(_("You can sit the final assessment again from %(when)s. Use the time to review the lessons.",
            when=local_time(standing.next_try)), "info")


def _quiz_or_404(quiz: str):
    cat = catalog()
    if not drawing.quiz_exists(cat, quiz):
        abort(404)
    return cat


def _own_attempt(attempt_id: int) -> Attempt:
    attempt = services.attempt_by_id(attempt_id)
    # Another trainee's attempt is "not found", not "forbidden": ids reveal nothing.
    if attempt is None or attempt.user_id != current_user.id:
        abort(404)
    if (test := parse_workshop_quiz_key(attempt.quiz)) is not None:
        # A workshop's pre- or post-test is taken and read on the workshop's page, which alone knows
        # whether the test is open: a GET goes there, answers sent here are refused (a closed test
        # must not be submitted through this route).
        if request.method == "POST":
            abort(make_response(render_error(409, _("This is a workshop test: answer it from the workshop's "
                                                    "page. Nothing was recorded."))))
        abort(redirect(url_for("workshops.test_take", workshop_id=test[0], kind=test[1])))
    return attempt


@bp.route("/quizzes")
def index():
    cat = catalog()
    if not current_user.is_authenticated:
        return _quizzes_page(cat, {})
    best = services.best_scores(current_user.id)
    # Her page differs from another member's only by her best scores (exact: two scores shown alike
    # may round differently) and her role: members with the same share one kept copy.
    key = ("quizzes.index", current_user.is_admin, tuple(sorted((q, s, p) for q, (s, p) in best.items())))
    return member_page(key, lambda: _quizzes_page(cat, best))


def _quizzes_page(cat, best: dict) -> str:
    return render_template("quizzes/index.html", cat=cat, best=best, FINAL=FINAL,
                           sizes={q: drawing.quiz_size(cat, q) for q in list(cat.banks) + [FINAL]})


@bp.route("/quizzes/<quiz>")
@login_required
def overview(quiz):
    cat = _quiz_or_404(quiz)
    attempts = services.history(current_user.id, quiz)
    best = max((a.score for a in attempts), default=None)
    rules = _final_rules()
    standing = services.final_standing(current_user.id, rules) if quiz == FINAL else None
    return render_template("quizzes/overview.html", cat=cat, quiz=quiz, FINAL=FINAL, attempts=attempts, best=best,
                           rules=rules, standing=standing, passed=any(a.passed for a in attempts),
                           size=drawing.quiz_size(cat, quiz), pass_mark=drawing.pass_mark(cat, quiz))


def _flash_final_passed() -> None:
    """Where her certificate is, or what it still waits for: a passed final alone earns none (every
    lesson quiz must be passed too), so "it is in My records" would send her to an empty list."""
    passed = _("You have passed the final assessment.")
    if certificates.course_certificate(current_user.id) is not None:
        flash(_("You have passed the final assessment: your certificate is in My records."), "info")
    elif left := certificates.lessons_left(current_user.id):
        flash(Markup("{} {}").format(passed, _certificate_waits(len(left))), "info")
    elif is_room():
        flash(passed + " " + _("Certificates are issued by the central site once the facilitator sends this "
                               "room’s records home; nothing is issued on this laptop."), "info")
    else:  # a certificate revoked: My records says so, and why
        flash(Markup('{} <a href="{}">{}</a>').format(passed, url_for("records.mine"), _("My records")), "info")


def _certificate_waits(lessons_left: int) -> Markup:
    """The lesson quizzes a passed final still waits for, with the way to them (My progress)."""
    return Markup('{} <a href="{}">{}</a>').format(
        ngettext("Your certificate is issued once you have also passed every lesson quiz: %(num)d lesson quiz "
                 "is left.", "Your certificate is issued once you have also passed every lesson quiz: %(num)d "
                 "lesson quizzes are left.", lessons_left),
        url_for("progress.index"), _("My progress"))


@bp.route("/quizzes/<quiz>/start", methods=["POST"])
@login_required
def start(quiz):
    cat = _quiz_or_404(quiz)
    if quiz == FINAL and any(a.passed for a in services.history(current_user.id, FINAL)):
        # Passed once is passed: a new sitting could only put a failure beside her certificate.
        _flash_final_passed()
        return redirect(url_for("quizzes.overview", quiz=quiz))
    try:
        attempt = services.start(cat, current_user.id, quiz, rules=_final_rules())
    except services.TooSoon as refusal:
        _flash_too_soon(refusal.standing)
        return redirect(url_for("quizzes.overview", quiz=quiz))
    # The questions come with the answer to "start", not after a redirect: on a slow mobile
    # connection a redirect is one more round trip, and for the server one more signed-in request.
    # Posting "start" again (a reload, a double click) resumes this same open attempt; the page names
    # its own address (Content-Location), where quiz-address.js moves the reader's history entry.
    response = make_response(_form_page(cat, attempt))
    response.headers["Content-Location"] = url_for("quizzes.attempt", attempt_id=attempt.id)
    return response


@bp.route("/attempts/<int:attempt_id>", methods=["GET", "POST"])
@login_required
def attempt(attempt_id):
    attempt = _own_attempt(attempt_id)
    cat = catalog()
    if attempt.abandoned_at is not None and attempt.submitted_at is None:
        flash(_("This attempt was set aside for a newer one: start the quiz again."), "info")
        return redirect(url_for("quizzes.overview", quiz=attempt.quiz))
    if attempt.submitted_at is not None:
        # Back button or replayed form after submitting: show the result, record nothing.
        if request.method == "POST":
            flash(_("This attempt was already submitted: here is its result."), "info")
        return redirect(url_for("quizzes.result", attempt_id=attempt.id))
    missing = [qid for qid in attempt.question_ids if cat.question(qid) is None]
    if missing:
        flash(_("The questions of this quiz have changed since you started. Please start again."), "info")
        return redirect(url_for("quizzes.overview", quiz=attempt.quiz))
    if request.method == "POST":
        outcome = services.submit(cat, attempt, request.form, rules=_final_rules())
        if outcome.status == "too_soon":
            _flash_too_soon(services.final_standing(current_user.id, _final_rules()))
            return redirect(url_for("quizzes.overview", quiz=attempt.quiz))
        if outcome.status == "submitted" and attempt.passed:  # a final, or the quiz of a last lesson
            if is_room():
                announce_later(current_user.id)  # the central site issues it once the records arrive
            else:
                announce(certificates.issue_due(current_user.id))
        if outcome.status != "incomplete":
            if outcome.status == "already":
                flash(_("This attempt was already submitted: here is its result."), "info")
            # attempt_id, not attempt.id: certificates' commit expired the attempt (a reload for its id)
            return redirect(url_for("quizzes.result", attempt_id=attempt_id))
        return _form_page(cat, attempt, outcome.unanswered), 400
    return _form_page(cat, attempt)


@bp.route("/attempts/<int:attempt_id>/language", methods=["POST"])
@login_required
def language(attempt_id):
    """The other language, in the middle of a sitting: the switch posts the quiz's form here, so the
    questions come back in the language she chose with every answer she had given (the header's
    switch would reload the page and lose them, on the 24 questions of the final too). Nothing is
    graded or stored but her choice of language."""
    attempt = _own_attempt(attempt_id)
    cat = catalog()
    still_open = attempt.submitted_at is None and attempt.abandoned_at is None and all(
        cat.question(qid) is not None for qid in attempt.question_ids)
    return i18n.form_in_chosen_language(url_for("quizzes.attempt", attempt_id=attempt.id),
                                        lambda: _form_page(cat, attempt, keep_answers=True), still_open)


def _form_page(cat, attempt: Attempt, unanswered=(), keep_answers=False) -> str:
    """The attempt's questions to answer: fresh (the per-process kept page and fieldsets), or sent
    back with the answers she posted (the unanswered ones named)."""
    questions = [(item, cat.question(item["id"])) for item in attempt.layout]

    def render(attempt_id: int, kept) -> str:
        # Its own address, also when "start" or the language switch answered with it.
        return render_template("quizzes/attempt.html", attempt=attempt, questions=questions, cat=cat, FINAL=FINAL,
                               form=request.form, unanswered=unanswered, numbers=numbers, kept=kept,
                               action=url_for("quizzes.attempt", attempt_id=attempt_id), field_name=field_name,
                               language_action=url_for("quizzes.language", attempt_id=attempt_id))
    numbers = {item["id"]: n for n, item in enumerate(attempt.layout, start=1)}
    kept = None if unanswered or keep_answers else kept_form.fieldsets(cat, attempt.layout)
    if kept is None:
        return render(attempt.id, None)
    # What the page shows around its questions: the quiz, its pass mark and her role (the menu).
    key = (attempt.quiz, attempt.pass_mark, current_user.is_admin)
    return kept_form.page(key, kept, attempt.id, render)


@bp.route("/attempts/<int:attempt_id>/result")
@login_required
def result(attempt_id):
    attempt = _own_attempt(attempt_id)
    if attempt.submitted_at is None:
        return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))
    cat = catalog()
    if not services.shows_answers(attempt):
        standing = services.final_standing(current_user.id, _final_rules())
        return render_template("quizzes/result_final_failed.html", attempt=attempt, cat=cat, FINAL=FINAL,
                               topics=services.topics(cat, attempt), standing=standing)
    rows, revised = [], set()
    for row in attempt.answers:
        question = cat.question(row.question_id)
        key = decision = None
        if question is not None:
            key = QUESTION_TYPES[question["type"]].correct_answer(question)
            if row.graded_key is not None and row.graded_key != key:
                # A new edition of the question: show what her answer was graded on, not today's key
                # (nor the aid's reasons for today's facts).
                revised.add(row.id)
                key = row.graded_key
            else:
                decision = QUESTION_TYPES[question["type"]].reasons(question)
        rows.append((row, question, decision, key))
    certificate, waits = None, None
    if attempt.quiz == FINAL and attempt.passed:
        certificate = certificates.course_certificate(current_user.id)
        if certificate is None and (left := certificates.lessons_left(current_user.id)):
            waits = _certificate_waits(len(left))
    return render_template("quizzes/result.html", attempt=attempt, rows=rows, cat=cat, FINAL=FINAL,
                           certificate=certificate, certificate_waits=waits, revised=revised)
