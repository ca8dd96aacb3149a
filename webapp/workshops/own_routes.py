"""In the room: a question of her own, typed now or saved from an earlier workshop."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..input_numbers import whole_number
from . import access, bp, own_questions
from .own_questions import Draft


def _own_page(workshop, draft: Draft, errors=(), status: int = 200):
    return render_template("workshops/live_own.html", workshop=workshop, draft=draft, errors=errors,
                           saved=own_questions.saved_of(current_user), kinds=own_questions.KINDS,
                           choice_kinds=own_questions.CHOICE_KINDS, letters=own_questions.LETTERS,
                           prompt_max=own_questions.PROMPT_MAX, option_max=own_questions.OPTION_MAX), status


def _saved(saved_id: int):
    saved = own_questions.saved_one(current_user, saved_id)
    if saved is None:
        abort(404)
    return saved


@bp.route("/workshops/<int:workshop_id>/live/own")
@login_required
def live_own(workshop_id):
    workshop = access.for_facilitator(workshop_id)
    edit = whole_number(request.args.get("edit"))
    draft = Draft.of(_saved(edit).question) if edit is not None else Draft.blank()
    return _own_page(workshop, draft)


@bp.route("/workshops/<int:workshop_id>/live/own", methods=["POST"])
@login_required
def live_own_ask(workshop_id):
    workshop = access.for_facilitator(workshop_id)
    draft = Draft.read(request.form)
    errors = own_questions.problems(draft)
    if errors:
        return _own_page(workshop, draft, errors, 400)  # everything she typed is shown again
    question = own_questions.build(draft)
    own_questions.ask(workshop, question)
    if draft.save:
        own_questions.save(current_user, question)
        flash(_("Your question is asked, and saved for your next workshops."), "success")
    return redirect(url_for("workshops.live_screen", workshop_id=workshop.id, _anchor="live-panel"))


@bp.route("/workshops/<int:workshop_id>/live/saved/<int:saved_id>", methods=["POST"])
@login_required
def live_saved_ask(workshop_id, saved_id):
    workshop = access.for_facilitator(workshop_id)
    own_questions.ask(workshop, own_questions.as_asked(_saved(saved_id)))
    return redirect(url_for("workshops.live_screen", workshop_id=workshop.id, _anchor="live-panel"))


@bp.route("/workshops/<int:workshop_id>/live/saved/<int:saved_id>/delete", methods=["POST"])
@login_required
def live_saved_delete(workshop_id, saved_id):
    workshop = access.for_facilitator(workshop_id)
    own_questions.delete(_saved(saved_id))
    flash(_("The saved question is deleted. Questions already asked keep their answers."), "success")
    return redirect(url_for("workshops.live_own", workshop_id=workshop.id, _anchor="saved-heading"))
