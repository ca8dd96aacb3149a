"""Room side pages: signing in with a room code, choosing a room password, and the facilitator's
printable room codes. They answer only on a room server (a kit is installed): elsewhere, 404."""
from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user
from sqlalchemy import select

from ..auth import services as accounts
from ..auth import throttle
from ..extensions import db
from ..links import external_url
from ..models import User
from ..security import client_address
from ..workshops import access
from . import bp, codes, install
from .forms import RoomCodeForm, RoomPasswordForm

# "This is a room server": pages that differ on a room (the sign-in page) ask ``is_room()``.
bp.add_app_template_global(install.is_room, "is_room")


def _room_only():
    if not install.is_room():
        abort(404)


@bp.route("/room/code", methods=["GET", "POST"])
def code_sign_in():
    """A kit member's first sign-in on the room: her single-use code, then (optionally) a password."""
    _room_only()
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = RoomCodeForm()
    status = 200
    if form.validate_on_submit():
        # Counted like a password guess for an account (a few free failures, then a wait that doubles)
        # kept for this phone's address (each phone has its own on the room's network), and against
        # the address as sign-ins are; refused without looking when the wait is not over. (A space
        # is in no email address: this key is nobody's account.)
        address = client_address()
        verdict = throttle.claim([f"account:room code {address}", f"address:{address}"])
        if verdict.wait:
            flash(accounts.wait_message(verdict.wait), "error")
            response = make_response(render_template("rooms/code.html", form=form), 429)
            response.headers["Retry-After"] = str(verdict.wait)
            return response
        user = codes.redeem(form.code.data)
        if isinstance(user, User):
            throttle.forget(verdict.row_ids)
            login_user(user, remember=False)
            flash(_("Welcome, %(name)s. You are signed in.", name=user.name), "success")
            return redirect(url_for("rooms.room_password"), 303)
        form.code.errors.append(
            _("This code was already used. If you chose a password, sign in with your email and password; "
              "otherwise ask the facilitator.") if user is False else
            _("No one in this workshop has this code. Check it on your slip and type it again."))
        status = 400
    elif form.is_submitted():
        status = 400
    return render_template("rooms/code.html", form=form), status


@bp.route("/room/password", methods=["GET", "POST"])
@login_required
def room_password():
    """A password for this room, so that she can sign in again tomorrow (her code worked once).
    Only for a member who has none yet; anyone else changes hers on the Account page."""
    _room_only()
    if not install.unusable(current_user):
        return redirect(url_for("auth.password"))
    form = RoomPasswordForm()
    if form.validate_on_submit():
        accounts.set_password(current_user, form.password.data)
        login_user(current_user._get_current_object())  # keep this session, with the new token
        flash(_("Your password for this room is saved: sign in with your email and this password."), "success")
        return redirect(url_for("main.home"), 303)
    status = 400 if form.is_submitted() else 200
    return render_template("rooms/password.html", form=form), status


@bp.route("/workshops/<int:workshop_id>/room/codes")
@login_required
def room_codes(workshop_id):
    """One slip per kit member, with her name and room code, to print (A4) and hand out: the slips in
    the workshop's language (the trainees read them), the page around them in the facilitator's."""
    _room_only()
    workshop = access.for_facilitator(workshop_id)
    here = install.installed()
    if here.workshop_id != workshop.id:
        abort(404)
    plain = codes.plain_codes()
    members = db.session.scalars(select(User).where(User.uid.in_(list(plain))).order_by(User.name, User.id)).all()
    used = codes.used_by(user.id for user in members)
    return render_template("rooms/codes.html", workshop=workshop, members=members, plain=plain, used=used,
                           grouped=codes.grouped, missing=not plain, sign_in=external_url("rooms.code_sign_in"))
