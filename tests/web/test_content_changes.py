"""What changed: the dated "Update" boxes listed on the course page, the public "What changed" page
built from lessons/CHANGELOG.yaml, and the content edition named on a certificate's public page and
on the printed pack (sample course: two editions, one update box in lesson 2)."""
import re
from datetime import datetime

from webapp.certificates import services
from webapp.certificates.numbers import display

from ..factories import make_user, make_workshop
from ..records_builders import complete_course
from .workshop_helpers import signed_in, text

EN, FR = {"Accept-Language": "en"}, {"Accept-Language": "fr"}


def test_a_trainer_sees_what_changed_newest_first_and_what_to_reprint(client):
    page = client.get("/changes", headers=EN).get_data(as_text=True)
    assert "<h1>What changed in the course</h1>" in page
    second = page.index('<h2 id="edition-2026-03-01"><time datetime="2026-03-01">1 March 2026</time>: Second edition</h2>')
    first = page.index('<h2 id="edition-2026-01-15"><time datetime="2026-01-15">15 January 2026</time>: First edition</h2>')
    assert second < first
    edition = page[second:first]
    assert "A dated update on the regional community." in edition
    assert '<span class="meta">(Lesson 2: Second steps · Glossary)</span>' in edition
    assert ('<strong>To reprint:</strong> <a href="/lessons/second-steps">Lesson 2: Second steps</a> · '
            '<a href="/glossary">Glossary</a>') in edition
    assert '<a href="/quizzes">Quizzes</a>' in page[first:]


def test_the_what_changed_page_speaks_french(client):
    page = client.get("/changes", headers=FR).get_data(as_text=True)
    assert "Ce qui a changé dans le cours" in page
    assert '<time datetime="2026-03-01">1er mars 2026</time>\u00a0: Deuxième édition' in page
    assert "À réimprimer\u00a0:" in page and "Leçon 2\u00a0: Deuxièmes pas" in page


def test_every_page_footer_links_to_what_changed(client):
    for url in ("/", "/glossary", "/lessons/first-steps"):
        assert '<a href="/changes">What changed</a>' in client.get(url, headers=EN).get_data(as_text=True), url


def test_the_course_page_lists_every_dated_update_with_a_link_to_its_box(client):
    page = client.get("/", headers=EN).get_data(as_text=True)
    section = page[page.index('<h2 id="since-2015">'):]
    assert "What has changed since 2015" in section
    assert ('<strong><time datetime="2025-01-29">29 January 2025</time></strong>: '
            'Three States left the regional community on 29 January 2025.') in section
    assert '<a href="/lessons/second-steps#update-1">Lesson 2: Second steps</a>' in section
    assert '<a href="/changes">What changed in the course itself</a>' in section
    lesson = client.get("/lessons/second-steps", headers=EN).get_data(as_text=True)
    assert '<div class="update-note" role="note" id="update-1">' in lesson


def test_the_course_page_lists_updates_in_french_for_a_french_reader(client):
    page = client.get("/", headers=FR).get_data(as_text=True)
    assert "Ce qui a changé depuis 2015" in page
    assert "<time datetime=\"2025-01-29\">29 janvier 2025</time></strong>\u00a0: Trois États" in page


def test_certificate_verification_names_the_content_edition_in_force_when_it_was_earned(client):
    holder = make_user()
    complete_course(holder, at=datetime(2026, 3, 10, 10, 0))
    [cert] = services.issue_due(holder.id)
    page = client.get(f"/verify/{display(cert.number)}", headers=EN).get_data(as_text=True)
    assert ('<dt>Content edition</dt><dd><a href="/changes#edition-2026-03-01">Edition of 1 March 2026</a>: '
            'Second edition</dd>') in page


def test_a_certificate_earned_under_the_first_edition_names_it(client):
    holder = make_user()
    complete_course(holder, at=datetime(2026, 2, 1, 9, 0))
    [cert] = services.issue_due(holder.id)
    page = client.get(f"/verify/{display(cert.number)}", headers=FR).get_data(as_text=True)
    assert re.search(r'<a href="/changes#edition-2026-01-15">Édition du 15 janvier 2026</a>\u00a0: Première édition', page)


def test_the_printed_pack_says_which_edition_it_is_and_where_to_see_later_changes(app):
    owner = make_user(role="facilitator", language="en")
    page = text(signed_in(app, owner).get(f"/workshops/{make_workshop(owner).id}/pack"))
    assert "Course content: edition of 1 March 2026. To see what changed after this copy was printed: " \
           "http://127.0.0.1:5000/changes" in page
    french = text(signed_in(app, owner).get(f"/workshops/{make_workshop(owner, language='fr').id}/pack"))
    assert "Contenu du cours\u00a0: édition du 1er mars 2026." in french


def test_the_printed_pack_carries_the_update_boxes_with_their_date_and_source(app):
    owner = make_user(role="facilitator", language="en")
    page = text(signed_in(app, owner).get(f"/workshops/{make_workshop(owner).id}/pack"))
    assert ('<div class="update-note" role="note" id="second-steps--update-1"><p class="block-label">Update, as of '
            '<time datetime="2025-01-29">29 January 2025</time></p>') in page
    assert "Source: <a href=\"https://ecowas.int/\" rel=\"noopener\">ECOWAS, statement of 29 January 2025</a>" in page
