"""State changes only through POST with a CSRF token: every POST route refuses a form without one,
and no GET route writes to the database (except reading progress, see GET_WRITES)."""
import re

from .access_table import ANON, CSRF_EXEMPT, GET_WRITES, ROLES
from .access_world import build_world, changed_tables, client_as, routes, snapshot, url_for_rule


def test_every_post_route_refuses_a_form_without_csrf_token_and_changes_nothing(csrf_app):
    world = build_world()
    clients = {role: client_as(csrf_app, world, role) for role in ROLES}  # signing in writes its session row
    before = snapshot()
    accepted = []
    for method, rule in routes(csrf_app):
        if method != "POST" or rule.endpoint in CSRF_EXEMPT:
            continue
        url = url_for_rule(rule, world)
        for role, client in clients.items():
            response = client.post(url, data={"lang": "en", "next": "/"}, headers={"Accept-Language": "en"})
            if response.status_code != 400 or "This form has expired" not in response.get_data(as_text=True):
                accepted.append(f"POST {rule.endpoint} as {role}: {response.status_code}")
    assert not accepted, "Accepted without a CSRF token:\n" + "\n".join(accepted)
    assert changed_tables(before, snapshot()) == set()


def test_a_forged_or_foreign_token_is_refused_too(csrf_app):
    client = csrf_app.test_client()
    assert client.post("/language", data={"lang": "en", "csrf_token": "forged"}).status_code == 400


def test_the_same_form_with_its_token_is_accepted(csrf_app):
    """The control for the test above: the refusal is the token's doing, not the form's."""
    client = csrf_app.test_client()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/login").get_data(as_text=True))[1]
    assert client.post("/language", data={"lang": "en", "next": "/", "csrf_token": token}).status_code == 302


def test_no_get_route_writes_to_the_database(app):
    world = build_world()
    clients = [client_as(app, world, role) for role in ROLES]  # signing in writes its session row
    wrote = []
    for method, rule in routes(app):
        if method != "GET":
            continue
        url = url_for_rule(rule, world)
        before = snapshot()
        for client in clients:
            client.get(url)
        changed = changed_tables(before, snapshot()) - GET_WRITES.get(rule.endpoint, set())
        if changed:
            wrote.append(f"GET {rule.endpoint} ({url}) wrote to {sorted(changed)}")
    assert not wrote, ("A GET changed the database: make it a POST with CSRF, or, if it only tracks the "
                       "reader, list it in GET_WRITES (tests/web/access_table.py) with the reason:\n"
                       + "\n".join(wrote))


def test_opening_a_lesson_records_only_the_readers_own_visit(app):
    world = build_world()
    trainee, visitor = client_as(app, world, "trainee"), client_as(app, world, ANON)
    before = snapshot()
    trainee.get("/lessons/first-steps")
    visitor.get("/lessons/first-steps")
    after = snapshot()
    assert changed_tables(before, after) == {"lesson_progress"}
    new_rows = set(after["lesson_progress"]) - set(before["lesson_progress"])
    assert len(new_rows) == 1 and repr(world.users["trainee"].id) in next(iter(new_rows))
