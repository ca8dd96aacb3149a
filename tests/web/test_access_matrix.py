"""Who may do what: every route of the app x every role answers as tests/web/access_table.py says.

The routes come from app.url_map, so a new route without a line in the table fails here, with a
message saying where to add it."""
from .access_table import EXPECTED, LOGIN, ROLES
from .access_world import build_world, client_as, routes, url_for_rule

HOW = ("Add a line per route and method to EXPECTED in tests/web/access_table.py (its docstring says "
       "how), e.g.\n    \"GET workshops.roster\": (LOGIN, 404, 404, 200, 404, 200),")


def outcome(response):
    if response.status_code in (301, 302, 303, 307, 308):
        location = response.headers.get("Location", "")
        return LOGIN if location.startswith("/login") else response.status_code
    return response.status_code


def test_every_route_has_an_expected_answer_for_every_role(sqlite_app):
    missing = sorted({f"{method} {rule.endpoint}" for method, rule in routes(sqlite_app)} - set(EXPECTED))
    assert not missing, f"No expected access written down for: {', '.join(missing)}.\n{HOW}"
    malformed = [key for key, row in EXPECTED.items() if len(row) != len(ROLES)]
    assert not malformed, f"These lines need {len(ROLES)} answers, one per role in ROLES: {malformed}"


def test_every_route_answers_every_role_as_written_down(app):
    """GETs share one world (they change nothing: see test_csrf_and_safe_methods); each POST, as each
    role, gets a world of its own so that what one role did never decides another's answer."""
    shared = build_world()
    wrong = []
    for method, rule in routes(app):
        key = f"{method} {rule.endpoint}"
        if key not in EXPECTED:
            continue  # the test above names it
        for role, expected in zip(ROLES, EXPECTED[key]):
            world = shared if method == "GET" else build_world()
            url = url_for_rule(rule, world)
            got = outcome(client_as(app, world, role).open(url, method=method))
            if got != expected:
                wrong.append(f"{key} ({url}) as {role}: expected {expected}, got {got}")
    assert not wrong, ("Access differs from tests/web/access_table.py (fix the route, or the table if the "
                       "new answer is the right one):\n" + "\n".join(wrong))


def test_post_only_addresses_refuse_a_get_with_a_friendly_405(sqlite_app):
    world = build_world()
    get_rules = {rule.rule for method, rule in routes(sqlite_app) if method == "GET"}
    for method, rule in routes(sqlite_app):
        if method != "POST" or rule.rule in get_rules or "GET" in rule.methods:
            continue
        response = client_as(sqlite_app, world, "trainee").get(url_for_rule(rule, world),
                                                              headers={"Accept-Language": "en"})
        assert response.status_code == 405, rule.endpoint
        assert "This action is not allowed here" in response.get_data(as_text=True), rule.endpoint
