from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import TextAreaField
from wtforms.validators import Length

MAX_TEXT = 20_000  # a credential is 3-5 KB; a QR text under 1 KB


class CheckForm(FlaskForm):
    text = TextAreaField(_l("Credential or QR code text"), validators=[Length(max=MAX_TEXT)])
    file = FileField(_l("Or a credential file"))
