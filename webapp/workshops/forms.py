import re
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..auth.forms import LANGUAGE_CHOICES, stripped
from ..input_numbers import whole_number
from ..zones import FIRST_DAY as FIRST
from ..zones import LAST_DAY as LAST
from .services import MAX_DAYS

EMAIL_SPLIT = re.compile(r"[\s,;]+")


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class WorkshopForm(FlaskForm):
    title = StringField(_l("Title"), filters=[stripped], validators=[
        DataRequired(_l("Give the workshop a title.")), Length(max=160)])
    city = StringField(_l("City"), filters=[stripped], validators=[DataRequired(_l("Enter the city.")), Length(max=120)])
    country = SelectField(_l("Country"), validate_choice=True)
    start_date = DateField(_l("First day"), validators=[DataRequired(_l("Enter the first day, like 2026-03-24."))])
    end_date = DateField(_l("Last day"), validators=[DataRequired(_l("Enter the last day, like 2026-03-26."))])
    language = SelectField(_l("Language of the workshop"), choices=LANGUAGE_CHOICES)
    lessons = CheckboxesField(_l("Lessons in scope"))
    due_date = DateField(_l("Due date for the lessons (optional)"), validators=[Optional()])
    cofacilitators = TextAreaField(_l("Co-facilitators (optional)"), filters=[stripped],
                                   validators=[Length(max=2000)])
    attendance_threshold = SelectField(_l("Attendance needed to complete the workshop"), default="")
    #: Random, put in the form when it is shown: the same form sent twice makes one workshop.
    creation_key = HiddenField(validators=[Optional(), Regexp(r"^[A-Za-z0-9_-]{16,32}$")])

    def validate_start_date(self, field):
        # The reports' range: a workshop dated outside it could never be reported on.
        if field.data and not FIRST <= field.data <= LAST:
            raise ValidationError(_l("Choose a date between 2000 and 2100."))

    def validate_end_date(self, field):
        if field.data and not FIRST <= field.data <= LAST:
            raise ValidationError(_l("Choose a date between 2000 and 2100."))
        if self.start_date.data and field.data:
            if field.data < self.start_date.data:
                raise ValidationError(_l("The last day cannot be before the first day."))
            if (field.data - self.start_date.data).days >= MAX_DAYS:
                raise ValidationError(_l("A workshop lasts at most 14 days."))

    def validate_due_date(self, field):
        # Before the workshop (lessons read ahead) or after it (to finish): within a year either way.
        if field.data and self.start_date.data and self.end_date.data:
            if not (self.start_date.data - timedelta(days=366) <= field.data <= self.end_date.data + timedelta(days=366)):
                raise ValidationError(_l("The due date must be within a year of the workshop."))

    def validate_lessons(self, field):
        if not field.data:
            raise ValidationError(_l("Choose at least one lesson."))

    def validate_attendance_threshold(self, field):
        # The choice check has already reported anything that is not a number of days, but inline
        # validators still run after it.
        if whole_number(field.data, 2) and self.start_date.data and self.end_date.data:
            days = (self.end_date.data - self.start_date.data).days + 1
            if int(field.data) > days:
                raise ValidationError(_l("This is more days than the workshop has."))

    def cofacilitator_emails(self) -> list[str]:
        return [e for e in EMAIL_SPLIT.split(self.cofacilitators.data or "") if e]


class JoinForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that only looks a code up

    code = StringField(_l("Join code"), filters=[stripped], validators=[
        DataRequired(_l("Enter the code your facilitator gave you.")), Length(max=20)])
