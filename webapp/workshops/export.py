"""The roster as CSV, for a spreadsheet in the facilitator's language (see webapp/spreadsheet.py)."""
from __future__ import annotations

from flask_babel import gettext as _

from ..people import country_name, display_email, display_name
from ..progress.services import COMPLETED, IN_PROGRESS
from ..spreadsheet import csv_text
from .dashboards import CERT_ISSUED, CERT_NONE, CERT_REVOKED, FINAL_FAILED, FINAL_NONE, FINAL_PASSED


def _percent(value):
    return "" if value is None else round(value * 100)


def roster_csv(cat, workshop, rows, lang: str) -> str:
    """The roster page's columns first, in its order and with its headings, then the details: email,
    country, each lesson, each day, when the tests were on paper, the last activity."""
    status = {COMPLETED: _("Completed"), IN_PROGRESS: _("In progress")}
    final = {FINAL_PASSED: _("Passed"), FINAL_FAILED: _("Not passed yet"), FINAL_NONE: _("Not taken")}
    certificate = {CERT_ISSUED: _("Issued"), CERT_REVOKED: _("Revoked"), CERT_NONE: _("Not yet")}
    header = [_("Trainee"), _("Organisation"), _("Pre-test"), _("Post-test"), _("Knowledge gain"),
              _("Final assessment"), _("Workshop certificate"), _("Lessons done"), _("Days present"),
              _("Email"), _("Country"), _("Joined"), _("Pre-test on paper"), _("Post-test on paper"),
              _("Final assessment: best score (%)"), _("Lessons in scope")]
    for slug in workshop.lessons:
        lesson = cat.lesson(slug)
        title = f"{lesson.number}. {lesson.text(lang).title}" if lesson else slug
        header += [_("%(lesson)s: status", lesson=title), _("%(lesson)s: best quiz score (%%)", lesson=title)]
    header += [day.isoformat() for day in workshop.days]
    header += [_("Attendance requirement met"), _("Last activity")]
    lines = []
    yes, no = _("yes"), _("no")
    for row in rows:
        user = row.user
        present = len(row.days_present & set(workshop.days))
        cells = [display_name(user), user.organisation, _percent(row.pre and row.pre.score),
                 _percent(row.post and row.post.score), _percent(row.gain), final[row.final],
                 certificate[row.certificate], row.completed, present,
                 display_email(user), country_name(user.country, lang) if user.country else "",
                 row.joined_at.strftime("%Y-%m-%d"), (yes if row.pre.paper else no) if row.pre else "",
                 (yes if row.post.paper else no) if row.post else "", _percent(row.final_best),
                 len(workshop.lessons)]
        for slug in workshop.lessons:
            best = row.best.get(slug)
            cells += [status.get(row.statuses.get(slug), _("Not started")),
                      "" if best is None else round(best * 100)]
        cells += [_("present") if day in row.days_present else "" for day in workshop.days]
        cells += [yes if present >= workshop.required_days else no,
                  row.last_activity.isoformat(timespec="minutes") + "+00:00" if row.last_activity else ""]
        lines.append(cells)
    return csv_text(header, lines, lang)
