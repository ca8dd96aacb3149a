"""Central side pages: a workshop's room kits (issue as a file or as a one-time link, revoke), and the
one-time link `flask room fetch` downloads a kit from."""
from __future__ import annotations

import json

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..downloads import attachment
from ..extensions import csrf
from ..links import external_url
from ..models.base import utcnow
from ..workshops import access
from . import bp, install, kits
from .forms import KitForm, RevokeForm

#: the one-time link just made, shown once on the next view of the room page
SHOWN_ONCE = "room_kit_link"


@bp.route("/workshops/<int:workshop_id>/room")
@login_required
def room_page(workshop_id):
    workshop = access.for_facilitator(workshop_id)
    return _page(workshop, KitForm(formdata=None), 200)


def _page(workshop, form, status):
    link = session.pop(SHOWN_ONCE, None)
    if not link or link.get("workshop") != workshop.id:
        link = None
    issued = kits.kits_of(workshop.id)
    return render_template("rooms/kits.html", workshop=workshop, form=form, kits=issued,
                           issuers=kits.issuer_names(issued), link=link, now=utcnow(), is_fetched=kits.is_fetched, expires=kits.link_expires_at,
                           room_install=install.installed(), link_hours=kits.LINK_HOURS,
                           # also when a refused POST shows it: the language switch comes back here
                           page_address=url_for("rooms.room_page", workshop_id=workshop.id)), status


def _issuing_workshop(workshop_id):
    workshop = access.for_facilitator(workshop_id)
    if install.is_room():
        abort(404)  # a room laptop runs a kit; kits are issued by the central site
    return workshop


@bp.route("/workshops/<int:workshop_id>/room/kit", methods=["POST"])
@login_required
def issue_kit(workshop_id):
    """The kit as a file, downloaded now (it holds the room's private key: never kept by a cache)."""
    workshop = _issuing_workshop(workshop_id)
    form = KitForm()
    if not form.validate_on_submit():
        return _page(workshop, form, 400)
    kit, content = kits.issue_file(workshop, current_user, form.label.data)
    body = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    return body, 200, {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": attachment(kits.file_name(kit, workshop)),
        "Cache-Control": "no-store",
    }


@bp.route("/workshops/<int:workshop_id>/room/link", methods=["POST"])
@login_required
def issue_link(workshop_id):
    """A one-time link for `flask room fetch`, shown once on the room page (only its hash is kept)."""
    workshop = _issuing_workshop(workshop_id)
    form = KitForm()
    if not form.validate_on_submit():
        return _page(workshop, form, 400)
    kit, token = kits.issue_link(workshop, current_user, form.label.data)
    session[SHOWN_ONCE] = {"workshop": workshop.id, "kit": kit.uid,
                           "url": external_url("rooms.fetch_kit", token=token)}
    return redirect(url_for("rooms.room_page", workshop_id=workshop.id, _anchor="new-link"), 303)


def _kit_of(workshop, kit_uid):
    kit = kits.find(kit_uid)
    if kit is None or kit.workshop_id != workshop.id:
        abort(404)
    return kit


@bp.route("/workshops/<int:workshop_id>/room/kits/<kit_uid>/revoke", methods=["GET", "POST"])
@login_required
def revoke_kit(workshop_id, kit_uid):
    workshop = access.for_facilitator(workshop_id)
    kit = _kit_of(workshop, kit_uid)
    form = RevokeForm()
    if form.validate_on_submit():
        if kits.revoke(kit):
            flash(_("The kit “%(label)s” is revoked: nothing it sends is accepted any more.", label=kit.label),
                  "success")
        return redirect(url_for("rooms.room_page", workshop_id=workshop.id), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("rooms/revoke.html", workshop=workshop, kit=kit, form=form), status


@bp.route("/rooms/kits/<token>", methods=["GET", "POST"])
@csrf.exempt  # no session: whoever holds the one-time link; the link is the secret
def fetch_kit(token):
    """The kit of a one-time link (what `flask room fetch` downloads, by POST): made now, once. A GET
    only says what the link is for and uses nothing, because chat apps open the links pasted into
    them to show a preview, and that preview would otherwise take the kit and its private key."""
    try:
        if request.method == "GET":
            kit = kits.usable(token)
            return render_template("rooms/kit_link.html", workshop=kit.workshop,
                                   link=external_url("rooms.fetch_kit", token=token)), 200, {"Cache-Control": "no-store"}
        kit, content = kits.fetch(token)
    except kits.LinkProblem as problem:
        return _link_problem(problem)
    body = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    return body, 200, {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": attachment(kits.file_name(kit, kit.workshop)),
        "Cache-Control": "no-store",
    }


def _link_problem(problem: kits.LinkProblem):
    texts = {
        "unknown": _("This room kit link is not known here. Check that it was copied whole."),
        "used": _("This room kit link was already used: each link gives its kit once. Ask the facilitator "
                  "for a new link from the workshop’s room page."),
        "expired": _("This room kit link has expired (links work for %(hours)d hours). Ask for a new link on the "
                     "workshop’s room page.", hours=kits.LINK_HOURS),
        "revoked": _("The kit of this link was revoked. Ask for a new link on the workshop’s room page."),
    }
    title = _("Room kit link") if problem.status == 410 else _("Page not found")
    return render_template("errors/error.html", code=problem.status, title=title,
                           text=texts[problem.reason]), problem.status, {"Cache-Control": "no-store"}
