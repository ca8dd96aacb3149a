"""Expert sign-off, where it matters: at the top of the public "What changed" page, and on the public
verification page of a certificate (whether the content she was tested on had been signed off). The
sample course holds one sign-off, of an earlier version: as it stands, it has changed since."""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import update

from webapp import create_app
from webapp.certificates import services
from webapp.certificates.numbers import display
from webapp.content import catalog, load_catalog
from webapp.extensions import db
from webapp.models import Attempt

from ..conftest import Client, _config
from ..factories import make_user, make_workshop
from ..records_builders import complete_course
from ..signoff_builders import sign_off
from .workshop_helpers import signed_in, text

EN, FR = {"Accept-Language": "en"}, {"Accept-Language": "fr"}


def _app_on(tmp_path, content):
    app = create_app(_config(f"sqlite:///{tmp_path / 'signoff.db'}", CONTENT_DIR=content))
    app.test_client_class = Client
    return app




@pytest.fixture
def signed_app(tmp_path, content):
    """The sample course, its current version signed off with reservations by Dr Yasmine Sample."""
    sign_off(content, load_catalog(content).version, verdict="approved-with-reservations",
             extra='    reservations:\n'
                   '      - {en: "Lesson 1 should cite the 2024 Directive.", fr: "La leçon 1 devrait citer la directive de 2024."}\n'
                   "    review: docs/REVIEW-2.md\n")
    app = _app_on(tmp_path, content)
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()


def signoff_section(page: str) -> str:
    return page[page.index('<section class="signoff'):page.index("</section>")]


def test_the_what_changed_page_says_first_that_the_content_changed_since_its_last_sign_off(client):
    page = client.get("/changes", headers=EN).get_data(as_text=True)
    section = signoff_section(page)
    assert page.index('<h2 id="signoff">Expert sign-off</h2>') < page.index('<section class="edition"')
    assert ("The content has changed since the last expert sign-off, on 20 February 2026: this edition has not "
            "been signed off yet.") in section
    assert "The last sign-off, of content version a1b2c3d4e5f6:" in section
    assert "Signed off by Dr Nadia Example (Prosecutor, trafficking unit, Ministry of Justice) on 20 February 2026." \
        in section
    assert f"Content version {catalog().version}." in section


def test_the_what_changed_page_tells_the_sign_off_in_french(client):
    section = signoff_section(client.get("/changes", headers=FR).get_data(as_text=True))
    assert "Validation par un·e expert·e" in section
    assert "Le contenu a changé depuis la dernière validation par un·e expert·e, le 20 février 2026\u00a0:" in section
    assert "Avis\u00a0: favorable avec réserves." in section
    assert "<li>La leçon 2 devrait dater ses chiffres.</li>" in section


def test_a_sign_off_of_the_current_version_shows_as_signed_with_its_reservations(signed_app):
    client = signed_app.test_client()
    section = signoff_section(client.get("/changes", headers=EN).get_data(as_text=True))
    assert '<section class="signoff signoff-signed"' in section
    assert "This edition of the content has been signed off by a subject expert." in section
    assert ("Signed off by Dr Yasmine Sample (Senior prosecutor, Public Prosecution Office) on 5 March 2026.\n"
            "Scope: the whole course.\nVerdict: approved with reservations.") in section
    assert "<li>Lesson 1 should cite the 2024 Directive.</li>" in section
    assert "Dr Nadia Example" not in section  # an earlier version's sign-off says nothing of this one
    french = signoff_section(client.get("/changes", headers=FR).get_data(as_text=True))
    assert "Cette édition du contenu a été validée par un·e expert·e du sujet." in french
    assert "Validé par Dr Yasmine Sample (Procureure principale, ministère public) le 5 mars 2026." in french
    assert "<li>La leçon 1 devrait citer la directive de 2024.</li>" in french


def test_a_sign_off_of_some_parts_names_them(tmp_path, content):
    sign_off(content, load_catalog(content).version, scope="[second-steps, glossary]")
    app = _app_on(tmp_path, content)
    with app.app_context():
        section = signoff_section(app.test_client().get("/changes", headers=EN).get_data(as_text=True))
    assert "Scope: Lesson 2: Second steps · Glossary." in section


def test_changing_a_lesson_voids_the_sign_off_on_the_what_changed_page(signed_app, tmp_path, content):
    lesson = content / "lessons/02-second-steps/en.md"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("Going further.", "Going much further."),
                      encoding="utf-8")
    app = _app_on(tmp_path, content)  # the edited content, as a restarted site serves it
    with app.app_context():
        section = signoff_section(app.test_client().get("/changes", headers=EN).get_data(as_text=True))
    assert '<section class="signoff signoff-unsigned"' in section
    assert "This edition of the content has been signed off" not in section
    assert "The content has changed since the last expert sign-off, on 5 March 2026" in section


def test_without_any_sign_off_the_page_says_not_yet_signed_off(tmp_path, content):
    (content / "lessons/SIGNOFF.yaml").write_text("signoffs: []\n", encoding="utf-8")
    app = _app_on(tmp_path, content)
    with app.app_context():
        section = signoff_section(app.test_client().get("/changes", headers=FR).get_data(as_text=True))
    assert "Ce contenu n’a pas encore été validé par un·e expert·e du sujet." in section


def signoff_facts(app, cert) -> str:
    """The "Expert sign-off" row of the certificate's public verification page, in English."""
    page = app.test_client().get(f"/verify/{display(cert.number)}", headers=EN).get_data(as_text=True)
    return page[page.index("<dt>Expert sign-off</dt>"):page.index("<dt>Status</dt>")]


def test_a_certificate_earned_on_a_signed_off_version_says_so(signed_app):
    holder = make_user()
    complete_course(holder, at=datetime(2026, 3, 10, 10, 0)).content_version = catalog().version
    db.session.commit()
    [cert] = services.issue_due(holder.id)
    facts = signoff_facts(signed_app, cert)
    assert "The content this certificate was earned on has been signed off by a subject expert." in facts
    assert "Signed off by Dr Yasmine Sample (Senior prosecutor, Public Prosecution Office) on 5 March 2026." in facts
    assert "<li>Lesson 1 should cite the 2024 Directive.</li>" in facts
    assert f"Content version {catalog().version}." in facts
    french = signed_app.test_client().get(f"/verify/{display(cert.number)}", headers=FR).get_data(as_text=True)
    assert "Le contenu sur lequel ce certificat a été obtenu a été validé par un·e expert·e du sujet." in french


def test_a_certificate_earned_on_content_never_signed_off_says_it_was_not(signed_app):
    holder = make_user()
    complete_course(holder, at=datetime(2026, 3, 10, 10, 0)).content_version = "0123456789ab"
    db.session.commit()
    [cert] = services.issue_due(holder.id)
    facts = signoff_facts(signed_app, cert)
    assert "The content this certificate was earned on has not been signed off by a subject expert." in facts
    assert "Dr Yasmine Sample" not in facts
    assert "Content version 0123456789ab." in facts


def test_the_version_named_is_that_of_her_last_quiz_before_the_certificate(signed_app):
    """A quiz taken after the certificate was earned, on later content, says nothing of it."""
    holder = make_user()
    complete_course(holder, at=datetime(2026, 3, 10, 10, 0)).content_version = catalog().version
    db.session.commit()
    [cert] = services.issue_due(holder.id)
    from ..records_builders import take_quiz
    take_quiz(holder, datetime(2026, 4, 1, 9, 0), quiz="first-steps").content_version = "fedcba987654"
    db.session.commit()
    assert cert.content_version == catalog().version  # kept with the certificate when it was issued
    facts = signoff_facts(signed_app, cert)
    assert "has been signed off by a subject expert." in facts and "fedcba987654" not in facts


def test_a_certificate_keeps_the_version_it_was_earned_on_when_its_quizzes_go(signed_app):
    """The version is a fact of the certificate, like its date: read from her attempts once, when it
    is issued, not at every showing."""
    holder = make_user()
    complete_course(holder, at=datetime(2026, 3, 10, 10, 0)).content_version = catalog().version
    db.session.commit()
    [cert] = services.issue_due(holder.id)
    db.session.execute(update(Attempt).where(Attempt.user_id == holder.id).values(content_version="fedcba987654"))
    db.session.commit()
    facts = signoff_facts(signed_app, cert)
    assert f"Content version {catalog().version}." in facts and "has been signed off" in facts


def test_the_printed_pack_names_the_version_an_expert_would_sign_and_its_sign_off(signed_app):
    owner = make_user(role="facilitator", language="en")
    page = text(signed_in(signed_app, owner).get(f"/workshops/{make_workshop(owner).id}/pack"))
    assert (f"Content version {catalog().version}. This edition of the content has been signed off by a subject "
            "expert.") in page


def test_the_printed_pack_says_when_its_content_changed_since_the_last_sign_off(app):
    owner = make_user(role="facilitator", language="fr")
    french = text(signed_in(app, owner).get(f"/workshops/{make_workshop(owner, language='fr').id}/pack"))
    assert (f"Version du contenu\u00a0: {catalog().version}. Le contenu a changé depuis la dernière validation "
            "par un·e expert·e, le 20 février 2026\u00a0: cette édition n’a pas encore été validée.") in french
