"""What a slow, metered connection fetches: fingerprinted static files cached for a year, pages
answered with a 304 when unchanged, gzip, and no session cookie for visitors."""
import gzip
import re

import pytest

from webapp.delivery import StaticFiles
from webapp.extensions import db

from ..factories import make_user

GZ = {"Accept-Encoding": "gzip, deflate"}
VISITOR_PAGES = ["/", "/lessons/first-steps", "/glossary", "/sources", "/quizzes", "/no-such-page"]


def _stylesheet(page: str) -> str:
    return re.search(r'<link rel="stylesheet" href="([^"]+)"', page).group(1)


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def test_stylesheet_address_carries_a_content_hash_and_is_cached_for_a_year(client):
    href = _stylesheet(client.get("/").get_data(as_text=True))
    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{10}\.css", href)
    response = client.get(href)
    assert response.status_code == 200 and response.mimetype == "text/css"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Cookie" not in response.headers.get("Vary", "")
    assert "Set-Cookie" not in response.headers


def test_plain_or_outdated_static_address_still_serves_the_file_but_must_be_checked_again(client):
    for href in ("/static/css/site.css", "/static/css/site.0123456789.css"):
        response = client.get(href)
        assert response.status_code == 200 and b"box-sizing" in response.data
        assert response.headers["Cache-Control"] == "no-cache"
    assert client.get("/static/css/nothing-here.css").status_code == 404
    assert client.get("/static/../webapp/config.py").status_code == 404


def test_a_changed_file_gets_a_new_address(tmp_path):
    (tmp_path / "app.js").write_text("one();")
    files = StaticFiles(str(tmp_path))
    first = files.fingerprinted("app.js")
    (tmp_path / "app.js").write_text("two(); // longer")
    second = files.fingerprinted("app.js")
    assert first != second and re.fullmatch(r"app\.[0-9a-f]{10}\.js", second)
    assert files.fingerprinted("missing.js") == "missing.js"


def test_static_files_are_sent_gzipped_when_the_browser_accepts_it(client):
    href = _stylesheet(client.get("/").get_data(as_text=True))
    plain = client.get(href)
    zipped = client.get(href, headers=GZ)
    assert zipped.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.data) == plain.data and len(zipped.data) < len(plain.data) / 2
    assert client.get(href, headers={"If-None-Match": zipped.headers["ETag"], **GZ}).status_code == 304


def test_an_unchanged_lesson_is_answered_with_an_empty_304(client):
    first = client.get("/lessons/first-steps", headers=GZ)
    assert first.status_code == 200 and first.headers["ETag"].startswith('W/"')
    assert first.headers["Cache-Control"] == "no-cache"
    assert {"Accept-Encoding", "Accept-Language", "Cookie"} <= set(first.headers["Vary"].split(", "))
    again = client.get("/lessons/first-steps", headers={"If-None-Match": first.headers["ETag"], **GZ})
    assert again.status_code == 304 and again.data == b""
    # The same ETag whatever the encoding: it is weak, and names the page, not the bytes.
    plain = client.get("/lessons/first-steps", headers={"If-None-Match": first.headers["ETag"]})
    assert plain.status_code == 304


def test_another_page_or_language_has_another_etag(client):
    en = client.get("/lessons/first-steps", headers={"Accept-Language": "en"}).headers["ETag"]
    fr = client.get("/lessons/first-steps", headers={"Accept-Language": "fr"}).headers["ETag"]
    other = client.get("/lessons/second-steps", headers={"Accept-Language": "en"}).headers["ETag"]
    assert len({en, fr, other}) == 3
    response = client.get("/lessons/first-steps", headers={"Accept-Language": "fr", "If-None-Match": en})
    assert response.status_code == 200


def test_pages_are_gzipped_when_accepted_and_plain_otherwise(client):
    zipped = client.get("/lessons/first-steps", headers=GZ)
    plain = client.get("/lessons/first-steps")
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.data) == plain.data
    assert "Content-Encoding" not in plain.headers
    assert client.head("/lessons/first-steps", headers=GZ).status_code == 200


def test_visitors_get_no_session_cookie_and_the_language_switch_is_a_link(client):
    for path in VISITOR_PAGES:
        response = client.get(path, headers=GZ)
        assert "Set-Cookie" not in response.headers, path
    page = client.get("/lessons/first-steps", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert 'href="/language/en?next=/lessons/first-steps"' in page
    assert "csrf_token" not in page


def test_language_link_sets_only_the_cookie_and_returns_to_the_page(client):
    response = client.get("/language/en?next=/lessons/first-steps")
    assert response.status_code == 302 and response.headers["Location"] == "/lessons/first-steps"
    assert response.headers["Set-Cookie"].startswith("lang=en;") and "HttpOnly" in response.headers["Set-Cookie"]
    page = client.get("/lessons/first-steps", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="en">' in page and 'href="/language/fr?next=/lessons/first-steps"' in page


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/\\evil.example"])
def test_language_link_never_redirects_off_site(client, target):
    response = client.get("/language/en", query_string={"next": target})
    assert response.headers["Location"] == "/"


def test_language_link_knows_only_the_course_languages(client):
    response = client.get("/language/de?next=/")
    assert response.status_code == 404 and "Set-Cookie" not in response.headers


def test_language_link_changes_no_account(client, auth, trainee):
    from webapp.models import User
    auth.login()
    client.get("/language/fr?next=/")
    assert db.session.get(User, trainee.id).language == "en"


@pytest.fixture
def csrf_app(csrf_app):
    """conftest's CSRF-checking app, with a reader's account."""
    make_user(email="reader@example.org", language="en")
    return csrf_app


def test_a_signed_in_page_with_a_form_gets_a_304_and_its_kept_form_still_submits(csrf_app):
    client = csrf_app.test_client()
    login = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"email": "reader@example.org", "password": "correct horse battery",
                                "csrf_token": _token(login)})
    first = client.get("/lessons/first-steps")
    assert first.headers["Cache-Control"] == "private, no-cache"
    kept_token = _token(first.get_data(as_text=True))
    again = client.get("/lessons/first-steps", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    # The browser shows its kept copy: the form on it, with the older token, still works.
    done = client.post("/lessons/first-steps/complete", data={"csrf_token": kept_token})
    assert done.status_code == 302
    assert client.get("/lessons/first-steps", headers={"If-None-Match": first.headers["ETag"]}).status_code == 200


def test_a_page_with_a_token_that_echoes_the_query_string_is_compressed_its_token_being_time_signed(csrf_app):
    """BREACH needs a secret that stays the same across many responses. The token's signature covers
    a timestamp, and its stable part cannot be signed without the SECRET_KEY (see delivery._compress)."""
    import gzip as gz

    from itsdangerous import BadSignature, URLSafeTimedSerializer
    client = csrf_app.test_client()
    echoed = client.get("/login?next=/lessons/first-steps", headers=GZ)
    assert echoed.headers["Content-Encoding"] == "gzip"
    token = _token(gz.decompress(echoed.data).decode())
    raw = URLSafeTimedSerializer(csrf_app.secret_key, salt="wtf-csrf-token").loads(token)
    forged = URLSafeTimedSerializer("not the key", salt="wtf-csrf-token").dumps(raw)
    try:
        URLSafeTimedSerializer(csrf_app.secret_key, salt="wtf-csrf-token").loads(forged)
        raise AssertionError("a token signed without the key was accepted")
    except BadSignature:
        pass
    # a refused form, sent back with what was typed, is compressed too
    refused = client.post("/login?next=/x", data={"email": "nobody@example.org", "password": "wrong guess",
                                                  "csrf_token": token}, headers=GZ)
    assert refused.status_code >= 400 and refused.headers["Content-Encoding"] == "gzip"
    assert "nobody@example.org" in gz.decompress(refused.data).decode()


def _renders(app, fetch) -> list[str]:
    from flask import template_rendered
    seen = []

    def record(sender, template, context, **extra):
        seen.append(template.name)
    with template_rendered.connected_to(record, app):
        fetch()
    return seen


def test_a_visitors_lesson_is_rendered_once_then_kept(app, client):
    first = _renders(app, lambda: client.get("/lessons/first-steps", headers={"Accept-Language": "en"}))
    again = _renders(app, lambda: client.get("/lessons/first-steps", headers={"Accept-Language": "en"}))
    other_language = _renders(app, lambda: client.get("/lessons/first-steps", headers={"Accept-Language": "fr"}))
    for rendered in (first, other_language):
        assert rendered[-1] == "courses/lesson.html" and "courses/_lesson_shared.html" in rendered
    assert again == []
    kept = client.get("/lessons/first-steps", headers={"Accept-Language": "en", **GZ})
    assert kept.headers["Content-Encoding"] == "gzip" and kept.headers["ETag"].startswith('W/"')
    assert "First steps" in gzip.decompress(kept.data).decode()


def test_a_signed_in_readers_lesson_renders_only_her_own_parts(app, client, auth, trainee):
    client.get("/lessons/first-steps", headers={"Accept-Language": "en"})  # a visitor: the shared part
    auth.login()
    client.get("/progress", headers={"Accept-Language": "en"})  # a member's menu, rendered once
    again = _renders(app, lambda: client.get("/lessons/first-steps", headers={"Accept-Language": "en"}))
    assert again == ["courses/lesson.html"]  # the text, contents, key points, menu and footer: kept
    page = client.get("/lessons/first-steps", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Mark as read" in page and "Key points" in page and "Tell a smuggler from a trafficker." in page


def test_a_signed_in_reader_and_a_flashed_message_are_never_served_a_kept_page(client, auth, trainee):
    client.get("/lessons/first-steps")
    client.get("/", headers={"Accept-Language": "en"})
    auth.login()
    page = client.get("/lessons/first-steps").get_data(as_text=True)
    assert "Mark as read" in page
    client.post("/logout", headers={"Accept-Language": "en"})
    assert "You are signed out." in client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_templates_translate_in_the_locale_in_force_also_when_it_is_forced(app):
    from flask import render_template_string
    from flask_babel import force_locale
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        template = "{{ _('Sign in') }} / {{ ngettext('%(num)d lesson', '%(num)d lessons', 2) }}"
        assert render_template_string(template) == "Se connecter / 2 leçons"
        with force_locale("en"):
            assert render_template_string(template) == "Sign in / 2 lessons"
        assert render_template_string(template) == "Se connecter / 2 leçons"


def test_the_kept_menu_is_the_one_of_each_role_and_language(app, client, auth, trainee):
    """The member's menu is rendered once per process, but per role (admin or not) and language:
    an admin's links never reach a trainee, whoever signed in first."""
    from tests.factories import make_user
    make_user(email="admin@example.org", role="admin", language="en")
    auth.login("admin@example.org")
    assert ">Accounts</a>" in client.get("/progress").get_data(as_text=True)
    auth.logout()
    auth.login()
    page = client.get("/progress").get_data(as_text=True)
    assert ">My progress</a>" in page and ">Accounts</a>" not in page and ">Reports</a>" not in page
    client.post("/language", data={"lang": "fr", "next": "/progress"})
    page = client.get("/progress").get_data(as_text=True)
    assert ">Ma progression</a>" in page and ">Accounts</a>" not in page


def test_the_course_home_fills_her_statuses_into_the_shared_learning_path(app, client, auth, trainee):
    visitor = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "<!--status:" not in visitor and " · Not started" not in visitor
    auth.login()
    client.get("/lessons/first-steps")
    page = client.get("/").get_data(as_text=True)
    assert "<!--status:" not in page
    assert re.search(r"First steps</a></h3>\s*<p class=\"meta\">\d+ min · In progress</p>", page)
    assert re.search(r"Second steps</a></h3>\s*<p class=\"meta\">\d+ min · Not started</p>", page)
    rendered = _renders(app, lambda: client.get("/"))
    assert rendered == []  # her page is kept for her mix of statuses (fragments.member_page)
    client.get("/lessons/second-steps")
    rendered = _renders(app, lambda: client.get("/"))
    assert rendered == ["main/home.html"]  # a new mix: the page again, but not the shared path
