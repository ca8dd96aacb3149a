from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import render_error
from ..extensions import db
from ..input_numbers import whole_number
from ..models import User
from ..models.user import ROLES
from ..security import admin_required, safe_next
from . import bp, services


def role_labels() -> dict:
    return {"trainee": _("Trainee"), "facilitator": _("Facilitator"), "admin": _("Administrator")}


@bp.route("/users")
@admin_required
def users():
    text = request.args.get("q", "")[:100]
    page = whole_number(request.args.get("page"), max_digits=5) or 1
    found, total = services.search(text, page)
    return render_template("admin/users.html", users=found, total=total, q=text, page=page,
                           pages=max(1, -(-total // services.PAGE_SIZE)), roles=role_labels())


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@admin_required
def set_role(user_id):
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    role = request.form.get("role", "")
    if role not in ROLES:
        return render_error(400, _("Choose a role from the list."))
    if user.id == current_user.id and role != user.role:
        # Keeps at least one administrator: another one must change this account's role.
        return render_error(400, _("You cannot change your own role. Ask another administrator."))
    try:
        services.set_role(user, role)
    except services.LastAdministrator:
        return render_error(409, _("%(name)s is the last administrator: make another account an administrator "
                                   "first. Nothing was changed.", name=user.name))
    flash(_("%(name)s is now: %(role)s.", name=user.name, role=role_labels()[role]), "success")
    return redirect(safe_next(request.form.get("next"), url_for("admin.users")))
