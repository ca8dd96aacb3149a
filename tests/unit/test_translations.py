"""Every interface string has a French translation (English is the source language)."""
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

WEBAPP = Path(__file__).parent.parent.parent / "webapp"
PO = WEBAPP / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def test_every_interface_string_is_translated_into_french():
    with PO.open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    method_map = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
    extracted = {msg[2] if isinstance(msg[2], str) else msg[2][0]
                 for msg in extract_from_dir(str(WEBAPP), method_map=method_map, keywords=KEYWORDS)}
    missing = sorted(m for m in extracted if m and (catalog.get(m) is None))
    assert not missing, f"run `flask --app webapp translate update` and translate: {missing}"
    untranslated = [m.id for m in catalog if m.id and (not m.string or (not isinstance(m.string, str) and not all(m.string)))]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not untranslated and not fuzzy, (untranslated, fuzzy)


# Run here too (every developer runs this file when adding strings): French spacing and inclusive forms.
from .test_french_typography import (  # noqa: E402,F401
    test_french_puts_a_non_breaking_space_before_colons_semicolons_question_and_exclamation_marks,
    test_french_uses_inclusive_forms_consistently,
)
