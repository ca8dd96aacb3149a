"""A central site and a room laptop in one test process: the kit made by hand (until the kit work
lands, when these switch to the real issue and install), and the room's HTTP client wired to the
central app's test client.

``central_kit`` issues a RoomKit for a workshop (central app context); ``kit_snapshot`` reads what
a kit carries; ``room_from_kit`` installs it on a room app (its own SQLite file and key file): the
workshop with the same id and uid, its people with the same uids, the RoomInstall row and the key.
"""
from __future__ import annotations

import io
import urllib.error

from flask.testing import FlaskClient
from sqlalchemy import select

from webapp import create_app
from webapp.auth.passwords import hash_password
from webapp.content import catalog
from webapp.extensions import db
from webapp.models import RoomInstall, RoomKit, User, Workshop, WorkshopFacilitator, WorkshopMember
from webapp.models.base import utcnow
from webapp.rooms import keys, sync_client

from .conftest import Client, _config

PASSWORD = "correct horse battery"
CENTRAL_URL = "http://central.test"
USER_FIELDS = ("uid", "email", "name", "organisation", "country", "profession", "language", "role", "created_at")
WORKSHOP_FIELDS = ("id", "uid", "title", "city", "country", "start_date", "end_date", "language", "lessons",
                   "due_date", "attendance_threshold", "join_code", "joining_open", "created_at")


def central_kit(app, workshop, label="Aminata's laptop") -> tuple[RoomKit, dict]:
    """Issue a kit for ``workshop`` on the central site: (the kit, the room's private JWK)."""
    key = keys.new_room_key()
    kit = RoomKit(workshop_id=workshop.id, issued_by_id=workshop.owner_id, label=label,
                  public_jwk=keys.public_jwk_text(key), content_version=catalog().version)
    db.session.add(kit)
    db.session.commit()
    return kit, keys.private_jwk(key)


def kit_snapshot(workshop, kit: RoomKit, private_jwk: dict) -> dict:
    """What the kit carries (no password, no hash): read in the central app's context."""
    people = {workshop.owner_id}
    people |= set(db.session.scalars(select(WorkshopFacilitator.user_id).where(WorkshopFacilitator.workshop_id == workshop.id)))
    members = db.session.scalars(select(WorkshopMember).where(WorkshopMember.workshop_id == workshop.id)).all()
    people |= {member.user_id for member in members}
    users = {user.id: {name: getattr(user, name) for name in USER_FIELDS}
             for user in db.session.scalars(select(User).where(User.id.in_(people)))}
    return {"kit_uid": kit.uid, "kit_issued_at": kit.issued_at, "content_version": kit.content_version,
            "key": private_jwk, "workshop": {name: getattr(workshop, name) for name in WORKSHOP_FIELDS},
            "owner": users[workshop.owner_id]["uid"], "users": list(users.values()),
            "members": [(member.uid, users[member.user_id]["uid"], member.joined_at) for member in members]}


def make_room_app(tmp_path, name="room"):
    app = create_app(_config(f"sqlite:///{tmp_path / f'{name}.db'}", ROOM_KEY_FILE=str(tmp_path / f"{name}-key.json")))
    app.test_client_class = Client
    with app.app_context():
        db.create_all()
    return app


def room_from_kit(room_app, snapshot: dict, central_url: str = CENTRAL_URL) -> None:
    """Install the kit on the room app: people (with a password, for the tests), workshop, members,
    the RoomInstall row (written last: accounts made after it are the room's own) and the key."""
    with room_app.app_context():
        ids = {}
        for data in snapshot["users"]:
            user = User(password_hash=hash_password(PASSWORD), **data)
            db.session.add(user)
            db.session.flush()
            ids[data["uid"]] = user.id
        workshop = Workshop(owner_id=ids[snapshot["owner"]], **snapshot["workshop"])
        db.session.add(workshop)
        db.session.flush()
        for member_uid, user_uid, joined_at in snapshot["members"]:
            db.session.add(WorkshopMember(uid=member_uid, workshop_id=workshop.id, user_id=ids[user_uid],
                                          joined_at=joined_at))
        db.session.add(RoomInstall(kit_uid=snapshot["kit_uid"], workshop_id=workshop.id, central_url=central_url,
                                   content_version=snapshot["content_version"], kit_issued_at=snapshot["kit_issued_at"],
                                   installed_at=utcnow()))
        db.session.commit()
        keys.save_room_key(snapshot["key"])


def room_user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


class _Answer(io.BytesIO):
    pass


def wire(monkeypatch, central_app, *, fail: Exception | None = None, status: int | None = None, log: list | None = None):
    """The room's HTTP client talks to ``central_app``'s test client (or fails as told)."""
    def urlopen(request, timeout):
        if fail is not None:
            raise fail
        response = FlaskClient(central_app).post("/rooms/sync", data=request.data,
                                                 headers={"Content-Type": request.get_header("Content-type"),
                                                          "Accept-Language": request.get_header("Accept-language")})
        if log is not None:
            log.append((response.status_code, response.get_json()))
        code = status or response.status_code
        if code >= 400:
            raise urllib.error.HTTPError(request.full_url, code, "error", {}, io.BytesIO(response.data))
        return _Answer(response.data)
    monkeypatch.setattr(sync_client.urllib.request, "urlopen", urlopen)


# -- comparing a room's records with the central site's, by uid, column by column --------------

def _table(conn, model):
    return [dict(row._mapping) for row in conn.execute(select(model.__table__))]


def records_by_uid(engine) -> dict[str, dict[str, dict]]:
    """kind -> uid -> the record's columns, other records named by uid (ids differ between servers).
    Works on either engine (typed columns: SQLite's text dates come back as datetimes)."""
    from webapp.models import Attempt, AttemptAnswer, AttendanceMark, LessonProgress, LiveAnswer, LiveQuestion
    with engine.connect() as conn:
        users = {row["id"]: row for row in _table(conn, User)}
        workshops = {row["id"]: row["uid"] for row in _table(conn, Workshop)}
        user_uid = {i: row["uid"] for i, row in users.items()}
        questions = {row["id"]: row for row in _table(conn, LiveQuestion)}
        answers: dict[int, list] = {}
        for row in sorted(_table(conn, AttemptAnswer), key=lambda r: (r["attempt_id"], r["position"])):
            answers.setdefault(row["attempt_id"], []).append(
                (row["position"], row["question_id"], row["answer"], row["credit"], row["graded_key"]))
        out = {
            "account": {row["uid"]: {k: row[k] for k in ("name", "organisation", "country", "profession", "language",
                                                         "created_at")} for row in users.values()},
            "membership": {row["uid"]: {"workshop": workshops[row["workshop_id"]], "user": user_uid[row["user_id"]],
                                        "joined_at": row["joined_at"]} for row in _table(conn, WorkshopMember)},
            "attendance": {row["uid"]: {"workshop": workshops[row["workshop_id"]], "user": user_uid[row["user_id"]],
                                        "day": row["day"], "marked_at": row["marked_at"],
                                        "marked_by": user_uid.get(row["marked_by_id"])}
                           for row in _table(conn, AttendanceMark)},
            "progress": {row["uid"]: {"user": user_uid[row["user_id"]], **{k: row[k] for k in (
                "lesson_slug", "started_at", "completed_at", "read_at", "last_section", "visited_at")}}
                for row in _table(conn, LessonProgress)},
            "attempt": {row["uid"]: {"user": user_uid[row["user_id"]], "answers": answers.get(row["id"], []), **{
                k: row[k] for k in ("quiz", "content_version", "pass_mark", "layout", "started_at", "submitted_at",
                                    "score", "passed", "paper_version", "abandoned_at")}}
                for row in _table(conn, Attempt) if row["submitted_at"] is not None},
            "live_question": {row["uid"]: {"workshop": workshops[row["workshop_id"]], **{k: row[k] for k in (
                "question_id", "own", "layout", "state", "opened_at", "closed_at")}}
                for row in questions.values() if row["state"] != "open"},
            "live_answer": {row["uid"]: {"question": questions[row["live_question_id"]]["uid"],
                                         "user": user_uid[row["user_id"]], "answer": row["answer"],
                                         "credit": row["credit"], "answered_at": row["answered_at"]}
                            for row in _table(conn, LiveAnswer)
                            if questions[row["live_question_id"]]["state"] != "open"},
        }
    return out


def assert_arrived(room_engine, central_engine, *, kinds=None) -> dict:
    """Every record of the room is on the central site, equal column by column, and nothing is there
    twice (per kind, the central records of the room's uids are exactly the room's). Returns the
    central records."""
    room, central = records_by_uid(room_engine), records_by_uid(central_engine)
    for kind in kinds or room:
        missing = set(room[kind]) - set(central[kind])
        assert not missing, f"{kind}: {len(missing)} records lost"
        for uid, values in room[kind].items():
            assert central[kind][uid] == values, f"{kind} {uid}: room {values} != central {central[kind][uid]}"
    return central
