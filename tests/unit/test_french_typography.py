"""French typography in the interface: a non-breaking space before ":" ";" "?" "!" and inside « »,
the typographic apostrophe (l’atelier, never l'atelier), inclusive forms used consistently, and
templates that never glue a colon to a value themselves."""
import re
from pathlib import Path

from babel.messages.pofile import read_po

WEBAPP = Path(__file__).parent.parent.parent / "webapp"
PO = WEBAPP / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
NBSP = "\u00a0"


def _french():
    with PO.open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    for message in catalog:
        if message.id:
            yield from ([message.string] if isinstance(message.string, str) else message.string)


def _problems(text: str) -> list[str]:
    found = []
    for hit in re.finditer(r"(.)([:;?!])", text):
        before, mark, after = hit.group(1), hit.group(2), text[hit.end():hit.end() + 1]
        if mark == ":" and (after == "/" or (before.isdigit() and after.isdigit())):
            continue  # an address (https://) or a time (10:30)
        if before != NBSP:
            found.append(f"{before}{mark}")
    if "« " in text or " »" in text:
        found.append("« »")
    return found


def test_the_check_catches_what_french_readers_notice():
    assert _problems("Résultat : 80 %") == [" :"] and _problems("Prêt?") == ["t?"]
    assert _problems(f"Résultat{NBSP}: 80 %, à 10:30, sur https://example.org") == []


def test_french_puts_a_non_breaking_space_before_colons_semicolons_question_and_exclamation_marks():
    bad = {text: problems for text in _french() if (problems := _problems(text))}
    assert bad == {}


def test_french_uses_the_typographic_apostrophe():
    straight = re.compile(r"[^\W\d_]'[^\W\d_]")
    assert straight.search("l'atelier") and not straight.search("l\u2019atelier")
    assert [text for text in _french() if straight.search(text)] == []


def test_french_uses_inclusive_forms_consistently():
    masculine = re.compile(r"\b(participants?|Participants?)\b(?!·)|Répondez seul\b(?!·)|\bun participant\b")
    assert [text for text in _french() if masculine.search(text)] == []


def test_templates_leave_the_colon_to_the_language():
    glued = [f"{path.name}: {line.strip()}" for path in (WEBAPP / "templates").rglob("*.html")
             for line in path.read_text(encoding="utf-8").splitlines() if re.search(r"}}(</\w+>)?: ", line)]
    assert glued == []


def test_content_typed_with_ordinary_spaces_gets_french_typography():
    from webapp.typography import french_typography
    assert french_typography("Traite ou trafic ? Voici : « le cas » ; bon !") == \
        f"Traite ou trafic{NBSP}? Voici{NBSP}: «{NBSP}le cas{NBSP}»{NBSP}; bon{NBSP}!"
    assert french_typography("<p>Pourquoi ?</p> https://example.org 10:30") == f"<p>Pourquoi{NBSP}?</p> https://example.org 10:30"


def test_content_typed_with_straight_apostrophes_reads_with_the_interfaces_apostrophe():
    """Lessons and the decision aid are typed with ' ; the interface around them uses ’."""
    from webapp.typography import french_typography
    assert french_typography("<p>L'intérêt supérieur de l'enfant, qu'il soit là ; N'Diaye</p>") == \
        f"<p>L’intérêt supérieur de l’enfant, qu’il soit là{NBSP}; N’Diaye</p>"
    # never a tag's delimiter, a quoted word or a year
    assert french_typography("<a href='x' title='y'>'90</a>") == "<a href='x' title='y'>'90</a>"


def test_french_lessons_use_one_apostrophe():
    from webapp.content import load_catalog
    cat = load_catalog(WEBAPP.parent)
    for lesson in cat.lessons:
        text = re.sub(r"<[^>]+>", " ", lesson.text("fr").html)
        assert not re.search(r"[^\W\d_]'[^\W\d_]", text), lesson.slug
