"""A form sent back with errors says so where a screen reader starts: the page title begins with
"Error:", and the error summary (or the error message) takes the focus by itself (autofocus, which
works with JavaScript off)."""
import re

from ..factories import make_user
from .test_quizzes import start

SUMMARY = re.compile(r'<div class="error-summary" role="alert" tabindex="-1" autofocus>')


def title(page: str) -> str:
    return re.search(r"<title>(.*?)</title>", page, re.S).group(1)


def test_a_refused_registration_names_the_error_in_the_title_and_focuses_the_summary(client):
    page = client.post("/register", data={"name": "Awa"}, headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert title(page) == "Erreur\u00a0: Créer un compte · Passerelle"
    assert len(SUMMARY.findall(page)) == 1 and page.count("autofocus") == 1
    fresh = client.get("/register", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert title(fresh) == "Créer un compte · Passerelle" and "autofocus" not in fresh


def test_a_wrong_password_is_in_the_title_and_takes_the_focus(client, trainee):
    response = client.post("/login", data={"email": "trainee@example.org", "password": "not the password"},
                           headers={"Accept-Language": "en"})
    page = response.get_data(as_text=True)
    assert title(page) == "Error: Sign in · Passerelle"
    assert '<p class="flash error" tabindex="-1" autofocus>Wrong email or password.</p>' in page


def test_an_unknown_join_code_gets_a_focused_summary_linked_to_the_field(client):
    page = client.get("/join?code=ZZZZ-ZZZZ", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert title(page).startswith("Error: Join a workshop")
    assert SUMMARY.search(page) and '<li><a href="#code">Join code' in page


def test_an_incomplete_quiz_is_in_the_title_and_focuses_its_summary(client, auth, trainee):
    auth.login()
    attempt_id = start(client)
    response = client.post(f"/attempts/{attempt_id}", data={})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert title(page).startswith("Error: ")
    assert SUMMARY.search(page) and page.count("autofocus") == 1


def test_a_page_without_errors_has_no_error_title(client):
    make_user(email="other@example.org", password="correct horse battery")
    page = client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert not title(page).startswith("Error") and "autofocus" not in page
