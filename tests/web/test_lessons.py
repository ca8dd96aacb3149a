"""Reading lessons, in both languages, with or without an account."""

import re

import pytest


def test_visitor_sees_the_course_with_lessons_minutes_and_objectives(client):
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Sample course" in page and "First steps" in page and "10 min" in page
    assert "Name the three elements." in page


def test_french_is_the_default_language(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="fr">' in page and "Premiers pas" in page


def test_accept_language_picks_english(client):
    assert '<html lang="en">' in client.get("/", headers={"Accept-Language": "en-GB,en;q=0.8"}).get_data(as_text=True)


def test_visitor_switches_language_and_it_sticks(client):
    response = client.post("/language", data={"lang": "en", "next": "/lessons/first-steps"})
    assert response.status_code == 302 and response.headers["Location"] == "/lessons/first-steps"
    page = client.get("/lessons/first-steps", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="en">' in page and "First steps" in page


def test_language_switch_never_redirects_off_site(client):
    response = client.post("/language", data={"lang": "en", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_signed_in_choice_is_saved_on_the_account(client, auth, trainee):
    from webapp.extensions import db
    from webapp.models import User
    auth.login()
    client.post("/language", data={"lang": "en", "next": "/"})
    assert db.session.get(User, trainee.id).language == "en"
    client.delete_cookie("lang")
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_lesson_page_has_objectives_contents_text_key_points_and_neighbours(client):
    page = client.get("/lessons/first-steps", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "<h1>First steps</h1>" in page
    assert "10 min of reading" in page
    assert "Tell a smuggler from a trafficker." in page
    assert '<a href="#elements">The elements</a>' in page
    assert '<h2 id="elements">The elements</h2>' in page
    assert "80% of the victims were women." in page  # key points
    assert 'rel="next" href="/lessons/second-steps"' in page
    assert "Sign in" in page  # a visitor is invited to keep progress


def test_lesson_reads_the_same_in_french(client):
    page = client.get("/lessons/first-steps", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "<h1>Premiers pas</h1>" in page and "Points clés" in page and '<h2 id="elements">' in page


def test_unknown_lesson_is_a_friendly_404(client):
    response = client.get("/lessons/no-such-lesson", headers={"Accept-Language": "fr"})
    assert response.status_code == 404
    assert "Page introuvable" in response.get_data(as_text=True)


def test_glossary_and_sources(client):
    page = client.get("/glossary", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<dt id="smuggler">Passeur' in page and "(Smuggler)" in page
    assert "Porto, 3-4 décembre 2015." in client.get("/sources").get_data(as_text=True)


def test_pages_send_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.engine_sensitive
def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json()["status"] == "ok"


def test_the_lesson_pager_says_previous_and_next_in_words(client):
    """A screen reader reads neither rel="prev" nor the arrows: the links name their direction."""
    page = client.get("/lessons/second-steps", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    pager = page.split('<nav class="pager"', 1)[1].split("</nav>", 1)[0]
    assert '<span class="visually-hidden">Leçon précédente\u00a0:</span>' in pager
    assert '<span aria-hidden="true">←</span>' in pager
    first = client.get("/lessons/first-steps", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<span class="visually-hidden">Next lesson:</span>' in first.split('<nav class="pager"', 1)[1]


def test_each_objectives_toggle_on_the_home_page_names_its_lesson(client):
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    summaries = re.findall(r"<summary>Objectives<span class=\"visually-hidden\">: ([^<]+)</span></summary>", page)
    assert len(summaries) == page.count("<summary>") and len(set(summaries)) == len(summaries) >= 2
