from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from .forms import stripped, strong_password


class ForgotForm(FlaskForm):
    email = EmailField(_l("Email"), filters=[stripped], validators=[
        DataRequired(_l("Enter your email address.")),
        Email(_l("Enter a valid email address, like name@example.org."), check_deliverability=False),
        Length(max=254)])
    submit = SubmitField(_l("Send me a link"))


class ResetForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(_l("Choose a password.")), strong_password])
    confirm = PasswordField(_l("Repeat the new password"), validators=[
        DataRequired(_l("Repeat the password.")), EqualTo("password", _l("The two passwords are not the same."))])
    submit = SubmitField(_l("Save my new password"))


class ConfirmForm(FlaskForm):
    submit = SubmitField(_l("Activate my account"))


class IssueForm(FlaskForm):
    email = EmailField(_l("The person's email"), filters=[stripped], validators=[
        DataRequired(_l("Enter your email address.")), Length(max=254)])
    submit = SubmitField(_l("Make a reset link"))
