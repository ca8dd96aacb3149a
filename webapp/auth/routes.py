from flask import current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from .. import mail, zones
from ..extensions import db
from ..i18n import lang, select_locale
from ..models.base import utcnow
from ..people import country_choices
from ..security import client_address, safe_next
from . import bp, emailed_links, services, sessions, throttle
from .forms import LoginForm, PasswordForm, RegisterForm, SettingsForm


def _country_choices():
    return country_choices(lang(), _("Choose a country"))


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = RegisterForm()
    form.country.choices = _country_choices()
    if request.method == "GET":
        form.language.data = lang()
    if form.validate_on_submit():
        if not form.country.data:
            form.country.errors.append(_("Choose the country where you work."))
        elif mail.enabled():
            # With email, registration reveals nothing: "check your email" for new and known addresses.
            return emailed_links.register_by_email(form, request.args.get("next"))
        elif services.registration_slot(client_address()) is None:
            flash(_("Many accounts were just created from your network. Wait %(minutes)d minutes, then try again.",
                    minutes=max(1, current_app.config["LOGIN_WINDOW_SECONDS"] // 60)), "error")
            return render_template("auth/register.html", form=form), 429
        else:
            try:
                user = services.register(
                    name=form.name.data, email=form.email.data, password=form.password.data,
                    organisation=form.organisation.data, country=form.country.data,
                    profession=form.profession.data, language=form.language.data)
            except services.EmailTaken:
                # Counted all the same: this answer tells that the address has an account, and a
                # script trying a list of addresses must meet the limit as one making accounts does.
                form.email.errors.append(_("An account already uses this email address. "
                                           "Sign in, or use another address."))
            else:
                login_user(user)
                flash(_("Welcome, %(name)s. Your account is ready.", name=user.name), "success")
                return redirect(safe_next(request.args.get("next"), url_for("main.home")))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/register.html", form=form), status


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next"), url_for("main.home")))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        device = throttle.trusted_device(request.cookies.get(throttle.DEVICE_COOKIE), services.normalise_email(form.email.data))
        result = services.authenticate(form.email.data, form.password.data, client_address(), device)
        if isinstance(result, int):
            flash(services.wait_message(result), "error")
            response = make_response(render_template("auth/login.html", form=form), 429)
            response.headers["Retry-After"] = str(result)
            return response
        if result:
            login_user(result, remember=False)
            if not result.language:
                # An account made on the command line (the first administrator) has no language
                # yet: it takes the one this browser reads, not French by default.
                result.language = select_locale()
                db.session.commit()
            # Only a path on this site: never an open redirect.
            response = redirect(safe_next(request.args.get("next"), url_for("main.home")))
            if not device:  # this browser is now one she signed in from: attacks elsewhere no longer slow her
                cfg = current_app.config
                response.set_cookie(throttle.DEVICE_COOKIE, throttle.new_device_cookie(result.email),
                                    max_age=throttle.DEVICE_DAYS * 86400, httponly=True, samesite="Lax",
                                    secure=bool(cfg.get("SESSION_COOKIE_SECURE")), path="/login")
            return response
        flash(_("Wrong email or password."), "error")
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():
    sessions.end_current()  # a copy of this cookie stops working too
    logout_user()
    flash(_("You are signed out."), "success")
    return redirect(url_for("main.home"))


@bp.route("/account/sign-out-everywhere", methods=["POST"])
@login_required
def sign_out_everywhere():
    sessions.end_all(current_user)
    logout_user()
    flash(_("You are signed out on every device."), "success")
    return redirect(url_for("main.home"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = SettingsForm(obj=current_user)
    form.country.choices = _country_choices()
    form.time_zone.choices = [("", _("The zone of my country (%(zone)s)",
                                      zone=zones.zone_for_country(current_user.country)))] + \
        [(name, name.replace("_", " ")) for name in zones.names()]
    if form.validate_on_submit():
        if not form.country.data:
            form.country.errors.append(_("Choose the country where you work."))
        else:
            form.populate_obj(current_user)
            db.session.commit()
            flash(_("Your details are saved."), "success")
            return redirect(url_for("auth.account"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/account.html", form=form, now=utcnow()), status


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordForm()
    status = 200
    if form.validate_on_submit():
        wrong = _("This is not your current password.")
        error = services.current_password_error(current_user, form.current.data, wrong)
        if error:
            form.current.errors.append(error)
            status = 400 if error == wrong else 429
        else:
            services.set_password(current_user, form.password.data)
            login_user(current_user._get_current_object())  # keep this session, with the new token
            flash(_("Your password is changed."), "success")
            return redirect(url_for("auth.account"))
    elif request.method == "POST":
        status = 400
    return render_template("auth/password.html", form=form), status
