"""Coordinator reports: course completions by country x profession x month over a date range.

One aggregate query (GROUP BY in the database, whatever the number of trainees); every total is
summed from its rows, so totals always add up.

A completion counts on the date its certificate gives: the trainee's own calendar day, in her time
zone when it was issued (``Certificate.completed_on``), not the UTC day. So the ministry's March is
the March of the certificates she holds, and the range's ends are days in that same calendar."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import DateTime, cast, func, select

from ..extensions import db
from ..models import User
from ..models.certificate import COURSE, Certificate, counted


@dataclass(frozen=True, order=True)
class Cell:
    country: str
    profession: str
    month: str  # YYYY-MM
    count: int


@dataclass
class Report:
    start: date
    end: date
    cells: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(c.count for c in self.cells)

    def by(self, attribute: str) -> list[tuple[str, int]]:
        """Totals along one dimension (country, profession or month), largest first then by key."""
        counts = Counter()
        for cell in self.cells:
            counts[getattr(cell, attribute)] += cell.count
        if attribute == "month":
            return sorted(counts.items())
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def month_of(column):
    """The month of a date column, in the database's own dialect (see ``month_key``)."""
    if db.engine.dialect.name == "postgresql":
        # As a plain timestamp: a bare date would become a timestamptz in the session's zone.
        return func.date_trunc("month", cast(column, DateTime))
    return func.strftime("%Y-%m", column)


def month_key(value) -> str:
    """'YYYY-MM' from what ``month_of`` gave: a timestamp (PostgreSQL) or already text (SQLite)."""
    return value.strftime("%Y-%m") if isinstance(value, (date, datetime)) else str(value)


def completions(start: date, end: date) -> Report:
    """Course completions dated (as their certificates are) from ``start`` to ``end``, both included,
    by country x profession x month."""
    month = month_of(Certificate.completed_on).label("month")
    stmt = (select(User.country, User.profession, month, func.count(Certificate.id))
            .join(User, User.id == Certificate.user_id)
            .where(Certificate.scope == COURSE, Certificate.completed_on >= start, Certificate.completed_on <= end,
                   counted())
            .group_by(User.country, User.profession, month))
    cells = sorted(Cell(country or "", profession or "", month_key(m), n)
                   for country, profession, m, n in db.session.execute(stmt))
    return Report(start, end, cells)


def default_range(today: date) -> tuple[date, date]:
    """The last twelve months, this one included."""
    first = today.replace(day=1)
    year, month = first.year, first.month - 11
    while month < 1:
        year, month = year - 1, month + 12
    return date(year, month, 1), today


def months(start: date, end: date) -> list[str]:
    out, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def month_start(month: str) -> date:
    year, number = month.split("-")
    return date(int(year), int(number), 1)
