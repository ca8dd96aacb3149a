"""The links that act on an account from outside a signed-in session: password reset (by email, or
a link an administrator or facilitator hands over) and registration confirmed by email. No page
says whether an address is registered."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user
from sqlalchemy import delete

from .. import mail, outbox
from ..extensions import db
from ..models import LoginAttempt, User
from ..models.token import REGISTER, RESET
from ..security import safe_next
from . import bp, emails, handover, services, tokens
from .passwords import hash_password
from .reset_forms import ConfirmForm, ForgotForm, IssueForm, ResetForm

MAX_RESET_EMAILS_PER_HOUR = 3
MAX_REGISTRATION_EMAILS_PER_HOUR = 3  # per address, "confirm" and "already registered" together
RESET_REQUEST = "password-reset"  # an outbox row composed when sent


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot():
    if not mail.enabled():
        return render_template("auth/forgot.html", form=None)
    form = ForgotForm()
    if form.validate_on_submit():
        # The same work and the same answer whether the address is registered or not: one row in the
        # outbox; the account is looked up, and the link made, when the email is composed.
        mail.send_composed(RESET_REQUEST, services.normalise_email(form.email.data))
        return render_template("auth/check_email.html", email=form.email.data)
    return render_template("auth/forgot.html", form=form), (400 if request.method == "POST" else 200)


@outbox.composer(RESET_REQUEST)
def compose_reset_email(row) -> tuple[str, str, str] | None:
    """The reset email for the account with this address (a new link, committed with the email's
    text); None, and nothing sent, when there is no such account or too many were sent lately."""
    user = services.find_user(row.recipient)
    if user is None or tokens.recent_resets(user) >= MAX_RESET_EMAILS_PER_HOUR:
        return None
    hours = current_app.config["RESET_EMAIL_HOURS"]
    raw = tokens.issue_reset(user, hours, commit=False)
    link = mail.external_url("auth.reset", token=raw)
    with force_locale(user.language or "fr"):
        return (user.email, *emails.reset(user.name, link, hours))


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset(token):
    found = tokens.find(token, RESET)
    if found is None or not handover.still_valid(found, db.session.get(User, found.user_id)):
        return render_template("auth/link_invalid.html"), 404
    form = ResetForm()
    if form.validate_on_submit():
        user = db.session.get(User, found.user_id)
        # A handed-over link is worth no more than its issuer's authority now, not when she made it.
        if user is None or not handover.still_valid(found, user) or not tokens.claim(found):
            db.session.rollback()
            return render_template("auth/link_invalid.html"), 404
        db.session.execute(delete(LoginAttempt).where(LoginAttempt.key == f"account:{user.email}"))
        services.set_password(user, form.password.data)  # commits the claim with the new password
        login_user(user)
        flash(_("Your password is changed. You are signed in."), "success")
        return redirect(url_for("main.home"))
    return render_template("auth/reset.html", form=form), (400 if request.method == "POST" else 200)


def register_by_email(form, next_url: str | None = None) -> str:
    """Registration when mail is configured: always "check your email"; the account is made when the
    link is followed, and she lands where she was going (a workshop's join page). An address that has
    an account is told so by email, not on the page. At most a few emails an hour go to an address,
    and the page does not say when one is not sent."""
    email = services.normalise_email(form.email.data)
    # Hashed for a known address too: scrypt is slow on purpose, and skipping it would tell by the time.
    password_hash = hash_password(form.password.data)
    existing = services.find_user(email)
    # Anyone can type anyone's address: a few emails an hour at most, and the same page either way.
    if services.may_email(email, per_hour=MAX_REGISTRATION_EMAILS_PER_HOUR):
        with force_locale(form.language.data):
            if existing:
                mail.send(email, *emails.already(mail.external_url("auth.login"), mail.external_url("auth.forgot")))
            else:
                payload = {"name": form.name.data, "password_hash": password_hash,
                           "organisation": form.organisation.data, "country": form.country.data,
                           "profession": form.profession.data, "language": form.language.data,
                           "next": safe_next(next_url, "") or None}
                hours = current_app.config["CONFIRM_EMAIL_HOURS"]
                raw = tokens.issue_registration(email, payload, hours, commit=False)
                link = mail.external_url("auth.confirm", token=raw)
                mail.send(email, *emails.confirm(form.name.data, link, hours))
    return render_template("auth/check_email.html", email=email)


@bp.route("/register/confirm/<token>", methods=["GET", "POST"])
def confirm(token):
    found = tokens.find(token, REGISTER)
    if found is None:
        return render_template("auth/link_invalid.html"), 404
    form = ConfirmForm()
    if form.validate_on_submit():  # a POST: mail scanners that follow links create nothing
        if not tokens.claim(found):
            db.session.rollback()
            return render_template("auth/link_invalid.html"), 404
        data = dict(found.payload or {})
        next_url = safe_next(data.pop("next", None), url_for("main.home"))
        try:
            user = services.register(email=found.email, password=None, **data)
        except services.EmailTaken:  # registered meanwhile (another link, or an administrator)
            flash(_("This address already has an account: sign in."), "info")
            return redirect(url_for("auth.login"))
        login_user(user)
        flash(_("Welcome, %(name)s. Your account is ready.", name=user.name), "success")
        return redirect(next_url)
    return render_template("auth/confirm.html", form=form, email=found.email)


@bp.route("/reset-links", methods=["GET", "POST"])
@login_required
def issue():
    if not current_user.is_facilitator:
        abort(403)
    form = IssueForm()
    if request.method == "GET" and request.args.get("email"):
        form.email.data = request.args["email"][:254]
    if form.validate_on_submit():
        user = services.find_user(form.email.data)
        if user is not None and current_user.is_admin and user.is_facilitator:
            form.email.errors.append(_("Facilitators and administrators choose a new password by email, or "
                                       "with the server's reset-link command: no one can hand them a link."))
        elif user is None or not handover.may_issue_for(current_user, user):
            form.email.errors.append(_("No account uses this address.") if current_user.is_admin
                                     else _("None of your trainees uses this address."))
        else:
            hours = current_app.config["RESET_ISSUED_HOURS"]
            raw = tokens.issue_reset(user, hours, issued_by=current_user, commit=False)
            tell_holder(user, current_user)
            db.session.commit()  # the link, and the email that tells her of it: both or neither
            return render_template("auth/issued.html", user=user, hours=hours,
                                   link=mail.external_url("auth.reset", token=raw))
    return render_template("auth/issue.html", form=form), (400 if request.method == "POST" else 200)


def tell_holder(user: User, issuer: User) -> None:
    """She learns that someone made a link to her account (by email when there is mail; on her next
    sign-in in any case, from the link's own record)."""
    if mail.enabled():
        with force_locale(user.language or "fr"):
            mail.send(user.email, *emails.handed_over(user.name, issuer.name, mail.external_url("auth.login")))


def announce_handed_over_links(sender, user, **extra) -> None:
    from ..zones import local_time
    notices = handover.notices_for(user)
    if not notices:
        return
    db.session.commit()
    for issuer, when in notices:
        flash(_("%(issuer)s made a one-time password link for your account on %(when)s. If you did not ask "
                "for it, change your password and tell an administrator.",
                issuer=issuer or _("Deleted account"), when=local_time(when)), "info")
