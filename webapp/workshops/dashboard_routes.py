"""Attendance, the roster (and its CSV), the item analysis and the printable pack."""
from __future__ import annotations

from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from ..certificates import services as certificates
from ..content import catalog
from ..downloads import attachment
from ..i18n import in_language, lang
from ..input_numbers import whole_number
from ..models.workshop import PRE
from ..room_state import is_room
from ..zones import local_date, workshop_today
from . import access, bp, dashboards, pack, paper, prepost, services
from .export import roster_csv
from .services import FACILITATING


def _day(workshop, day: str) -> date:
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        abort(404)
    if parsed not in workshop.days:
        abort(404)
    return parsed


def _not_yet(workshop, day: date) -> str | None:
    """Why attendance cannot be taken on ``day`` yet (it has not come where the workshop is held)."""
    if day > workshop_today(workshop):
        return _("%(date)s has not come yet: its attendance can be taken from that day.",
                 date=local_date(day, "full"))
    return None


def _refuse_future_day(workshop, day: date, message: str):
    return render_template("workshops/attendance_day.html", workshop=workshop, day=day, people=[], present=set(),
                           not_yet=message), 409


@bp.route("/workshops/<int:workshop_id>/attendance")
@login_required
def attendance(workshop_id):
    workshop = access.for_facilitator(workshop_id)
    marks = services.attendance(workshop.id)
    present = {day: sum(1 for days in marks.values() if day in days) for day in workshop.days}
    today = workshop_today(workshop)
    return render_template("workshops/attendance.html", workshop=workshop, present=present,
                           members=len(services.members(workshop.id)), today=today,
                           ended=workshop.has_ended(today), can_close=workshop.closed_at is None
                           and workshop.end_date <= today)


@bp.route("/workshops/<int:workshop_id>/attendance/<day>", methods=["GET", "POST"])
@login_required
def attendance_day(workshop_id, day):
    workshop = access.for_facilitator(workshop_id)
    day = _day(workshop, day)
    if (not_yet := _not_yet(workshop, day)) is not None:
        if request.method == "POST":
            return _refuse_future_day(workshop, day, not_yet)
        return render_template("workshops/attendance_day.html", workshop=workshop, day=day, people=[],
                               present=set(), not_yet=not_yet)
    if request.method == "POST":
        if request.form.get("everyone") == "1":  # the button of the checklist: ask first, mark nothing yet
            return redirect(url_for("workshops.attendance_everyone", workshop_id=workshop.id, day=day.isoformat()),
                            303)
        services.save_day(workshop, day, _user_ids("present"), current_user)
        return _attendance_saved(workshop, day)
    marks = services.attendance(workshop.id)
    return render_template("workshops/attendance_day.html", workshop=workshop, day=day,
                           people=services.members(workshop.id),
                           present={uid for uid, days in marks.items() if day in days})


def _user_ids(field: str) -> set[int]:
    return {n for n in map(whole_number, request.form.getlist(field)) if n is not None}


def _attendance_saved(workshop, day):
    certificates.issue_for_workshop(workshop.id)  # attendance may complete the workshop
    flash(_("Attendance saved."), "success")
    return redirect(url_for("workshops.attendance_day", workshop_id=workshop.id, day=day.isoformat()))


@bp.route("/workshops/<int:workshop_id>/attendance/<day>/everyone", methods=["GET", "POST"])
@login_required
def attendance_everyone(workshop_id, day):
    """40 ticks on a phone, when the whole room is there: the page names everyone it will mark, and
    only those named are marked, so that nobody who joined unseen (a stranger with a photo of the
    code) is swept up, and nobody who joins while the page is open either."""
    workshop = access.for_facilitator(workshop_id)
    day = _day(workshop, day)
    if (not_yet := _not_yet(workshop, day)) is not None:
        return _refuse_future_day(workshop, day, not_yet)
    if request.method == "POST":
        services.mark_present(workshop, day, _user_ids("user"), current_user)
        return _attendance_saved(workshop, day)
    marks = services.attendance(workshop.id)
    return render_template("workshops/attendance_everyone.html", workshop=workshop, day=day,
                           people=services.members(workshop.id),
                           present={uid for uid, days in marks.items() if day in days})


@bp.route("/workshops/<int:workshop_id>/attendance/<day>/mark", methods=["POST"])
@login_required
def attendance_mark(workshop_id, day):
    """One tick, sent by the checklist's script as the facilitator goes (204: saved)."""
    workshop = access.for_facilitator(workshop_id)
    day = _day(workshop, day)
    user_id, present = whole_number(request.form.get("user")), request.form.get("present", "")
    if user_id is None or present not in ("0", "1") or not services.is_member(workshop.id, user_id):
        abort(400)
    if (not_yet := _not_yet(workshop, day)) is not None:
        return not_yet, 409
    services.mark(workshop, user_id, day, present == "1", current_user)
    if present == "1":
        certificates.issue_due(user_id)  # this day may complete her workshop
    return "", 204


@bp.route("/workshops/<int:workshop_id>/close", methods=["POST"])
@login_required
def close(workshop_id):
    """The facilitator declares the workshop over (from its last day): its certificates are issued."""
    workshop = access.for_facilitator(workshop_id)
    if workshop.closed_at is None:
        if workshop.end_date > workshop_today(workshop):
            flash(_("The workshop can be closed from its last day, %(date)s.",
                    date=local_date(workshop.end_date, "full")), "error")
            return redirect(url_for("workshops.attendance", workshop_id=workshop.id))
        services.close(workshop)
        if is_room():
            # Nothing is issued on a laptop: the closure travels home with the records.
            flash(_("The workshop is closed. Its workshop certificates will be issued by the central site once "
                    "you send this room’s records home; nothing is issued on this laptop."), "success")
            return redirect(url_for("workshops.attendance", workshop_id=workshop.id))
        issued = certificates.issue_for_workshop(workshop.id)
        flash(ngettext("The workshop is closed: %(num)d workshop certificate issued.",
                       "The workshop is closed: %(num)d workshop certificates issued.",
                       sum(1 for cert in issued if cert.workshop_id == workshop.id)), "success")
    return redirect(url_for("workshops.attendance", workshop_id=workshop.id))


def _sort_args(workshop):
    sort = request.args.get("sort", "name")
    if sort not in dashboards.SORTS and not (sort.startswith("lesson:") and sort[7:] in workshop.lessons):
        sort = "name"
    return sort, request.args.get("dir") == "desc"


@bp.route("/workshops/<int:workshop_id>/roster")
@login_required
def roster(workshop_id):
    workshop = access.for_facilitator(workshop_id)
    sort, descending = _sort_args(workshop)
    return render_template("workshops/roster.html", workshop=workshop, cat=catalog(), sort=sort, descending=descending,
                           rows=dashboards.roster(workshop, sort, descending))


@bp.route("/workshops/<int:workshop_id>/roster.csv")
@login_required
def roster_export(workshop_id):
    workshop = access.for_facilitator(workshop_id)
    sort, descending = _sort_args(workshop)
    body = roster_csv(catalog(), workshop, dashboards.roster(workshop, sort, descending), lang())
    filename = _("workshop-%(id)d-roster.csv", id=workshop.id)
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": attachment(filename), "Cache-Control": "private, no-store"})


@bp.route("/workshops/<int:workshop_id>/items")
@login_required
def items(workshop_id):
    workshop = access.for_facilitator(workshop_id)
    cat = catalog()
    tested = [qid for test in prepost.tests_of(workshop.id).values() for qid in test.question_ids]
    return render_template("workshops/items.html", workshop=workshop, cat=cat,
                           items=dashboards.items(cat, workshop, tested), threshold=dashboards.INDICATIVE_BELOW)


@bp.route("/workshops/<int:workshop_id>/pack")
@login_required
def pack_page(workshop_id):
    """Everything for a room without a network, on paper, in the workshop's language; the parts and
    lessons she ticks (a GET form, no script), so that a one-day workshop prints what it uses."""
    workshop, role = access.for_anyone_in(workshop_id)
    facilitator = role == FACILITATING
    cat = catalog()
    parts = pack.chosen_parts(request.args, facilitator)
    with_key = facilitator and request.args.get("key") == "1"
    in_scope = [cat.lesson(s) for s in workshop.lessons if cat.lesson(s)]
    picked = set(request.args.getlist("lesson")) & {lesson.slug for lesson in in_scope}
    if request.args.get("chosen") == "1" or picked:  # the form sent: the lessons ticked, maybe none
        lessons = [lesson for lesson in in_scope if lesson.slug in picked]
    else:
        lessons = in_scope
    tests = {}
    # What is printed is in the workshop's language (the template switches to it for the printed part;
    # the page around it, the choosing form, stays in the reader's).
    with in_language(workshop.language):
        if pack.TESTS in parts:  # the pre- and post-test sheets: facilitators only (trainees sit them later)
            tests = {kind: {v: paper.sheet(cat, workshop, test, v) for v in pack.VERSIONS}
                     for kind, test in sorted(prepost.tests_of(workshop.id).items(), key=lambda kv: kv[0] != PRE)}
        chart, edition = pack.flowchart(cat, workshop.language), pack.edition_note(cat, workshop.language)
    return render_template("workshops/pack.html", workshop=workshop, cat=cat, with_key=with_key,
                           facilitator=facilitator, parts=parts, all_parts=pack.parts_for(facilitator),
                           in_scope=in_scope, lessons=lessons, picked={lesson.slug for lesson in lessons},
                           glossary=sorted(cat.glossary, key=lambda t: t["term"][workshop.language].lower()),
                           chart=chart,
                           banks=[cat.banks[lesson.slug] for lesson in lessons if lesson.slug in cat.banks],
                           tests=tests, PRE=PRE, lesson_html=pack.lesson_html, paper=pack.paper,
                           versions=pack.VERSIONS, series=pack.series_of(workshop),
                           test_series={k: pack.test_series(workshop, k) for k in tests}, edition=edition,
                           signoff=cat.signoff())
