"""Join-code look-ups: how many may fail, per client address and over the whole site.

Failures are rows in the database (``CodeLookup``), so that the limits hold across workers and app
servers. A look-up is written down before the code is looked at and counted with its own row, so
that requests racing past the check can never try more codes than the limit allows; a look-up that
finds its workshop takes its row back, so a room of trainees typing the right code costs nothing."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from ..extensions import db
from ..models import CodeLookup, Workshop
from ..models.base import utcnow
from . import services


@dataclass(frozen=True)
class Refused:
    """Too many failed look-ups: try again in ``retry_after`` seconds."""
    retry_after: int

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.retry_after / 60))


def _wait(address: str, *, counting_self: bool) -> int | None:
    """Seconds until a look-up from ``address`` may be tried, or None when it may be now. With
    ``counting_self`` the look-up's own row is already in the table, so the limit is one higher."""
    cfg = current_app.config
    window = cfg["JOIN_WINDOW_SECONDS"]
    now = utcnow()
    since = now - timedelta(seconds=window)
    slack = 1 if counting_self else 0
    waits = []
    for where, limit in (((CodeLookup.address == address,), cfg["JOIN_MAX_FAILURES_PER_ADDRESS"]),
                         ((), cfg["JOIN_MAX_FAILURES"])):
        count = db.session.scalar(select(func.count()).select_from(CodeLookup).where(CodeLookup.at >= since, *where))
        if count < limit + slack:
            continue
        # The look-up may go ahead once enough of the counted failures have aged out of the window.
        oldest = db.session.scalar(select(CodeLookup.at).where(CodeLookup.at >= since, *where)
                                   .order_by(CodeLookup.at, CodeLookup.id).offset(count - limit - slack).limit(1))
        waits.append(max(1, math.ceil(((oldest or now) + timedelta(seconds=window) - now).total_seconds())))
    return max(waits) if waits else None


def look_up(code: str, address: str, user=None) -> Workshop | Refused | None:
    """The workshop this code opens for this visitor, None (unknown code, or joining closed to her:
    the same answer, so that a closed workshop shows nothing), or Refused."""
    address = address[:64]
    if (wait := _wait(address, counting_self=False)) is not None:
        return Refused(wait)  # no write while refused: a flood costs one count
    window = current_app.config["JOIN_WINDOW_SECONDS"]
    db.session.execute(delete(CodeLookup).where(CodeLookup.at < utcnow() - timedelta(seconds=window)))
    row = CodeLookup(address=address[:64])
    db.session.add(row)
    db.session.commit()
    if (wait := _wait(address, counting_self=True)) is not None:
        db.session.delete(row)  # others got in first; a refused look-up does not count itself
        db.session.commit()
        return Refused(wait)
    workshop = services.find_by_code(code)
    if workshop is not None and not workshop.joining_open:
        # Her own workshop stays reachable for a member or facilitator; nobody else learns it exists.
        in_it = user is not None and user.is_authenticated and services.role_in(workshop.id, user)[1] is not None
        workshop = workshop if in_it else None
    if workshop is not None:
        db.session.delete(row)
        db.session.commit()
    return workshop
