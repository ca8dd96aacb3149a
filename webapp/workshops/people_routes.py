"""The facilitator's list of who joined: remove someone who should not be there, or change the join
code once it has leaked (a photo of the projector), without touching anyone's own results."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select

from ..extensions import db
from ..models import User, WorkshopMember
from ..people import display_name
from . import access, bp, services


def _members_with_dates(workshop_id: int):
    return db.session.execute(
        select(User, WorkshopMember.joined_at).join(WorkshopMember, WorkshopMember.user_id == User.id)
        .where(WorkshopMember.workshop_id == workshop_id).order_by(User.name, User.id)).all()


@bp.route("/workshops/<int:workshop_id>/people")
@login_required
def people(workshop_id):
    workshop = access.for_facilitator(workshop_id)
    return render_template("workshops/people.html", workshop=workshop, people=_members_with_dates(workshop.id))


@bp.route("/workshops/<int:workshop_id>/people/<int:user_id>/remove", methods=["GET", "POST"])
@login_required
def remove(workshop_id, user_id):
    """A page that asks first (no script needed to confirm), then a POST that removes."""
    workshop = access.for_facilitator(workshop_id)
    person = db.session.get(User, user_id)
    if person is None or not services.is_member(workshop.id, user_id):
        abort(404)
    if request.method == "POST":
        services.remove_member(workshop, user_id)
        flash(_("%(name)s is no longer in the workshop.", name=display_name(person)), "success")
        return redirect(url_for("workshops.people", workshop_id=workshop.id))
    return render_template("workshops/remove.html", workshop=workshop, person=person)


@bp.route("/workshops/<int:workshop_id>/code", methods=["POST"])
@login_required
def new_code(workshop_id):
    workshop = access.for_facilitator(workshop_id)
    code = services.new_join_code(workshop)
    flash(_("The new join code is %(code)s. The old code and its QR code no longer work; trainees who "
            "joined stay in.", code=services.grouped(code)), "success")
    return redirect(url_for("workshops.show", workshop_id=workshop.id))
