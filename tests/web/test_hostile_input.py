"""Hostile and broken input (hypothesis): random, huge, empty, unicode, HTML and script payloads, SQL
fragments and forged ids in every form and query parameter. Never a 5xx, never reflected markup,
nothing saved on a refused form. The last tests crawl every page's forms, so new forms are covered
as they land."""
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from webapp.content import catalog
from webapp.extensions import db
from webapp.models import Attempt, AttemptAnswer
from webapp.quizzes import services as quizzes

from .access_world import build_world, changed_tables, client_as, routes, snapshot, url_for_rule
from .hostile import FAST, QUICK, assert_safe, assert_safe_redirect, forged_id, forms_of, hostile_text, short_hostile

pytestmark = pytest.mark.engine_sensitive  # the engines refuse different input (NUL bytes, huge ids)

EN = {"Accept-Language": "en"}
maybe = lambda good: st.one_of(st.just(good), hostile_text)  # noqa: E731 - a valid value or a hostile one


def _refused_changes_nothing(response, before, allowed=frozenset()):
    if response.status_code >= 400:
        assert changed_tables(before, snapshot()) <= set(allowed), f"a refused form ({response.status_code}) saved"


@FAST
@given(name=maybe("Aïssatou N'Diaye"), email=maybe("new@example.org"), password=maybe("une phrase assez longue"),
       confirm=maybe("une phrase assez longue"), organisation=maybe("Police"), country=maybe("SN"),
       profession=maybe("police"), language=maybe("fr"))
def test_registration_survives_anything(app, name, email, password, confirm, organisation, country, profession,
                                        language):
    before = snapshot()
    response = app.test_client().post("/register", headers=EN, data=dict(
        name=name, email=email, password=password, confirm=confirm, organisation=organisation, country=country,
        profession=profession, language=language))
    assert_safe(response, "register")
    assert response.status_code in (302, 400)
    # Refused because the address has an account: counted against the address's limit, as a failed
    # sign-in is (that answer tells the address is registered); any other refusal writes nothing.
    taken = "An account already uses this email address" in response.get_data(as_text=True)
    _refused_changes_nothing(response, before, {"login_attempt"} if taken else frozenset())


@FAST
@given(email=maybe("trainee@example.org"), password=hostile_text, next_=hostile_text)
def test_sign_in_survives_anything(app, email, password, next_):
    before = snapshot()
    response = app.test_client().post("/login", query_string={"next": next_}, data={"email": email, "password": password},
                                      headers=EN)
    assert_safe(response, "login")
    assert response.status_code in (400, 401, 429)
    _refused_changes_nothing(response, before, {"login_attempt"})


def _signed_in(app, role="trainee"):
    world = build_world()
    return world, client_as(app, world, role)


@FAST
@given(name=maybe("Đorđe"), organisation=maybe("IOM"), country=maybe("PT"), profession=maybe("ngo"),
       language=maybe("en"))
def test_account_details_survive_anything(app, name, organisation, country, profession, language):
    world, client = _signed_in(app)
    before = snapshot()
    response = client.post("/account", headers=EN, data=dict(name=name, organisation=organisation, country=country,
                                                              profession=profession, language=language))
    assert_safe(response, "account")
    assert response.status_code in (302, 400)
    _refused_changes_nothing(response, before)


@FAST
@given(current=hostile_text, password=hostile_text, confirm=hostile_text)
def test_password_change_survives_anything(app, current, password, confirm):
    world, client = _signed_in(app)
    before = snapshot()
    response = client.post("/account/password", headers=EN,
                           data={"current": current, "password": password, "confirm": confirm})
    assert_safe(response, "password")
    assert response.status_code == 400  # the current password is never guessed
    # A wrong current password counts against the sign-in throttle (a stolen session cannot guess it).
    _refused_changes_nothing(response, before, allowed={"login_attempt"})


# One slot per answer field, whatever the draw: an int picks a real token, text is forged, None leaves it out.
slot = st.one_of(st.integers(0, 9), short_hostile, st.none(),
                st.lists(st.one_of(st.integers(0, 9), short_hostile), max_size=3))


def quiz_form(layout, slots, extra):
    """A submission built from drawn slots: real tokens, forged ones, nothing, or several; plus junk fields."""
    form, slots = {}, iter(slots)
    for item in layout:
        tokens = list(item["tokens"])
        names = [f"q-{item['id']}"] + [f"q-{item['id']}-{n}" for n in range(len(item.get("rows") or item["shown"]))]
        for name in names:
            value = next(slots, None)
            pick = (lambda v: tokens[v % len(tokens)] if isinstance(v, int) and tokens else str(v))  # noqa: E731, B023 - called in this iteration
            if isinstance(value, list):
                form[name] = [pick(v) for v in value]
            elif value is not None:
                form[name] = pick(value)
    form.update(extra)
    return form


@FAST
@given(slots=st.lists(slot, min_size=16, max_size=16),
       extra=st.dictionaries(short_hostile.filter(lambda k: k and not k.startswith("q-")), short_hostile, max_size=2))
def test_quiz_submissions_with_random_tokens_are_graded_or_refused_never_broken(app, slots, extra):
    world, client = _signed_in(app)
    attempt = quizzes.start(catalog(), world.users["trainee"].id, next(iter(catalog().banks)))
    form = quiz_form(attempt.layout, slots, extra)
    before = snapshot()
    response = client.post(f"/attempts/{attempt.id}", data=form, headers=EN)
    assert_safe(response, "attempt")
    assert response.status_code in (302, 400)
    db.session.expire_all()
    stored = db.session.get(Attempt, attempt.id)
    answers = db.session.scalar(select(func.count()).select_from(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt.id))
    if response.status_code == 400:
        assert stored.submitted_at is None and answers == 0
        _refused_changes_nothing(response, before)
    else:
        assert stored.submitted_at is not None and answers == len(attempt.layout) and 0 <= stored.score <= 1


@FAST
@given(lesson=maybe("first-steps"), section=maybe("elements"))
def test_reading_place_survives_anything(app, lesson, section):
    world, client = _signed_in(app)
    before = snapshot()
    response = client.post("/progress/place", data={"lesson": lesson, "section": section})
    assert_safe(response, "place")
    assert response.status_code in (204, 400)
    _refused_changes_nothing(response, before)


@FAST
@given(lang=maybe("en"), next_=hostile_text)
def test_language_switch_survives_anything_and_stays_on_the_site(app, lang, next_):
    world, client = _signed_in(app)
    before = snapshot()
    response = client.post("/language", data={"lang": lang, "next": next_})
    assert_safe(response, "language")
    assert_safe_redirect(response)
    if lang not in ("fr", "en"):
        assert changed_tables(before, snapshot()) == set() and "lang=" not in response.headers.get("Set-Cookie", "")


@FAST
@given(email=hostile_text)
def test_reset_requests_survive_anything(app, email):
    world, client = _signed_in(app, "admin")
    before = snapshot()
    assert_safe(app.test_client().post("/password/forgot", data={"email": email}, headers=EN), "forgot")
    response = client.post("/reset-links", data={"email": email}, headers=EN)
    assert_safe(response, "reset-links")
    _refused_changes_nothing(response, before)
    reset = app.test_client().post(f"/password/reset/{world.reset_token}", headers=EN,
                                   data={"password": email, "confirm": email})
    assert_safe(reset, "reset")
    _refused_changes_nothing(reset, before)


@FAST
@given(attempt_id=forged_id)
def test_forged_ids_are_not_found(app, attempt_id):
    world, client = _signed_in(app, "other_trainee")
    for url, method in ((f"/attempts/{attempt_id}", "GET"), (f"/attempts/{attempt_id}/result", "GET"),
                        (f"/attempts/{attempt_id}", "POST")):
        response = client.open(url, method=method, data={"x": "1"})
        assert_safe(response, url)
        assert response.status_code == 404, url


@QUICK
@given(value=forged_id)
def test_every_route_with_an_id_answers_forged_ids_without_breaking(app, value):
    world, client = _signed_in(app, "admin")
    for method, rule in routes(app):
        ints = [name for name in rule.arguments if type(rule._converters[name]).__name__ in ("IntegerConverter",
                                                                                            "BoundedInt")]
        if not ints:
            continue
        url = rule.build({name: value if name in ints else _param(rule, name, world) for name in rule.arguments},
                         append_unknown=False)[1]
        assert_safe(client.open(url, method=method), f"{method} {url}")


def _param(rule, name, world):
    from .access_table import PARAMS, PARAMS_FOR
    return (PARAMS_FOR.get(rule.endpoint, {}).get(name) or PARAMS[name])(world)


def _every_form(app, world):
    """(role, method, action, fields) of every form on every page a trainee, a facilitator and an admin
    can open."""
    found = {}
    for role in ("trainee", "facilitator", "admin"):
        client = client_as(app, world, role)
        for method, rule in routes(app):
            if method != "GET":
                continue
            url = url_for_rule(rule, world)
            response = client.get(url)
            if response.mimetype != "text/html":
                continue
            for form_method, action, fields in forms_of(response.get_data(as_text=True)):
                found.setdefault((role, form_method, action or url), fields)
    return found


def test_every_form_on_every_page_survives_hostile_values(app):
    """Every form the trainee's and the admin's pages show (found once), sent with hostile values.
    Drawn values are dealt to the fields in turn (an int picks an offered option), so that the draw
    does not depend on which forms there are."""
    world = build_world()
    forms = _every_form(app, world)
    assert len(forms) >= 8, sorted(forms)  # sign-out, language, quiz start, lesson complete, account, ...

    @QUICK
    @given(values=st.lists(st.one_of(st.integers(0, 9), short_hostile), min_size=40, max_size=40))
    def send_every_form(values):
        deal = itertools.cycle(values)
        for (role, method, action), fields in sorted(forms.items()):
            form = {}
            for name, offered in fields.items():
                if name == "csrf_token":
                    continue
                value = next(deal)
                form[name] = ((offered[value % len(offered)] if offered else str(value)) if isinstance(value, int)
                              else value)
            client = client_as(app, world, role)
            if method == "GET":
                response = client.get(action, query_string=form, headers=EN)
            else:
                response = client.post(action, data=form, headers=EN)
            assert_safe(response, f"{role} {method} {action} {form!r}")
            assert_safe_redirect(response)

    send_every_form()


# Numbers that str.isdigit() accepts and int() refuses or misreads, and numbers too big for a column.
TRICKY_NUMBERS = ("²", "٣", "１２", "-1", "+1", " 1", "1.5", "9" * 30)


def test_every_field_of_every_form_survives_tricky_numbers(app):
    """Each field in turn gets each tricky number while the others keep an offered value: a route
    that reads a number before its form validates is reached too (attendance, test composition...)."""
    world = build_world()
    forms = _every_form(app, world)
    assert any(role == "facilitator" for role, _, _ in forms)
    sent = 0
    for (role, method, action), fields in sorted(forms.items()):
        base = {name: (offered[0] if offered else "1") for name, offered in fields.items() if name != "csrf_token"}
        client = client_as(app, world, role)
        for name in base:
            for value in TRICKY_NUMBERS:
                form = dict(base, **{name: value})
                if method == "GET":
                    response = client.get(action, query_string=form, headers=EN)
                else:
                    response = client.post(action, data=form, headers=EN)
                assert_safe(response, f"{role} {method} {action} {form!r}")
                sent += 1
    assert sent > 100


def test_every_page_survives_hostile_query_strings(app):
    world = build_world()
    pages = [(role, url_for_rule(rule, world)) for role in ("anonymous", "trainee", "facilitator", "admin")
             for method, rule in routes(app) if method == "GET"]

    @settings(QUICK, max_examples=4)
    @given(params=st.dictionaries(st.sampled_from(["next", "q", "page", "sort", "dir", "email", "number", "code",
                                                    "lang", "from", "to", "start", "end", "format", "since",
                                                    "workshop", "key", "v", "step", "role", "child", "act",
                                                    "means", "purpose", "crossing", "benefit", "consent"]),
                                  hostile_text, min_size=1, max_size=4))
    def ask_every_page(params):
        for role, url in pages:
            assert_safe(client_as(app, world, role).get(url, query_string=params, headers=EN),
                        f"GET {url} as {role} with {params!r}")

    ask_every_page()
