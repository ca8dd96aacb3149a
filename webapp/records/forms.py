from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Length, ValidationError

from ..zones import FIRST_DAY as FIRST
from ..zones import LAST_DAY as LAST


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[
        DataRequired(_l("Enter your password to confirm.")), Length(max=200)])
    confirm = BooleanField(_l("I understand that my account and my personal data will be deleted for good."),
                           validators=[DataRequired(_l("Tick the box to confirm."))])
    submit = SubmitField(_l("Delete my account"))




class ReportForm(FlaskForm):
    """Sent with GET (it changes nothing): no CSRF token."""
    class Meta:
        csrf = False

    start = DateField(_l("From"), validators=[DataRequired(_l("Enter a date like 2026-01-31."))])
    end = DateField(_l("To (included)"), validators=[DataRequired(_l("Enter a date like 2026-01-31."))])

    def validate_start(self, field):
        if field.data and not FIRST <= field.data <= LAST:
            raise ValidationError(_l("Choose a date between 2000 and 2100."))

    def validate_end(self, field):
        if field.data and not FIRST <= field.data <= LAST:
            raise ValidationError(_l("Choose a date between 2000 and 2100."))
        if self.start.data and field.data and field.data < self.start.data:
            raise ValidationError(_l("The end date must be on or after the start date."))
        if self.start.data and field.data and (field.data - self.start.data).days > 366 * 10:
            raise ValidationError(_l("Choose a range of at most ten years."))
