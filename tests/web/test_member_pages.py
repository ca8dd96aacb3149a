"""A signed-in member's lesson page is rendered once per lesson, language, role and reading status,
then served with her own CSRF token (fragments.member_page): what one trainee sees never reaches
another, and every form on it still works."""
from __future__ import annotations

import re

from ..factories import make_user

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')



def signed_in(app, email, language="en", admin=False):
    make_user(email=email, password="correct horse battery", language=language,
              **({"role": "admin"} if admin else {}))
    client = app.test_client()
    token = TOKEN.search(client.get("/login").get_data(as_text=True))[1]
    answer = client.post("/login", data={"email": email, "password": "correct horse battery", "csrf_token": token})
    assert answer.status_code == 302
    return client


def lesson_slug(app):
    return app.extensions["catalog"].lessons[0].slug


def test_each_member_gets_her_own_token_and_every_form_takes_it(csrf_app):
    slug = lesson_slug(csrf_app)
    ana, ben = signed_in(csrf_app, "ana@example.org"), signed_in(csrf_app, "ben@example.org")
    first = ana.get(f"/lessons/{slug}").get_data(as_text=True)
    second = ben.get(f"/lessons/{slug}").get_data(as_text=True)
    tokens_a, tokens_b = set(TOKEN.findall(first)), set(TOKEN.findall(second))
    assert len(tokens_a) == 1 and len(tokens_b) == 1 and tokens_a != tokens_b
    assert "\x00" not in second
    assert csrf_app.extensions["member_pages"], "the page was kept and served from the process's cache"
    # Ben's form works with the token of the page he was served, Ana's token does not work for him.
    assert ben.post(f"/lessons/{slug}/complete", data={"csrf_token": tokens_a.pop()}).status_code == 400
    answer = ben.post(f"/lessons/{slug}/complete", data={"csrf_token": tokens_b.pop()})
    assert answer.status_code == 302
    page = ben.get(f"/lessons/{slug}").get_data(as_text=True)
    assert "You marked this lesson as read" in page
    # Ana has not: the page kept for Ben's status is not hers.
    page = ana.get(f"/lessons/{slug}").get_data(as_text=True)
    assert "You marked this lesson as read" not in page and "Mark as read" in page


def test_a_flashed_message_and_the_language_are_each_members_own(csrf_app):
    slug = lesson_slug(csrf_app)
    ana = signed_in(csrf_app, "ana@example.org")
    chloe = signed_in(csrf_app, "chloe@example.org", language="fr")
    ana.get(f"/lessons/{slug}")
    chloe.get(f"/lessons/{slug}")
    token = TOKEN.search(ana.get(f"/lessons/{slug}").get_data(as_text=True))[1]
    ana.post(f"/lessons/{slug}/complete", data={"csrf_token": token})
    flashed = ana.get(f"/lessons/{slug}").get_data(as_text=True)
    assert 'class="flash' in flashed
    again = ana.get(f"/lessons/{slug}").get_data(as_text=True)
    assert 'class="flash' not in again  # shown once, as on any page
    french = chloe.get(f"/lessons/{slug}").get_data(as_text=True)
    assert '<html lang="fr">' in french and "Marquer comme lu" in french and 'class="flash' not in french


def test_only_an_admin_sees_the_admin_menu(csrf_app):
    slug = lesson_slug(csrf_app)
    admin = signed_in(csrf_app, "admin@example.org", admin=True)
    trainee = signed_in(csrf_app, "dan@example.org")
    assert ">Accounts</a>" in admin.get(f"/lessons/{slug}").get_data(as_text=True)
    assert ">Accounts</a>" not in trainee.get(f"/lessons/{slug}").get_data(as_text=True)


def test_a_query_string_is_never_kept_for_the_next_member(csrf_app):
    slug = lesson_slug(csrf_app)
    ana, ben = signed_in(csrf_app, "ana@example.org"), signed_in(csrf_app, "ben@example.org")
    assert "from=ana-secret" in ana.get(f"/lessons/{slug}?from=ana-secret").get_data(as_text=True)
    assert "ana-secret" not in ben.get(f"/lessons/{slug}").get_data(as_text=True)


def test_the_course_home_shows_each_members_own_progress(csrf_app):
    slug = lesson_slug(csrf_app)
    ana, ben = signed_in(csrf_app, "ana@example.org"), signed_in(csrf_app, "ben@example.org")
    assert "Start the course" in ana.get("/").get_data(as_text=True)
    assert "Start the course" in ben.get("/").get_data(as_text=True)
    ana.get(f"/lessons/{slug}")
    home = ana.get("/").get_data(as_text=True)
    assert "Continue where you left off" in home and "In progress" in home
    home = ben.get("/").get_data(as_text=True)
    assert "Start the course" in home and "Continue where you left off" not in home


def test_a_full_cache_forgets_its_oldest_page_not_the_new_one(csrf_app, monkeypatch):
    from webapp import fragments
    monkeypatch.setattr(fragments, "PAGES_KEPT", 2)
    ana = signed_in(csrf_app, "ana@example.org")
    for page in ("/glossary", "/sources", "/"):
        assert ana.get(page).status_code == 200
    kept = [key[0][0] for key in csrf_app.extensions["member_pages"]]
    assert kept == ["courses.sources", "main.home"]


def test_the_gzipped_page_is_the_page(csrf_app):
    """The kept page is gzipped part by part, her token apart: a browser must read the same text."""
    import gzip
    slug = lesson_slug(csrf_app)
    ana = signed_in(csrf_app, "ana@example.org")
    ana.get(f"/lessons/{slug}")
    for _ in range(2):  # rendered and kept, then served from the process's cache
        answer = ana.get(f"/lessons/{slug}", headers={"Accept-Encoding": "gzip"})
        assert answer.headers["Content-Encoding"] == "gzip"
        page = gzip.decompress(answer.data).decode()
        token = TOKEN.findall(page)
        assert len(set(token)) == 1 and page.rstrip().endswith("</html>")
        plain = ana.get(f"/lessons/{slug}").get_data(as_text=True)
        assert page == plain.replace(TOKEN.search(plain)[1], token[0])
        # Cut in parts, within a token or two of gzip at once (30 bytes more on a real lesson).
        assert len(answer.data) < len(gzip.compress(plain.encode())) + 150


def test_the_quizzes_list_is_kept_per_best_scores_and_shows_each_member_her_own(csrf_app):
    from sqlalchemy import select

    from webapp.extensions import db
    from webapp.models import Attempt, User
    from webapp.models.base import utcnow

    ana, ben = signed_in(csrf_app, "ana@example.org"), signed_in(csrf_app, "ben@example.org")
    first = csrf_app.extensions["catalog"].lessons[0].slug
    assert "Passed" not in ana.get("/quizzes").get_data(as_text=True)
    kept = len(csrf_app.extensions["member_pages"])
    assert "Passed" not in ben.get("/quizzes").get_data(as_text=True)
    assert len(csrf_app.extensions["member_pages"]) == kept  # the same scores (none): one copy for both
    ben_id = db.session.scalar(select(User.id).where(User.email == "ben@example.org"))
    db.session.add(Attempt(user_id=ben_id, quiz=first, content_version="v", pass_mark=0.8, layout=[],
                           submitted_at=utcnow(), score=0.875, passed=True))
    db.session.commit()
    page = ben.get("/quizzes").get_data(as_text=True)
    assert "88 % · Passed" in page  # his own best score, not the copy kept for no scores
    assert "Passed" not in ana.get("/quizzes").get_data(as_text=True)  # and his never reaches her
    assert len(set(TOKEN.findall(page))) == 1


def test_the_decision_aids_first_question_is_kept_and_a_later_one_rendered_afresh(csrf_app):
    ana, ben = signed_in(csrf_app, "ana@example.org"), signed_in(csrf_app, "ben@example.org")
    first_a, first_b = ana.get("/decide").get_data(as_text=True), ben.get("/decide").get_data(as_text=True)
    kept = dict(csrf_app.extensions["member_pages"])
    assert any(key[0][0] == "decide.index" for key in kept)
    assert TOKEN.sub("", first_a) == TOKEN.sub("", first_b) and TOKEN.findall(first_a) != TOKEN.findall(first_b)
    later = ana.get("/decide?child=no")  # her answers so far are in the address: never kept
    assert later.status_code == 200 and 'name="child" value="no"' in later.get_data(as_text=True)
    assert dict(csrf_app.extensions["member_pages"]) == kept


def test_my_progress_is_kept_per_statuses_and_dates_and_shows_each_member_her_own(csrf_app):
    from datetime import datetime

    from sqlalchemy import select

    from webapp.extensions import db
    from webapp.models import LessonProgress, User

    ana, ben = signed_in(csrf_app, "ana@example.org"), signed_in(csrf_app, "ben@example.org")
    cara = signed_in(csrf_app, "cara@example.org")
    first = csrf_app.extensions["catalog"].lessons[0].slug
    assert "0 of" in ana.get("/progress").get_data(as_text=True)
    kept = len(csrf_app.extensions["member_pages"])
    assert any(key[0][0] == "progress.index" for key in csrf_app.extensions["member_pages"])
    assert "0 of" in ben.get("/progress").get_data(as_text=True)
    assert len(csrf_app.extensions["member_pages"]) == kept  # nothing read by either: one copy for both
    # Ben and Cara completed the first lesson at the same moment, 23:30 UTC, Cara from Lagos, where it was 00:30 the next day.
    done = datetime(2026, 12, 1, 23, 30)
    for email, zone in (("ben@example.org", ""), ("cara@example.org", "Africa/Lagos")):
        user = db.session.scalar(select(User).where(User.email == email))
        user.time_zone = zone
        db.session.add(LessonProgress(user_id=user.id, lesson_slug=first, visited_at=done, read_at=done,
                                      completed_at=done))
    db.session.commit()
    page = ben.get("/progress").get_data(as_text=True)
    assert "1 of" in page and "1 Dec 2026" in page and "Continue where you left off" in page
    assert len(set(TOKEN.findall(page))) == 1
    assert "2 Dec 2026" in cara.get("/progress").get_data(as_text=True)  # her own calendar, not Ben's copy
    page = ana.get("/progress").get_data(as_text=True)
    assert "0 of" in page and "Dec 2026" not in page and "Continue where you left off" not in page
