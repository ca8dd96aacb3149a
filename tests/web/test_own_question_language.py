"""A question of her own carries the language she typed it in, not the page's: a French-speaking
facilitator on the English pages says "Français", and every page that shows the question marks it
lang="fr" for screen readers (the trainee's, her live screen, the presenter view, the results, her
saved questions), while a page already in French needs no mark."""
from __future__ import annotations

import re

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import LiveQuestion, SavedQuestion

from ..factories import join_workshop, make_user, make_workshop
from .test_own_questions import answer, ask_own, own, room
from .workshop_helpers import live_form, signed_in, text

PROMPT = "Qui coordonne l’orientation des victimes ?"


def french(kind="single", **kw) -> dict:
    return {**own(kind, PROMPT, "La police", "Les services sociaux", right=(1,), **kw), "language": "fr"}


def test_the_form_asks_the_language_of_her_question_and_defaults_to_the_pages(app):
    _owner, workshop, facilitator, _ = room(app, language="en")
    page = text(facilitator.get(f"/workshops/{workshop.id}/live/own"))
    assert "<legend>Language of this question</legend>" in page
    assert re.search(r'name="language" value="en" checked> <span lang="en">English</span>', page)
    assert re.search(r'name="language" value="fr"> <span lang="fr">Français</span>', page)
    owner = make_user(role="facilitator", language="fr", email="awa@example.org")  # the French pages
    mine = make_workshop(owner)
    form = text(signed_in(app, owner).get(f"/workshops/{mine.id}/live/own"))
    assert "<legend>Langue de cette question</legend>" in form
    assert 'name="language" value="fr" checked>' in form


def test_a_french_question_asked_from_the_english_pages_is_marked_french_everywhere(app):
    _owner, workshop, facilitator, (ana, _ben) = room(app, language="en")
    live = ask_own(facilitator, workshop, french(save=True))
    assert live.own["lang"] == "fr"
    assert db.session.scalar(select(SavedQuestion)).question["lang"] == "fr"

    trainee_page = text(ana.get(f"/workshops/{workshop.id}"))  # an English trainee
    assert re.search(r'<p class="prompt" id="prompt-[^"]+" lang="fr">Qui coordonne', trainee_page)
    assert '<span lang="fr">Les services sociaux</span>' in trainee_page
    assert re.search(r'<p class="prompt" lang="fr">Qui coordonne', text(facilitator.get(f"/workshops/{workshop.id}/live")))
    assert '<p class="present-prompt" lang="fr">Qui coordonne' in text(
        facilitator.get(f"/workshops/{workshop.id}/live/present"))
    answer(ana, workshop, live, live_form(live, "a"))
    facilitator.post(f"/workshops/{workshop.id}/live/{live.id}/reveal")
    after = text(ana.get(f"/workshops/{workshop.id}"))
    assert '<p class="prompt" lang="fr">Qui coordonne' in after
    assert 'Right answer:</strong> <span lang="fr">Les services sociaux</span>' in after
    results = text(facilitator.get(f"/workshops/{workshop.id}/live/{live.id}"))
    assert '<p class="prompt" lang="fr">Qui coordonne' in results
    assert '<span class="bar-label"><span lang="fr">La police</span>' in results
    saved = text(facilitator.get(f"/workshops/{workshop.id}/live/own"))
    assert '<span lang="fr">Qui coordonne' in saved and '<li><span lang="fr">La police</span>' in saved
    saved_id = db.session.scalar(select(SavedQuestion.id))
    assert 'name="language" value="fr" checked>' in text(
        facilitator.get(f"/workshops/{workshop.id}/live/own?edit={saved_id}"))
    # Asked again, the saved question keeps its language.
    facilitator.post(f"/workshops/{workshop.id}/live/saved/{saved_id}")
    assert db.session.scalars(select(LiveQuestion).order_by(LiveQuestion.id.desc())).first().own["lang"] == "fr"


def test_a_page_in_the_questions_language_needs_no_mark(app):
    _owner, workshop, facilitator, _ = room(app, language="en")
    reader = make_user(language="fr")
    join_workshop(workshop, reader)
    ask_own(facilitator, workshop, french())
    page = text(signed_in(app, reader).get(f"/workshops/{workshop.id}"))
    assert PROMPT.replace(" ?", "\u00a0?") in page or PROMPT in page
    assert 'lang="fr">Qui' not in page and '<span lang="fr">La police' not in page
    # and an English question on a French page is marked English
    ask_own(facilitator, workshop, own("poll", "Have you met such a case?", key="fedcba9876543210"))
    page = text(signed_in(app, reader).get(f"/workshops/{workshop.id}"))
    assert re.search(r'<p class="prompt" id="prompt-[^"]+" lang="en">Have you met such a case', page)
    assert "> Oui</label>" in page  # the poll's own Yes / No stay in the reader's language


def test_a_language_that_is_not_the_sites_falls_back_to_the_pages(app):
    _owner, workshop, facilitator, _ = room(app, language="en")
    live = ask_own(facilitator, workshop, {**french(), "language": 'x" onmouseover="alert(1)'})
    assert live.own["lang"] == "en"


def test_a_question_asked_before_it_said_its_language_is_shown_as_before(app):
    _owner, workshop, facilitator, (ana, _ben) = room(app, language="en")
    live = ask_own(facilitator, workshop, french())
    live.own = {k: v for k, v in live.own.items() if k != "lang"}  # a row kept before this change
    db.session.commit()
    page = text(ana.get(f"/workshops/{workshop.id}"))
    assert re.search(r'<p class="prompt" id="prompt-[^"]+">Qui coordonne', page)
    assert "Les services sociaux" in page and 'lang="fr">' not in page.split("<main", 1)[1]
