"""In the room: the presenter view, for the projector. The laptop keeps the live screen and its
controls; this page shows the room the question, the count, the time left and, when she chooses, the
results and the right answer, in large type. It refreshes by itself and answers single keys."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from ..content import catalog
from ..links import external_url
from . import access, bp, live
from .panels import poll_seconds, presenter_panel

REFRESH_SECONDS = 5  # without JavaScript the page reloads itself this often


def _present_url(workshop):
    return url_for("workshops.live_present", workshop_id=workshop.id)


@bp.route("/workshops/<int:workshop_id>/live/present")
@login_required
def live_present(workshop_id):
    workshop = access.for_facilitator(workshop_id)
    return render_template("workshops/present.html", workshop=workshop, panel=presenter_panel(workshop),
                           cat=catalog(), poll=poll_seconds(), refresh=REFRESH_SECONDS,
                           join_url=external_url("workshops.join", code=workshop.join_code))


@bp.route("/workshops/<int:workshop_id>/live/present/panel")
@login_required
def live_present_panel(workshop_id):
    """The presenter view's panel alone, for its script: 204 while it has not changed."""
    workshop = access.for_facilitator(workshop_id)
    panel = presenter_panel(workshop)
    headers = {"X-Live-Version": panel["version"], "Cache-Control": "no-store"}
    if request.args.get("v") == panel["version"]:
        return "", 204, headers
    return render_template("workshops/_present_panel.html", workshop=workshop, panel=panel, cat=catalog(),
                           join_url=external_url("workshops.join", code=workshop.join_code)), 200, headers


@bp.route("/workshops/<int:workshop_id>/live/present/next", methods=["POST"])
@login_required
def live_present_next(workshop_id):
    """Ask the next question of the workshop's lessons. ``after`` is the question the page showed: if
    another was asked since (the key pressed twice, an old page), that one is the next: nothing more."""
    workshop = access.for_facilitator(workshop_id)
    latest = live.current(workshop.id)
    if request.form.get("after", "") != (str(latest.id) if latest else ""):
        return redirect(_present_url(workshop), 303)
    question = live.next_in_course(catalog(), workshop)
    if question is None:
        flash(_("Every question of this workshop's lessons has been asked. To ask one again, or one of "
                "your own, use the live questions screen."), "info")
    else:
        live.open_question(workshop, question)
    return redirect(_present_url(workshop), 303)
