"""Builders for test data."""
from __future__ import annotations

import itertools

from webapp.auth import services

_seq = itertools.count(1)


def make_user(*, email=None, password="correct horse battery", name=None, role="trainee",
              country="SN", profession="police", language="fr", organisation="Police nationale"):
    n = next(_seq)
    return services.register(name=name or f"Trainee {n}", email=email or f"user{n}@example.org",
                             password=password, organisation=organisation, country=country,
                             profession=profession, language=language, role=role)


def make_workshop(owner, *, title="Atelier de Dakar", lessons=("first-steps", "second-steps"), days=2,
                  start=None, threshold=None, cofacilitators=(), language="en"):
    """A workshop run by ``owner``."""
    from datetime import date, timedelta

    from webapp.workshops import services as workshops
    start = start or date(2026, 3, 24)
    data = {"title": title, "city": "Dakar", "country": "SN", "start_date": start,
            "end_date": start + timedelta(days=days - 1), "language": language, "lessons": list(lessons),
            "due_date": None, "attendance_threshold": threshold}
    return workshops.save(None, owner, data, list(cofacilitators))


def join_workshop(workshop, *users):
    from webapp.workshops import services as workshops
    for user in users:
        workshops.join(workshop, user)
