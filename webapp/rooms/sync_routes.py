"""Sync routes. Central: the endpoint rooms send their signed bundles to, the page where a trainee
claims the records of an account she made in a room, and a workshop's "records from rooms" page.
Room: "Send records home" (what is not sent yet, and the button) and the printable claim codes."""
from __future__ import annotations

from flask import abort, flash, jsonify, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from ..auth import services as accounts
from ..auth import throttle
from ..certificates import services as certificates
from ..content import catalog
from ..extensions import csrf, db
from ..models import Attempt, ReceivedBundle, RoomInstall, RoomKit, Workshop
from ..security import client_address
from ..workshops import access
from ..workshops import services as workshop_services
from . import bp, bundles, claims, ingest, sync_client

# -- central -------------------------------------------------------------------------------------


@bp.app_template_global("room_edition")
def room_edition(attempt) -> str | None:
    """The content edition a room graded this attempt against, when it is not the site's current one
    (the attempt keeps its marks as graded: pages say which edition they were given against)."""
    if getattr(attempt, "room_kit_id", None) is None or attempt.content_version == catalog().version:
        return None
    return attempt.content_version


def editions_by_kit(kit_ids) -> dict[int, list[tuple[str, int]]]:
    """kit id -> [(content edition, submitted attempts graded against it)], most used first."""
    found: dict[int, list[tuple[str, int]]] = {}
    if not kit_ids:
        return found
    rows = db.session.execute(
        select(Attempt.room_kit_id, Attempt.content_version, func.count(Attempt.id))
        .where(Attempt.room_kit_id.in_(list(kit_ids)), Attempt.submitted_at.is_not(None))
        .group_by(Attempt.room_kit_id, Attempt.content_version))
    for kit_id, version, count in sorted(rows, key=lambda row: (-row[2], row[1])):
        found.setdefault(kit_id, []).append((version, count))
    return found


@bp.route("/rooms/sync", methods=["POST"])
@csrf.exempt  # no session: the bundle's signature authenticates it
def sync():
    """Apply one signed bundle: 200 (applied, or already received: nothing written again), else a
    4xx with a clear message and nothing written."""
    try:
        outcome = ingest.receive(request.get_data(as_text=True))
    except ingest.Refused as refused:
        return jsonify(status="refused", error=refused.code, message=refused.message), refused.status
    if outcome.already_received:
        return jsonify(status="already_received", bundle=outcome.bundle,
                       message=_("This bundle was already received: nothing was written again."))
    for user_id in sorted(outcome.users):
        certificates.issue_due(user_id)  # dated by the room's records, not by this sync
    if outcome.closed_workshop is not None:
        # closed in the room: its workshop certificates are issued as a closure on this site issues them
        certificates.issue_for_workshop(outcome.closed_workshop)
    return jsonify(status="applied", bundle=outcome.bundle, records=outcome.records,
                   clock_ahead_seconds=outcome.clock_ahead_seconds, future_dated=outcome.future_dated)


@bp.route("/rooms/claim", methods=["GET", "POST"])
@login_required
def claim():
    """A trainee types the claim code the room printed for her: the room account's records become hers."""
    if request.method == "POST":
        # A wrong code is counted like a wrong password (a few free, then a wait that doubles), for
        # this account and for the address; while the wait runs, nothing is looked up. (A space is in
        # no email address: these keys are nobody's sign-in counter.)
        address = client_address()
        verdict = throttle.claim([f"account:claim code {current_user.id}", f"address:{address}"])
        if verdict.wait:
            error = accounts.wait_message(verdict.wait)
            response = make_response(render_template("rooms/claim.html", error=error,
                                                     code=request.form.get("code", "")), 429)
            response.headers["Retry-After"] = str(verdict.wait)
            return response
        outcome, _account = claims.claim(current_user, request.form.get("code"))
        if outcome in (claims.CLAIMED, claims.MALFORMED):
            throttle.forget(verdict.row_ids)  # a typo in the length is no guess
        if outcome == claims.CLAIMED:
            certificates.issue_due(current_user.id)
            flash(_("Your records from the workshop room are now in your account."), "success")
            return redirect(url_for("rooms.claim"), code=303)
        message = {claims.MALFORMED: _("A claim code has 10 letters and digits, as printed on your slip."),
                   claims.UNKNOWN: _("No records wait for this claim code. Check it, or ask your facilitator: "
                                     "the room may not have sent its records yet."),
                   claims.USED: _("This claim code was already used.")}[outcome]
        return render_template("rooms/claim.html", error=message, code=request.form.get("code", "")), 400
    return render_template("rooms/claim.html", error=None, code="")


def _clock_days(seconds: int | None) -> int:
    return max(1, round((seconds or 0) / 86400))


@bp.route("/rooms/workshops/<int:workshop_id>/records")
@login_required
def records(workshop_id):
    """Per kit of a workshop: last synced at, how many records, and a laptop clock that was wrong."""
    workshop = access.for_facilitator(workshop_id)
    kits = db.session.scalars(select(RoomKit).where(RoomKit.workshop_id == workshop.id)
                              .order_by(RoomKit.issued_at, RoomKit.id)).all()
    clocks = {kit_id: (ahead, future) for kit_id, ahead, future in db.session.execute(
        select(ReceivedBundle.kit_id, func.max(ReceivedBundle.clock_ahead_seconds), func.sum(ReceivedBundle.future_dated))
        .join(RoomKit, RoomKit.id == ReceivedBundle.kit_id).where(RoomKit.workshop_id == workshop.id)
        .group_by(ReceivedBundle.kit_id))}
    return render_template("rooms/records.html", workshop=workshop, kits=kits, clocks=clocks, clock_days=_clock_days,
                           editions=editions_by_kit([kit.id for kit in kits]), current_edition=catalog().version)


# -- room ----------------------------------------------------------------------------------------


def _room_for_facilitator() -> tuple[RoomInstall, Workshop]:
    """The room and its workshop, for its facilitators; not found on a server that is not a room."""
    room = bundles.install()
    if room is None:
        abort(404)
    workshop, role = workshop_services.role_in(room.workshop_id, current_user)
    if role != workshop_services.FACILITATING:
        abort(403)
    return room, workshop


@bp.route("/rooms/send", methods=["GET", "POST"])
@login_required
def send():
    room, workshop = _room_for_facilitator()
    if request.method == "POST":
        result = sync_client.sync()
        if result.ok:
            flash(_("Sent: the central site has every record of this room (%(num)d sent now).", num=result.sent),
                  "success")
        else:
            flash(_("%(sent)d records sent, %(left)d not sent yet. %(error)s", sent=result.sent, left=result.left,
                    error=result.error), "error")
        return redirect(url_for("rooms.send"), code=303)
    now = bundles.room_now()
    return render_template("rooms/send.html", room=room, workshop=workshop, waiting=bundles.not_sent_count(room),
                           clock_behind=now < room.kit_issued_at, now=now)


@bp.route("/rooms/claim-codes")
@login_required
def claim_codes():
    room, workshop = _room_for_facilitator()
    return render_template("rooms/claim_codes.html", workshop=workshop, codes=claims.codes_for_room(room),
                           claim_url=room.central_url.rstrip("/") + "/rooms/claim")
