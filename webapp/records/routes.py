"""A trainee's own records: see them, download them, delete her account."""
import json

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from ..auth import services as accounts
from ..certificates import numbers
from ..certificates import services as certificates
from ..content import catalog
from ..downloads import attachment
from ..models.base import utcnow
from ..models.workshop import parse_workshop_quiz_key
from ..room_state import is_room
from . import bp, erasure, personal, workshop_facts
from .forms import DeleteAccountForm


@bp.route("/records")
@login_required
def mine():
    cat = catalog()
    shown = personal.attempts(current_user.id, limit=personal.SHOWN_ATTEMPTS)
    total = len(shown) if len(shown) < personal.SHOWN_ATTEMPTS else personal.attempt_count(current_user.id)
    workshops = workshop_facts.for_trainee(current_user.id)
    held = personal.certificates(current_user.id)
    # In a room nothing is issued: one who has done everything is told it is earned, not to finish.
    earned = not held and is_room() and certificates.course_completed_at(current_user.id) is not None
    return render_template("records/mine.html", lessons=cat.lessons, progress=personal.lessons(current_user.id),
                           attempts=shown, attempts_total=total, certificates=held, earned=earned,
                           workshops=workshops, workshop_titles={w.id: w.title for w in workshops},
                           workshop_test=parse_workshop_quiz_key, display=numbers.display,
                           lesson_titles={lesson.slug: lesson for lesson in cat.lessons})


@bp.route("/records/my-data.json")
@login_required
def download():
    data = {"exported_at": personal.iso(utcnow()), "site": request.url_root, **personal.export(current_user)}
    body = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": attachment(_("passerelle-my-data.json")), "Cache-Control": "private, no-store"})


@bp.route("/records/delete", methods=["GET", "POST"])
@login_required
def delete():
    form = DeleteAccountForm()
    if current_user.is_admin:
        flash(_("An administrator's account cannot be deleted here. Ask another administrator to change "
                "your role first."), "error")
        return redirect(url_for("records.mine"))
    if form.validate_on_submit():
        if error := accounts.current_password_error(current_user, form.password.data, _("This is not your password.")):
            form.password.errors.append(error)
        else:
            done = _("Your account and your personal data are deleted.")  # in her language, before signing out
            erasure.erase_account(current_user._get_current_object())
            logout_user()
            flash(done, "success")
            return redirect(url_for("main.home"))
    status = 400 if request.method == "POST" else 200
    return render_template("records/delete.html", form=form), status
