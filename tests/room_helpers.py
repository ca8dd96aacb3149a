"""A central site and a room laptop in one test process, with the real kit: ``central_kit`` issues
it on the central site (``rooms.kits.issue_file``, as the kit page's download does), ``kit_snapshot``
gives what the file holds, ``room_from_kit`` installs it on a room app (``rooms.install.install``, as
`flask room install` does: its own SQLite file, key file and content folder). The room's HTTP client is
wired to the central app's test client.
"""
from __future__ import annotations

import io
import urllib.error
from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy import select

from webapp import create_app
from webapp.auth.passwords import hash_password
from webapp.extensions import db
from webapp.models import RoomKit, User, Workshop, WorkshopMember
from webapp.rooms import codes, install, kits, sync_client

from .conftest import Client, _config

PASSWORD = "correct horse battery"
CENTRAL_URL = "http://central.test"


def central_kit(app, workshop, label="Aminata's laptop") -> tuple[RoomKit, dict]:
    """Issue a kit for ``workshop`` on the central site, by its owner: (the kit, the kit file's content)."""
    with app.test_request_context():
        return kits.issue_file(workshop, workshop.owner, label)


def kit_snapshot(workshop, kit: RoomKit, content: dict) -> dict:
    """What the kit file holds (no password, no hash): the JSON the facilitator downloads."""
    return content


def make_room_app(tmp_path, name="room"):
    app = create_app(_config(f"sqlite:///{tmp_path / f'{name}.db'}", ROOM_KEY_FILE=str(tmp_path / f"{name}-key.json")))
    app.test_client_class = Client
    with app.app_context():
        db.create_all()
    return app


def room_from_kit(room_app, snapshot: dict, central_url: str = CENTRAL_URL, *, use_codes: bool = True) -> None:
    """Install the kit on the room app as `flask room install` does. With ``use_codes``, every member
    then signs in once with her room code and chooses PASSWORD (so that tests sign in as usual)."""
    kit = dict(snapshot, central_url=central_url)
    with room_app.app_context():
        content_dir = Path(room_app.config["ROOM_KEY_FILE"]).with_suffix(".content")
        install.install(kit, content_dir)
        if use_codes:
            for member in kit["members"]:
                user = codes.redeem(kit["codes"][member["uid"]])
                assert isinstance(user, User), member["name"]
                user.password_hash = hash_password(PASSWORD)
            db.session.commit()


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
