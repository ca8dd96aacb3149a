"""What the access tests need: a "world" of objects every route can be pointed at, one signed-in
client per role, URLs filled from the world, and a snapshot of the whole database.

A world holds, for each role of tests/web/access_table.py, one user; the trainee's open and submitted
quiz attempts; a password-reset link for the trainee and a registration waiting for confirmation; and, once those models exist, a workshop run by the facilitator with the trainee as a
member (another one run by the other facilitator, with the other trainee), a live question, a pre-test
and the trainee's certificate. When your feature needs another object, build it in `build_world`
(guarded by `if hasattr(models, "YourModel")` while it is not merged) and name it in PARAMS.
"""
from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import Flask
from sqlalchemy import select
from werkzeug.routing import Rule
from werkzeug.security import generate_password_hash

from webapp import models
from webapp.auth import sessions, tokens
from webapp.content import catalog
from webapp.extensions import db, login_manager
from webapp.models import Attempt, User
from webapp.models.attempt import FINAL
from webapp.quizzes import services as quizzes

from .access_table import ANON, PARAMS, PARAMS_FOR, ROLES

PASSWORD = "correct horse battery"
_HASH = generate_password_hash(PASSWORD)  # one scrypt for the whole run: worlds are cheap
_seq = itertools.count(1)
ROLE_OF = {"trainee": "trainee", "other_trainee": "trainee", "facilitator": "facilitator",
           "other_facilitator": "facilitator", "admin": "admin"}


@dataclass
class World:
    users: dict
    attempt: Attempt
    submitted: Attempt
    objects: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.objects[name]
        except KeyError:
            raise AttributeError(name) from None


def build_world() -> World:
    """Fresh users and objects (unique emails and codes), committed."""
    n = next(_seq)
    users = {role: User(email=f"{role}-{n}@example.org", name=f"{role.replace('_', ' ').title()} {n}",
                        password_hash=_HASH, organisation="Police", country="SN", profession="police",
                        language="en", role=ROLE_OF[role]) for role in ROLES if role != ANON}
    db.session.add_all(users.values())
    db.session.commit()
    cat = catalog()
    first_quiz = next(iter(cat.banks))
    attempt = quizzes.start(cat, users["trainee"].id, first_quiz, random.Random(n))
    submitted = Attempt(user_id=users["trainee"].id, quiz=FINAL, content_version=cat.version, pass_mark=0.8,
                        layout=[], started_at=datetime(2026, 3, 1, 9), submitted_at=datetime(2026, 3, 1, 9, 20),
                        score=0.9, passed=True)
    db.session.add(submitted)
    db.session.commit()
    world = World(users=users, attempt=attempt, submitted=submitted)
    world.objects["reset_token"] = tokens.issue_reset(users["trainee"], 1)
    world.objects["confirm_token"] = tokens.issue_registration(
        f"newcomer-{n}@example.org", {"name": "Newcomer", "password_hash": _HASH, "organisation": "", "country": "SN",
                                      "profession": "police", "language": "en"}, 1)
    if hasattr(models, "Workshop"):
        _workshops(world, n, cat)
        invitation = models.CofacilitatorInvitation(workshop_id=world.workshop.id, email=f"invited-{n}@example.org")
        db.session.add(invitation)
        db.session.commit()
        world.objects["invitation"] = invitation  # for an address no role has: nobody's to answer
    if hasattr(models, "Certificate"):
        _certificate(world)
    return world


def _workshops(world: World, n: int, cat) -> None:
    from webapp.models import Workshop, WorkshopMember
    start = date.today()
    lessons = [lesson.slug for lesson in cat.lessons]

    def workshop(owner, member, tag):
        w = Workshop(title=f"Workshop {tag} {n}", city="Dakar", country="SN", start_date=start,
                     end_date=start + timedelta(days=1), language="en", lessons=lessons,
                     join_code=f"{tag}{n:06d}"[:12], owner_id=owner.id)
        db.session.add(w)
        db.session.flush()
        db.session.add(WorkshopMember(workshop_id=w.id, user_id=member.id))
        return w

    world.objects["workshop"] = workshop(world.users["facilitator"], world.users["trainee"], "W")
    world.objects["other_workshop"] = workshop(world.users["other_facilitator"], world.users["other_trainee"], "X")
    db.session.commit()
    from webapp.workshops import live, prepost
    world.objects["live"] = live.open_question(world.workshop, cat.banks[lessons[0]].questions[0], random.Random(n))
    prepost.compose(cat, world.workshop, "pre", per_lesson=1)
    db.session.commit()
    if hasattr(models, "SavedQuestion"):  # a question the facilitator saved: hers alone
        saved = models.SavedQuestion(owner_id=world.users["facilitator"].id, question={
            "type": "poll", "prompt": {"en": "Met a case?", "fr": "Déjà vu un cas ?"},
            "options": [{"id": "yes", "text": {"en": "Yes", "fr": "Oui"}}, {"id": "no", "text": {"en": "No", "fr": "Non"}}]})
        db.session.add(saved)
        db.session.commit()
        world.objects["saved"] = saved
    if hasattr(models, "RoomKit"):  # a room kit issued for the facilitator's workshop
        kit = models.RoomKit(workshop_id=world.workshop.id, issued_by_id=world.users["facilitator"].id,
                             label="Laptop", public_jwk="{}", content_version=cat.version)
        db.session.add(kit)
        db.session.commit()
        world.objects["kit"] = kit


def _certificate(world: World) -> None:
    from webapp.certificates import numbers
    from webapp.models import Certificate
    trainee = world.users["trainee"]
    cert = Certificate(number=numbers.new_number(), user_id=trainee.id, scope="course", holder_name=trainee.name,
                       completed_at=datetime(2026, 3, 1, 10), completed_on=date(2026, 3, 1))
    db.session.add(cert)
    db.session.commit()
    world.objects["certificate"] = cert


def client_as(app: Flask, world: World, role: str):
    """A browser of its own, signed in as ``role`` (without a password round: no scrypt, no throttle)."""
    client = app.test_client()
    if role != ANON:
        user = world.users[role]
        with app.test_request_context():
            ident = login_manager._session_identifier_generator()
        with client.session_transaction() as session:
            session.update({"_user_id": user.get_id(), "_fresh": True, "_id": ident, **sessions.open_for(user)})
    return client


def url_for_rule(rule: Rule, world: World) -> str:
    """The rule's URL with every parameter taken from the world (see PARAMS and PARAMS_FOR)."""
    values = {}
    for name in rule.arguments:
        fill = PARAMS_FOR.get(rule.endpoint, {}).get(name) or PARAMS.get(name)
        if fill is None:
            raise LookupError(
                f"{rule.endpoint} ({rule.rule}) takes <{name}>: say how to fill it in PARAMS (or "
                f"PARAMS_FOR['{rule.endpoint}']) in tests/web/access_table.py")
        values[name] = fill(world)
    return rule.build(values, append_unknown=False)[1]


def routes(app: Flask):
    """[(method, rule)] for every route and method the app answers (not HEAD/OPTIONS, not static)."""
    found = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint):
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((method, rule))
    return found


def snapshot() -> dict:
    """Every row of every table, as plain values: two snapshots are equal when nothing was written."""
    db.session.rollback()
    state = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            rows = conn.execute(select(table)).all()
            state[table.name] = sorted(tuple(map(repr, row)) for row in rows)
    return state


def changed_tables(before: dict, after: dict) -> set:
    return {name for name in before if before[name] != after.get(name)}

