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
