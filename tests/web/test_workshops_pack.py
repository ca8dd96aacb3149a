"""The printable workshop pack, for a room without a network: lessons, glossary, the decision aid as
a one-page flowchart, and paper answer sheets; in the workshop's language; the key for facilitators."""
from pathlib import Path

from flask_babel import force_locale
from markupsafe import escape

from webapp.content import catalog
from webapp.workshops.pack import flowchart

from ..factories import join_workshop, make_user, make_workshop
from .workshop_helpers import signed_in, text


def chart(language):
    with force_locale(language):
        return flowchart(catalog(), language)


CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "workshops.css"


def test_the_pack_holds_every_lesson_the_glossary_the_aid_and_answer_sheets(app):
    owner = make_user(role="facilitator", language="en")
    workshop = make_workshop(owner, title="Atelier de Nouakchott")
    page = text(signed_in(app, owner).get(f"/workshops/{workshop.id}/pack"))
    for part in ("Lesson 1: First steps", "Lesson 2: Second steps", "Glossary", "Smuggler",
                 "Decision aid: trafficking or smuggling?", "Answer sheets", "Name:"):
        assert part in page, part
    # the lessons' own sections sit under the lesson title, with ids that cannot clash
    assert '<h3 id="first-steps--elements"' in page and '<h2 id="first-steps--elements"' not in page
    # the aid asks its questions in the rule's order, and says when a question is skipped
    questions = [str(escape(step.question)) for step in chart("en").steps]
    assert [page.index(q) for q in questions] == sorted(page.index(q) for q in questions)
    assert "Skip this question for a child" in page and "consent never changes the result" in page
    assert "How many elements has trafficking?" in page and "☐ A. Three" in page
    assert "Answer key" not in page
    keyed = text(signed_in(app, owner).get(f"/workshops/{workshop.id}/pack?key=1"))
    assert "Answer key" in keyed and "<span>1. A</span>" in keyed


def test_the_pack_prints_on_a4_with_each_part_on_a_new_page_and_no_navigation():
    css = CSS.read_text(encoding="utf-8")
    assert "@page{size:A4" in css
    assert ".pack-part{break-before:page}" in css
    assert "header.site,footer.site,.subnav,.flashes,.no-print" in css
    assert ".pack .paper-q" in css and "break-inside:avoid" in css


def test_a_french_workshop_prints_its_pack_in_french(app):
    owner = make_user(role="facilitator", language="en")
    workshop = make_workshop(owner, language="fr")
    page = text(signed_in(app, owner).get(f"/workshops/{workshop.id}/pack"))
    assert '<div class="pack" lang="fr">' in page
    assert "Premiers pas" in page and "Passeur" in page and "Glossaire" in page
    assert "La personne a-t-elle moins de 18 ans ?" in page
    aid = getattr(catalog(), "aid", None)
    if aid:  # with the aid's own texts, both languages are there, for a mixed room
        assert str(escape(aid["steps"]["child"]["question"]["en"])) in page


def test_the_page_around_a_french_pack_speaks_the_readers_language_and_switches(app):
    owner = make_user(role="facilitator", language="en")
    workshop = make_workshop(owner, language="fr")
    facilitator = signed_in(app, owner)
    address = f"/workshops/{workshop.id}/pack?key=1"
    page = text(facilitator.get(address))
    screen, printed = page.split('<div class="pack" lang="fr">')
    # the site and the instructions for whoever is at the screen: in her language
    assert '<html lang="en">' in screen and "Sign out" in screen
    assert '<div class="no-print panel" lang="en">' in printed and "Parts to print" in printed
    assert "Print this page, or save it as PDF" in printed and "Lesson 1: First steps</label>" in printed
    assert "Imprimez cette page" not in page and "Parties à imprimer" not in page
    # what goes on paper: in the workshop's
    for part in ("Sommaire", "Glossaire", "Leçon 1", "Premiers pas", "Feuilles de réponses", "Corrigé"):
        assert part in printed, part
    assert "Contents" not in printed and "Answer sheets</h2>" not in printed

    switched = facilitator.post("/language", data={"lang": "fr", "next": address}, follow_redirects=True)
    page = text(switched)
    assert '<html lang="fr">' in page and "Se déconnecter" in page and "Parties à imprimer" in page
    assert "Imprimez cette page, ou enregistrez-la en PDF" in page and "Sommaire" in page
    assert "Sign out" not in page and "Parts to print" not in page


def test_an_english_trainee_reads_the_page_in_english_and_prints_the_pack_in_french(app):
    workshop = make_workshop(make_user(role="facilitator"), language="fr")
    trainee = make_user(language="en")
    join_workshop(workshop, trainee)
    page = text(signed_in(app, trainee).get(f"/workshops/{workshop.id}/pack"))
    screen, printed = page.split('<div class="pack" lang="fr">')
    assert '<html lang="en">' in screen and "Show the pack with these parts" in printed
    assert "Glossaire" in printed and "Afficher le dossier" not in page


def test_a_trainee_prints_the_pack_but_never_the_answer_key(app):
    workshop = make_workshop(make_user(role="facilitator"))
    trainee = make_user(language="en")
    join_workshop(workshop, trainee)
    page = text(signed_in(app, trainee).get(f"/workshops/{workshop.id}/pack?key=1"))
    assert "Lesson 1: First steps" in page and "Answer key" not in page


def _toc_and_parts(page: str) -> str:
    """The pack without its choosing form (whose labels name every part)."""
    return page[page.index("</form>", page.index('class="pack-parts"')):]


def test_a_one_day_workshop_prints_only_the_parts_and_lessons_it_ticks(app):
    owner = make_user(role="facilitator", language="en")
    workshop = make_workshop(owner)
    client = signed_in(app, owner)
    form = text(client.get(f"/workshops/{workshop.id}/pack"))
    assert '<form method="get"' in form and 'name="parts" value="glossary" checked' in form
    assert 'name="lesson" value="second-steps" checked' in form and 'name="parts" value="tests">' in form
    page = _toc_and_parts(text(client.get(
        f"/workshops/{workshop.id}/pack?chosen=1&parts=lessons&parts=sheets&lesson=first-steps")))
    assert "Lesson 1: First steps" in page and "Quiz: First steps" in page
    assert "Lesson 2: Second steps" not in page and "Quiz: Second steps" not in page
    assert 'id="pack-glossary"' not in page and 'id="pack-aid"' not in page
    page = _toc_and_parts(text(client.get(f"/workshops/{workshop.id}/pack?chosen=1&parts=aid")))
    assert 'id="pack-aid"' in page and 'class="pack-part pack-lesson"' not in page and "Answer sheets" not in page
    page = text(client.get(f"/workshops/{workshop.id}/pack?chosen=1"))
    assert "Nothing is chosen: tick at least one part above." in page and '<section class="pack-part' not in page
    assert 'name="parts" value="glossary" checked' not in page  # the form shows what was asked
    assert client.get(f"/workshops/{workshop.id}/pack?chosen=1&parts=evil&lesson=x&key=zz").status_code == 200


def test_the_answer_key_follows_the_parts_chosen(app):
    owner = make_user(role="facilitator", language="en")
    workshop = make_workshop(owner)
    client = signed_in(app, owner)
    page = _toc_and_parts(text(client.get(f"/workshops/{workshop.id}/pack?chosen=1&parts=glossary&key=1")))
    assert "Answer key" not in page  # no sheet printed, no key
    page = text(client.get(f"/workshops/{workshop.id}/pack?chosen=1&parts=sheets&lesson=second-steps&key=1"))
    key = page[page.index('id="pack-key"'):]
    assert "Quiz: Second steps" in key and "Quiz: First steps" not in key
