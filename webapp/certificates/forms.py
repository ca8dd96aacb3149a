from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..auth.forms import stripped


class RevokeForm(FlaskForm):
    reason = TextAreaField(_l("Reason for revoking"), filters=[stripped], validators=[
        DataRequired(_l("Give the reason for revoking this certificate.")), Length(max=500)])
    submit = SubmitField(_l("Revoke this certificate"))


def number_of_link(value):
    """The number from a pasted verification link ("https://…/verify/ABCD-…#statement"), which is what
    the certificate tells its reader to open; anything else as it was typed."""
    if isinstance(value, str) and "/verify/" in value:
        return value.split("#", 1)[0].split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return value


class LookupForm(FlaskForm):
    """Sent with GET (nothing changes), so no CSRF token in the address."""
    class Meta:
        csrf = False

    number = StringField(_l("Certificate number"), filters=[stripped, number_of_link], validators=[
        DataRequired(_l("Enter the certificate number.")), Length(max=40)])
