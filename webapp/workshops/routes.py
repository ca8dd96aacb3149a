"""Setting a workshop up, joining it, and its home page (the facilitator's or the trainee's)."""
import io
import secrets

import segno
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from ..auth.forms import select_choices
from ..certificates import services as certificates
from ..content import catalog
from ..errors import render_error
from ..i18n import lang
from ..links import external_url
from ..people import country_choices
from ..security import client_address
from . import access, bp, invitations, join_limits, live, prepost, services
from .forms import JoinForm, WorkshopForm
from .panels import member_page
from .services import FACILITATING, MAX_DAYS


def _require_facilitator_role():
    if not current_user.is_facilitator:
        abort(403)


def _prepare(form: WorkshopForm) -> WorkshopForm:
    cat = catalog()
    form.country.choices = country_choices(lang(), _("Choose a country"))
    form.lessons.choices = [(lesson.slug, f"{lesson.number}. {lesson.text(lang()).title}") for lesson in cat.lessons]
    form.attendance_threshold.choices = select_choices(
        [("", _("Every day of the workshop"))]
        + [(str(n), ngettext("At least %(num)d day", "At least %(num)d days", n)) for n in range(1, MAX_DAYS + 1)])
    return form


def _offer_possible_thresholds(form: WorkshopForm, workshop=None) -> WorkshopForm:
    """Show only the thresholds the workshop's number of days allows (fewer days than it has; all of
    them is "every day"): from the dates in the form, else the workshop's. The full list stays for
    checking a sent form, so that a threshold too high gets its own message."""
    start, end = form.start_date.data, form.end_date.data
    if not (start and end and 0 <= (end - start).days < services.MAX_DAYS):
        if workshop is None:
            return form  # dates not known yet: the page's script narrows the list as they are typed
        start, end = workshop.start_date, workshop.end_date
    days = (end - start).days + 1
    form.attendance_threshold.choices = [choice for choice in form.attendance_threshold.choices
                                         if not choice.value or int(choice.value) < days]
    return form


def _save(form: WorkshopForm, workshop=None):
    """Save a valid form; None (and errors on the form) when a co-facilitator cannot be found."""
    if not form.country.data:
        form.country.errors.append(_("Choose the country of the workshop."))
        return None
    emails = form.cofacilitator_emails()
    if current_user.is_admin:  # an administrator sees every account anyway: she adds them directly
        users, unknown = services.facilitator_users(emails)
        if unknown:
            form.cofacilitators.errors.append(
                _("No facilitator account has this email: %(emails)s. Ask an administrator to make them a "
                  "facilitator first.", emails=", ".join(unknown)))
            return None
    else:  # anyone else invites: the same answer whatever the addresses are
        users = invitations.accepted_users(workshop, emails) if workshop is not None else []
    order = [lesson.slug for lesson in catalog().lessons]
    data = {
        "title": form.title.data, "city": form.city.data, "country": form.country.data,
        "start_date": form.start_date.data, "end_date": form.end_date.data, "language": form.language.data,
        "lessons": [slug for slug in order if slug in set(form.lessons.data)], "due_date": form.due_date.data,
        "attendance_threshold": int(form.attendance_threshold.data) if form.attendance_threshold.data else None,
    }
    key = form.creation_key.data if workshop is None else None
    if workshop is None and not key and (twin := services.recent_duplicate(current_user, data)) is not None:
        return twin  # a form without its key (an old page) sent twice: one workshop
    saved = services.save(workshop, current_user, data, users, creation_key=key)
    waiting = invitations.invite(saved, [] if current_user.is_admin else emails, by=current_user)
    if waiting:
        flash(_("Invited to co-facilitate: %(emails)s. A facilitator who signs in with one of these "
                "addresses sees the invitation on her Workshops page and can accept it.",
                emails=", ".join(waiting)), "info")
    return saved


@bp.route("/workshops")
@login_required
def index():
    facilitating = services.facilitated(current_user) if current_user.is_facilitator else []
    return render_template("workshops/index.html", facilitating=facilitating,
                           invitations=invitations.for_user(current_user),
                           attending=services.attended(current_user), form=JoinForm(formdata=None))


@bp.route("/workshops/invitations/<int:invitation_id>", methods=["POST"])
@login_required
def answer_invitation(invitation_id):
    accept = request.form.get("answer") == "accept"
    workshop = invitations.answer(invitation_id, current_user, accept)
    if workshop is None:
        abort(404)
    if accept:
        flash(_("You now co-facilitate %(title)s.", title=workshop.title), "success")
        return redirect(url_for("workshops.show", workshop_id=workshop.id))
    flash(_("Invitation declined."), "info")
    return redirect(url_for("workshops.index"))


@bp.route("/workshops/new", methods=["GET", "POST"])
@login_required
def new():
    _require_facilitator_role()
    form = _prepare(WorkshopForm())
    if request.method == "GET":
        form.language.data = lang()
        form.creation_key.data = secrets.token_urlsafe(16)
    if form.validate_on_submit():
        workshop = _save(form)
        if workshop is not None:
            flash(_("The workshop is ready. Its join code is %(code)s.", code=services.grouped(workshop.join_code)), "success")
            return redirect(url_for("workshops.show", workshop_id=workshop.id))
    return render_template("workshops/edit.html", form=_offer_possible_thresholds(form), workshop=None), \
        (400 if request.method == "POST" else 200)


@bp.route("/workshops/<int:workshop_id>/edit", methods=["GET", "POST"])
@login_required
def edit(workshop_id):
    workshop = access.for_facilitator(workshop_id)
    # Filled from the workshop only to show it: a sent form stands alone (a field left out is empty,
    # never the workshop's co-facilitator rows, which are not text).
    form = _prepare(WorkshopForm(obj=workshop if request.method == "GET" else None))
    if request.method == "GET":
        form.cofacilitators.data = "\n".join([c.user.email for c in workshop.cofacilitators]
                                             + invitations.pending(workshop))
        form.attendance_threshold.data = str(workshop.attendance_threshold or "")
    if form.validate_on_submit() and _save(form, workshop) is not None:
        certificates.issue_for_workshop(workshop.id)  # a lower threshold may complete it
        flash(_("The workshop is saved."), "success")
        return redirect(url_for("workshops.show", workshop_id=workshop.id))
    return render_template("workshops/edit.html", form=_offer_possible_thresholds(form, workshop), workshop=workshop), \
        (400 if request.method == "POST" else 200)


@bp.route("/workshops/<int:workshop_id>")
@login_required
def show(workshop_id):
    workshop, role = access.for_anyone_in(workshop_id)
    if role == FACILITATING:
        return render_template("workshops/facilitator.html", workshop=workshop, cat=catalog(),
                               members=live.member_count(workshop.id),
                               join_url=external_url("workshops.join", code=workshop.join_code),
                               tests=prepost.tests_of(workshop.id))
    return member_page(workshop)


@bp.route("/workshops/<int:workshop_id>/joining", methods=["POST"])
@login_required
def joining(workshop_id):
    workshop = access.for_facilitator(workshop_id)
    services.set_joining(workshop, request.form.get("open") == "1")
    flash(_("Trainees can join with the code.") if workshop.joining_open else _("Joining is closed."), "success")
    return redirect(url_for("workshops.show", workshop_id=workshop.id))


@bp.route("/workshops/<int:workshop_id>/projector")
@login_required
def projector(workshop_id):
    workshop = access.for_facilitator(workshop_id)
    return render_template("workshops/projector.html", workshop=workshop,
                           join_url=external_url("workshops.join", code=workshop.join_code))


SLIPS_PER_PAGE = 8  # two columns of four on A4: big enough for the QR code, small enough to cut


@bp.route("/workshops/<int:workshop_id>/slips")
@login_required
def slips(workshop_id):
    """Slips to hand out before the session: code, join link and QR, to register ahead. The slips
    are in the workshop's language (the trainees read them), the page around them in the
    facilitator's (the template switches)."""
    workshop = access.for_facilitator(workshop_id)
    return render_template("workshops/slips.html", workshop=workshop, count=SLIPS_PER_PAGE,
                           join_url=external_url("workshops.join", code=workshop.join_code),
                           site=external_url("workshops.join_by_code"))


@bp.route("/workshops/<int:workshop_id>/qr.svg")
@login_required
def qr(workshop_id):
    workshop = access.for_facilitator(workshop_id)
    buffer = io.BytesIO()
    segno.make(external_url("workshops.join", code=workshop.join_code), error="m").save(
        buffer, kind="svg", scale=10, border=2, xmldecl=False, title=_("Join link of %(title)s", title=workshop.title))
    return buffer.getvalue(), 200, {"Content-Type": "image/svg+xml", "Cache-Control": "private, max-age=3600"}


def _too_many(refused: join_limits.Refused):
    response = render_error(429, ngettext(
        "Too many join codes that open no workshop were tried from here or on the site. Try again in "
        "%(num)d minute, or ask your facilitator.",
        "Too many join codes that open no workshop were tried from here or on the site. Try again in "
        "%(num)d minutes, or ask your facilitator.", refused.minutes))
    return response[0], 429, {"Retry-After": str(refused.retry_after)}


def _no_such_code() -> str:
    # Also for a closed workshop: the same words, so that a guessed code tells nothing.
    return _("No open workshop has this code. Check it with your facilitator.")


@bp.route("/join")
def join_by_code():
    """The code typed by a trainee (a GET form: it only looks the workshop up)."""
    form = JoinForm(request.args)
    if request.args and form.validate():
        found = join_limits.look_up(form.code.data, client_address(), current_user)
        if isinstance(found, join_limits.Refused):
            return _too_many(found)
        if found is not None:
            return redirect(url_for("workshops.join", code=found.join_code))
        form.code.errors.append(_no_such_code())
    status = 404 if form.code.errors and request.args.get("code") else (400 if request.args else 200)
    return render_template("workshops/join_code.html", form=form), status


@bp.route("/join/<code>", methods=["GET", "POST"])
def join(code):
    workshop = join_limits.look_up(code, client_address(), current_user)
    if isinstance(workshop, join_limits.Refused):
        return _too_many(workshop)
    if workshop is None:  # a code mistyped from the slide: the form to type it again, with the code kept
        form = JoinForm(formdata=None, data={"code": code if len(code) <= 20 else ""})
        form.code.errors = [_no_such_code()]
        return render_template("workshops/join_code.html", form=form), 404
    if workshop.join_code != code:
        return redirect(url_for("workshops.join", code=workshop.join_code))
    if not current_user.is_authenticated:
        if request.method == "POST":
            return redirect(url_for("auth.login", next=request.path))
        return render_template("workshops/join.html", workshop=workshop)
    role = services.role_in(workshop.id, current_user)[1]
    if role is not None:  # joining twice is harmless: she is already in
        if request.method == "POST" and role != FACILITATING:
            flash(_("You are already in this workshop."), "info")
        return redirect(url_for("workshops.show", workshop_id=workshop.id))
    if request.method == "POST":
        services.join(workshop, current_user)
        flash(_("Welcome! You have joined “%(title)s”.", title=workshop.title), "success")
        return redirect(url_for("workshops.show", workshop_id=workshop.id))
    return render_template("workshops/join.html", workshop=workshop)
