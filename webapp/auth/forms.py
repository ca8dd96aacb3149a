from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from ..people import PROFESSIONS
from .passwords import password_problem

LANGUAGE_CHOICES = [SelectChoice("fr", "Français", render_kw={"lang": "fr"}),
                    SelectChoice("en", "English", render_kw={"lang": "en"})]


def select_choices(pairs) -> list:
    return [SelectChoice(value, label) for value, label in pairs]


def stripped(value):
    return value.strip() if isinstance(value, str) else value


def strong_password(form, field):
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


class RegisterForm(FlaskForm):
    name = StringField(_l("Full name"), filters=[stripped], validators=[DataRequired(_l("Enter your full name.")), Length(max=120)])
    email = EmailField(_l("Email"), filters=[stripped], validators=[
        DataRequired(_l("Enter your email address.")),
        Email(_l("Enter a valid email address, like name@example.org."), check_deliverability=False),
        Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Choose a password.")), strong_password])
    confirm = PasswordField(_l("Repeat the password"), validators=[
        DataRequired(_l("Repeat the password.")), EqualTo("password", _l("The two passwords are not the same."))])
    organisation = StringField(_l("Organisation"), filters=[stripped], validators=[
        DataRequired(_l("Enter your organisation.")), Length(max=160)])
    country = SelectField(_l("Country where you work"), validate_choice=True)
    profession = SelectField(_l("Profession"), choices=select_choices(PROFESSIONS.items()))
    language = SelectField(_l("Preferred language"), choices=LANGUAGE_CHOICES)
    submit = SubmitField(_l("Create my account"))


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), filters=[stripped], validators=[DataRequired(_l("Enter your email address.")), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password.")), Length(max=200)])
    submit = SubmitField(_l("Sign in"))


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(_l("Enter your current password."))])
    password = PasswordField(_l("New password"), validators=[DataRequired(_l("Choose a password.")), strong_password])
    confirm = PasswordField(_l("Repeat the new password"), validators=[
        DataRequired(_l("Repeat the password.")), EqualTo("password", _l("The two passwords are not the same."))])
    submit = SubmitField(_l("Change my password"))


class SettingsForm(FlaskForm):
    name = RegisterForm.name
    organisation = RegisterForm.organisation
    country = SelectField(_l("Country where you work"), validate_choice=True)
    profession = SelectField(_l("Profession"), choices=select_choices(PROFESSIONS.items()))
    language = SelectField(_l("Preferred language"), choices=LANGUAGE_CHOICES)
    time_zone = SelectField(_l("Time zone"), validate_choice=True)
    submit = SubmitField(_l("Save"))
