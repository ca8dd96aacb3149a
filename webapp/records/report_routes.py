"""Coordinator reports (administrators): completions by country x profession x month, by workshop."""
from flask import Response, render_template, request
from flask_babel import format_date, ngettext
from flask_babel import gettext as _

from ..downloads import attachment
from ..i18n import lang
from ..models.base import utcnow
from ..people import PROFESSIONS, country_name
from ..security import admin_required
from ..spreadsheet import csv_text
from . import bp, outcomes, reports, workshop_facts
from .forms import ReportForm


def _range():
    """(form, start, end, status): the range asked for, or the last twelve months."""
    start, end = reports.default_range(utcnow().date())
    if "start" not in request.args and "end" not in request.args:  # other parameters (a link's tracking) ask nothing
        return ReportForm(formdata=None, data={"start": start, "end": end}), start, end, 200
    form = ReportForm(request.args)
    if form.validate():
        return form, form.start.data, form.end.data, 200
    return form, start, end, 400


def labels():
    """Cell labels, each worked out once a page: a report repeats the same months and countries."""
    code, not_given = lang(), _("Not given")
    months: dict[str, str] = {}

    def month(m):
        if m not in months:
            months[m] = format_date(reports.month_start(m), "MMMM y")
        return months[m]

    return {
        "country": lambda c: country_name(c, code) if c else not_given,
        "profession": lambda p: str(PROFESSIONS.get(p, p)) if p else not_given,
        "month": month,
    }


@bp.route("/admin/reports")
@admin_required
def report():
    form, start, end, status = _range()
    result = reports.completions(start, end) if status == 200 else None
    by_workshop = workshop_facts.report(start, end) if status == 200 else None
    found = outcomes.outcomes(start, end) if status == 200 else None
    return render_template("records/report.html", form=form, report=result, by_workshop=by_workshop,
                           people_note=people_note(by_workshop, found.total.enrolled) if found else "",
                           outcomes=found, label=labels(), workshop_note=workshop_note(),
                           outcomes_note=outcomes_note(outcomes.INDICATIVE_BELOW)), status


@bp.route("/admin/reports/completions.csv")
@admin_required
def report_csv():
    form, start, end, status = _range()
    if status != 200:
        return render_template("records/report.html", form=form, report=None, by_workshop=None,
                               label=labels()), 400
    result = reports.completions(start, end)
    label = labels()
    rows = [[c.country, label["country"](c.country), c.profession, label["profession"](c.profession), c.month, c.count]
            for c in result.cells]
    rows.append([_("Total"), "", "", "", "", result.total])
    header = [_("Country code"), _("Country"), _("Profession code"), _("Profession"), _("Month"), _("Completions")]
    return _csv(csv_text(header, rows, lang()), _("completions-%(start)s-%(end)s.csv", start=start, end=end))


@bp.route("/admin/reports/workshops.csv")
@admin_required
def workshops_csv():
    form, start, end, status = _range()
    if status != 200:
        return render_template("records/report.html", form=form, report=None, by_workshop=None,
                               label=labels()), 400
    rows = workshop_facts.report(start, end)
    # The country as its code (SN), as the completions file heads it: "Country" there is the name.
    header = [_("Workshop code"), _("Workshop"), _("City"), _("Country code"), _("Start"), _("End"), _("Trainees"),
              _("Completed the course"), _("Completed the workshop")]
    lines = [r.csv_row() for r in rows]
    lines.append([_("Total"), "", "", "", "", "", sum(r.trainees for r in rows),
                  sum(r.course_completed for r in rows), sum(r.workshop_completed for r in rows)])
    lines.append([workshop_note()])
    if note := people_note(rows, workshop_facts.distinct_trainees(start, end)):
        lines.append([note])
    return _csv(csv_text(header, lines, lang()), _("workshops-%(start)s-%(end)s.csv", start=start, end=end))


@bp.route("/admin/reports/outcomes.csv")
@admin_required
def outcomes_csv():
    """Enrolled, in progress, completed, final pass rate and knowledge gain, by country then by
    profession, with how many people each rate and gain rests on (few: only indicative)."""
    form, start, end, status = _range()
    if status != 200:
        return render_template("records/report.html", form=form, report=None, by_workshop=None,
                               label=labels()), 400
    found = outcomes.outcomes(start, end)
    label = labels()
    header = [_("Group"), _("Code"), _("Name"), _("Enrolled"), _("In progress"), _("Completed the course"),
              _("Sat the final assessment"), _("Final assessment pass rate (%)"),
              _("Trainees with both tests"), _("Knowledge gain (points)"), _("Only indicative")]
    lines = []

    def line(group, code, name, o):
        indicative = o.pass_rate_indicative or o.gain_indicative
        lines.append([group, code, name, o.enrolled, o.in_progress, o.completed, o.final_sat,
                      "" if o.pass_rate is None else round(o.pass_rate * 100), len(o.gains),
                      "" if o.gain is None else round(o.gain * 100), _("yes") if indicative else ""])

    for dimension, group in ((outcomes.COUNTRY, _("Country")), (outcomes.PROFESSION, _("Profession"))):
        for o in found.by(dimension):
            line(group, o.key, label[dimension](o.key), o)
    line(_("Total"), "", "", found.total)
    lines.append([outcomes_note(found.threshold)])
    return _csv(csv_text(header, lines, lang()), _("outcomes-%(start)s-%(end)s.csv", start=start, end=end))


def outcomes_note(threshold: int) -> str:
    return _("Trainees of the workshops held over these dates, each counted once; a gain is the post-test "
             "score minus the pre-test score, once per workshop. A rate or a gain from fewer than %(min)d "
             "people is only indicative.", min=threshold)


def people_note(rows, people: int) -> str:
    """Said when the Total of the Trainees column counts someone more than once (she was in several of
    these workshops), with how many different people that is: the figure a ministry asks for."""
    if not rows or sum(r.trainees for r in rows) == people:
        return ""
    return ngettext("A trainee in several of these workshops counts in each of their rows: %(num)d different "
                    "trainee in all.", "A trainee in several of these workshops counts in each of their rows: "
                    "%(num)d different trainees in all.", people)


def workshop_note() -> str:
    """What the by-workshop report counts, said under its table and at the end of its CSV."""
    return _("Workshops are chosen by their dates; their trainees' completions are counted whenever they "
             "happened, also outside these dates.")


def _csv(text: str, filename: str) -> Response:
    return Response(text.encode("utf-8"), mimetype="text/csv", headers={
        "Content-Disposition": attachment(filename), "Cache-Control": "private, no-store"})
