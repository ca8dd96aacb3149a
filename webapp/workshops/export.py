"""The roster as CSV, for a spreadsheet in the facilitator's language (see webapp/spreadsheet.py)."""
from __future__ import annotations

from flask_babel import gettext as _

from ..people import country_name, display_email, display_name
from ..progress.services import COMPLETED, IN_PROGRESS
from ..spreadsheet import csv_text


def roster_csv(cat, workshop, rows, lang: str) -> str:
    status = {COMPLETED: _("Completed"), IN_PROGRESS: _("In progress")}
    header = [_("Name"), _("Email"), _("Organisation"), _("Country"), _("Joined")]
    for slug in workshop.lessons:
        lesson = cat.lesson(slug)
        title = f"{lesson.number}. {lesson.text(lang).title}" if lesson else slug
        header += [_("%(lesson)s: status", lesson=title), _("%(lesson)s: best quiz score (%%)", lesson=title)]
    header += [day.isoformat() for day in workshop.days]
    header += [_("Days present"), _("Attendance requirement met"), _("Last activity")]
    lines = []
    for row in rows:
        user = row.user
        cells = [display_name(user), display_email(user), user.organisation, country_name(user.country, lang) if user.country else "",
                 row.joined_at.strftime("%Y-%m-%d")]
        for slug in workshop.lessons:
            best = row.best.get(slug)
            cells += [status.get(row.statuses.get(slug), _("Not started")),
                      "" if best is None else round(best * 100)]
        cells += [_("present") if day in row.days_present else "" for day in workshop.days]
        present = len(row.days_present & set(workshop.days))
        cells += [present, _("yes") if present >= workshop.required_days else _("no"),
                  row.last_activity.isoformat(timespec="minutes") + "+00:00" if row.last_activity else ""]
        lines.append(cells)
    return csv_text(header, lines, lang)
