"""Who may open a workshop page: its facilitators (owner, co-facilitators, administrators) and,
for the trainee pages, its members. Everyone else is told the workshop does not exist."""
from __future__ import annotations

from flask import abort
from flask_login import current_user

from ..models import Workshop
from . import services
from .services import ATTENDING, FACILITATING


def for_facilitator(workshop_id: int) -> Workshop:
    workshop, role = services.role_in(workshop_id, current_user)
    if role == FACILITATING:
        return workshop
    # A member knows the workshop exists but may not see others' results; anyone else: not found.
    abort(403 if role == ATTENDING else 404)


def for_member(workshop_id: int) -> Workshop:
    workshop, role = services.role_in(workshop_id, current_user)
    if role != ATTENDING:
        abort(403 if role == FACILITATING else 404)
    return workshop


def for_anyone_in(workshop_id: int) -> tuple[Workshop, str]:
    workshop, role = services.role_in(workshop_id, current_user)
    if role is None:
        abort(404)
    return workshop, role
