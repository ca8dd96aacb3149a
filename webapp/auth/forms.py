from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from ..people import PROFESSIONS
from .passwords import password_problem

LANGUAGE_CHOICES = [("fr", "Français"), ("en", "English")]


def strong_password(form, field):
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


class RegisterForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[DataRequired(_l("Enter your full name.")), Length(max=120)])
    email = EmailField(_l("Email"), validators=[
        DataRequired(_l("Enter your email address.")),
        Email(_l("Enter a valid email address, like name@example.org."), check_deliverability=False),
        Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Choose a password.")), strong_password])
    confirm = PasswordField(_l("Repeat the password"), validators=[
        DataRequired(_l("Repeat the password.")), EqualTo("password", _l("The two passwords are not the same."))])
    organisation = StringField(_l("Organisation"), validators=[
        DataRequired(_l("Enter your organisation.")), Length(max=160)])
    country = SelectField(_l("Country where you work"), validate_choice=True)
    profession = SelectField(_l("Profession"), choices=list(PROFESSIONS.items()))
    language = SelectField(_l("Preferred language"), choices=LANGUAGE_CHOICES)
    submit = SubmitField(_l("Create my account"))


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(_l("Enter your email address.")), Length(max=254)])
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
    profession = SelectField(_l("Profession"), choices=list(PROFESSIONS.items()))
    language = SelectField(_l("Preferred language"), choices=LANGUAGE_CHOICES)
    submit = SubmitField(_l("Save"))
