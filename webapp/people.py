"""Who trainees are: professions and countries, as offered on the registration form."""
from __future__ import annotations

import gettext
from functools import cache
from typing import TYPE_CHECKING

import pycountry
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

if TYPE_CHECKING:
    from .models import User

PROFESSIONS = {
    "police": _l("Police or gendarmerie"),
    "border": _l("Border or immigration"),
    "prosecutor": _l("Prosecutor"),
    "judge": _l("Judge"),
    "labour_inspector": _l("Labour inspector"),
    "social_worker": _l("Social worker or child protection"),
    "ngo": _l("NGO or international organisation"),
    "consular": _l("Consular or diplomatic staff"),
    "other": _l("Other"),
}


@cache
def countries(lang: str) -> tuple:
    """(ISO 3166-1 alpha-2 code, name) pairs, sorted by name in ``lang``."""
    translate = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang],
                                    fallback=True).gettext
    pairs = [(c.alpha_2, translate(getattr(c, "common_name", None) or c.name)) for c in pycountry.countries]
    return tuple(sorted(pairs, key=lambda p: _sort_key(p[1])))


# The Rabat Process (Euro-African Dialogue on Migration and Development): its 57 partner and observer
# countries, as its secretariat lists them (rabat-process.org, "Our partners": 28 African countries,
# Algeria and Libya as observers, and 29 European ones). The Porto 2015 meeting this course is built on
# gathered "partner countries" of the dialogue (lessons/course.yaml); most trainees work in one.
RABAT_PROCESS = frozenset({
    # Africa
    "DZ", "BJ", "BF", "CM", "CV", "TD", "CG", "CI", "GA", "GM", "GH", "GN", "GQ", "GW", "LR", "LY", "ML",
    "MA", "MR", "NE", "NG", "CF", "CD", "SN", "ST", "SL", "TG", "TN",
    # Europe
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT",
    "LU", "MT", "NL", "NO", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "CH",
})


def country_choices(lang: str, placeholder: str) -> list:
    """The choices of a country field: the placeholder, the Rabat Process countries in their own
    group, then every other country (each group sorted by name in ``lang``)."""
    rabat, others = _("Rabat Process countries"), _("Other countries")
    return [SelectChoice("", placeholder)] + [
        SelectChoice(code, name, optgroup=rabat) for code, name in countries(lang) if code in RABAT_PROCESS
    ] + [SelectChoice(code, name, optgroup=others) for code, name in countries(lang) if code not in RABAT_PROCESS]


@cache
def _country_names(lang: str) -> dict:
    return dict(countries(lang))


def country_name(code: str, lang: str) -> str:
    return _country_names(lang).get(code, code)


def _sort_key(name: str) -> str:
    import unicodedata
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()


# An account its owner deleted is kept, anonymous, for the aggregate reports (records/erasure.py).
ERASED_DOMAIN = "erased.invalid"  # .invalid can never be a real address (RFC 2606)


def is_erased(user: User) -> bool:
    """An account its owner deleted: kept, anonymous, for the aggregate reports."""
    return user.email.endswith("@" + ERASED_DOMAIN)


def display_name(user: User) -> str:
    """Her name, or "Deleted account" (translated) once she deleted it: she still counts in rosters."""
    return _("Deleted account") if is_erased(user) else user.name


def display_email(user: User) -> str:
    return "" if is_erased(user) else user.email
