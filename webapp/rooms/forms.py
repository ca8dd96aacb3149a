"""The room kit's forms: naming a kit (central site), a room code and a room password (room laptop)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from ..auth.forms import stripped, strong_password


class KitForm(FlaskForm):
    label = StringField(_l("Which laptop is it for?"), filters=[stripped], validators=[
        DataRequired(_l("Name the laptop this kit is for, like “Aminata’s laptop”, to tell your kits apart.")),
        Length(max=120)])


class RevokeForm(FlaskForm):
    confirm = BooleanField(_l("Yes: refuse from now on every record this laptop sends"),
                           validators=[DataRequired(_l("Tick the box to confirm."))])


class RoomCodeForm(FlaskForm):
    code = StringField(_l("Room code"), filters=[stripped], validators=[
        DataRequired(_l("Type the code on your slip.")), Length(max=40)])
    submit = SubmitField(_l("Sign in"))


class RoomPasswordForm(FlaskForm):
    password = PasswordField(_l("Password for this room"), validators=[DataRequired(_l("Choose a password.")),
                                                                      strong_password])
    confirm = PasswordField(_l("Repeat the password"), validators=[
        DataRequired(_l("Repeat the password.")), EqualTo("password", _l("The two passwords are not the same."))])
    submit = SubmitField(_l("Keep this password"))
