"""Room kits (workshops without internet): a facilitator issues a kit on the central site (a file, or a
one-time link for `flask room fetch`), installs it on her laptop's fresh database, and the people of
the kit sign in there with their single-use room codes."""
from __future__ import annotations

import json
import os
import re
import stat
import threading
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from webapp import create_app
from webapp.content import load_catalog
from webapp.extensions import db
from webapp.models import RoomCode, RoomInstall, RoomKit, User, Workshop, WorkshopFacilitator, WorkshopMember
from webapp.rooms import codes, install, keys, kits
from webapp.workshops import prepost

from ..conftest import DATA, Client, _config
from ..factories import join_workshop, make_user, make_workshop
from .access_world import changed_tables, snapshot

PASSWORD = "correct horse battery"


@pytest.fixture
def central(app, tmp_path):
    """A workshop on the central site: its owner, a co-facilitator and two trainees."""
    app.config["ROOM_KEY_FILE"] = str(tmp_path / "central-key.json")
    owner = make_user(email="aminata@example.org", name="Aminata Diallo", role="facilitator", language="en")
    co = make_user(email="co@example.org", name="Co Facilitator", role="facilitator", language="en")
    trainees = [make_user(email=f"t{n}@example.org", name=f"Trainee {n}", language="en") for n in (1, 2)]
    workshop = make_workshop(owner, cofacilitators=[co])
    join_workshop(workshop, *trainees)
    from webapp.content import catalog
    prepost.compose(catalog(), workshop, "pre", per_lesson=1)
    db.session.commit()
    return {"owner": owner, "co": co, "trainees": trainees, "workshop": workshop}


def signed_in(app, email, password=PASSWORD):
    client = app.test_client()
    client.post("/login", data={"email": email, "password": password})
    return client


def issue_file(app, workshop, label="Aminata's laptop"):
    client = signed_in(app, "aminata@example.org")
    response = client.post(f"/workshops/{workshop.id}/room/kit", data={"label": label})
    assert response.status_code == 200
    return response


@contextmanager
def room_server(tmp_path, name="room"):
    """A second Passerelle, the room laptop's: a fresh database and a key file of its own."""
    folder = tmp_path / name
    folder.mkdir()
    room = create_app(_config(f"sqlite:///{folder / 'room.db'}", ROOM_KEY_FILE=str(folder / "room-key.json")))
    room.test_client_class = Client
    with room.app_context():
        db.create_all()
        yield room, folder
        db.session.remove()
        db.engine.dispose()


def install_file(room, folder, kit_path):
    return room.test_cli_runner().invoke(args=["room", "install", str(kit_path), "--content-dir",
                                               str(folder / "room-content")])


# ---- central: issuing kits

def test_the_workshop_page_leads_to_its_room_kits_which_explain_what_a_kit_is(app, central):
    client = signed_in(app, "aminata@example.org")
    workshop_page = client.get(f"/workshops/{central['workshop'].id}").get_data(as_text=True)
    assert f'href="/workshops/{central["workshop"].id}/room"' in workshop_page
    page = client.get(f"/workshops/{central['workshop'].id}/room").get_data(as_text=True)
    assert "A room kit lets your laptop serve this workshop" in page
    assert "No kit has been issued for this workshop yet." in page


@pytest.mark.engine_sensitive  # JSON columns and dates read back for the kit
def test_a_kit_file_holds_the_workshop_its_people_content_and_key_but_no_password(app, central):
    workshop = central["workshop"]
    response = issue_file(app, workshop)
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="passerelle-room-kit-{workshop.join_code}-{workshop.created_at:%Y-%m-%d}.json"')
    assert response.headers["Cache-Control"] == "no-store"
    central["owner"].language = "fr"  # on the French site, the file is named in French
    db.session.commit()
    assert issue_file(app, workshop).headers["Content-Disposition"] == (
        f'attachment; filename="passerelle-kit-de-salle-{workshop.join_code}-{workshop.created_at:%Y-%m-%d}.json"')
    text = response.get_data(as_text=True)
    kit = json.loads(text)
    row = db.session.scalar(select(RoomKit))
    assert kit["format"] == 1 and kit["kit"] == row.uid and row.label == "Aminata's laptop"
    assert kit["workshop"]["id"] == workshop.id and kit["workshop"]["uid"] == workshop.uid
    assert kit["workshop"]["join_code"] == workshop.join_code
    assert kit["workshop"]["tests"][0]["kind"] == "pre" and kit["workshop"]["tests"][0]["question_ids"]
    roles = {m["email"]: m["role"] for m in kit["members"]}
    assert roles == {"aminata@example.org": "owner", "co@example.org": "facilitator", "t1@example.org": "trainee",
                     "t2@example.org": "trainee"}
    assert set(kit["codes"]) == {m["uid"] for m in kit["members"]}
    assert all(re.fullmatch(r"[A-HJKMNP-Z]{10}", code) for code in kit["codes"].values())
    assert kit["content_version"] == row.content_version == load_catalog(DATA).version
    assert "lessons/01-first-steps/en.md" in kit["content"] and "quizzes/final.yaml" in kit["content"]
    # The public half is kept; the private half travels in the kit only.
    assert keys.public_jwk_text(keys.OKPKey.import_key(kit["room_key"])) == row.public_jwk
    assert "d" in kit["room_key"] and '"d"' not in row.public_jwk
    # No password, no hash: not under any name, not anywhere in the text.
    hashes = db.session.scalars(select(User.password_hash)).all()
    assert hashes and not any(h in text for h in hashes)
    assert not any(h.split("$")[-1] in text for h in hashes)
    assert "password" not in text.lower()


def test_only_the_workshops_facilitators_issue_its_kits(app, central):
    make_user(email="other@example.org", role="facilitator")
    other = signed_in(app, "other@example.org")
    assert other.post(f"/workshops/{central['workshop'].id}/room/kit", data={"label": "x"}).status_code == 404
    trainee = signed_in(app, "t1@example.org")
    assert trainee.post(f"/workshops/{central['workshop'].id}/room/kit", data={"label": "x"}).status_code == 403
    co = signed_in(app, "co@example.org")
    assert co.post(f"/workshops/{central['workshop'].id}/room/kit", data={"label": "Co's"}).status_code == 200
    assert db.session.scalar(select(func.count(RoomKit.id))) == 1


def test_a_kit_needs_a_label_to_tell_laptops_apart(app, central):
    client = signed_in(app, "aminata@example.org")
    response = client.post(f"/workshops/{central['workshop'].id}/room/kit", data={"label": "  "})
    assert response.status_code == 400
    assert "Name the laptop this kit is for" in response.get_data(as_text=True)
    # switching language from this answer to a POST comes back to the room page (a GET)
    assert f'name="next" value="/workshops/{central["workshop"].id}/room"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(RoomKit.id))) == 0


def test_the_kits_list_shows_label_issuer_edition_and_sync_state(app, central):
    issue_file(app, central["workshop"])
    row = db.session.scalar(select(RoomKit))
    row.synced_records, row.last_synced_at = 42, row.issued_at + timedelta(days=3)
    db.session.commit()
    page = signed_in(app, "aminata@example.org").get(f"/workshops/{central['workshop'].id}/room").get_data(as_text=True)
    assert "Aminata&#39;s laptop" in page and "by Aminata Diallo" in page
    assert row.content_version in page and "42 records" in page and "In use" in page


@pytest.mark.engine_sensitive  # one fetch wins a conditional UPDATE
def test_a_one_time_link_is_shown_once_and_gives_its_kit_once(app, central):
    workshop = central["workshop"]
    client = signed_in(app, "aminata@example.org")
    response = client.post(f"/workshops/{workshop.id}/room/link", data={"label": "Spare laptop"})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    link = re.search(r"room fetch (\S+)</code>", page).group(1)
    assert "/rooms/kits/" in link
    assert "room fetch" not in client.get(f"/workshops/{workshop.id}/room").get_data(as_text=True)
    row = db.session.scalar(select(RoomKit))
    assert row.public_jwk == "" and len(row.fetch_token_hash) == 64
    assert link.rsplit("/", 1)[1] not in json.dumps([row.fetch_token_hash, row.uid])  # only its hash is kept
    path = "/rooms/kits/" + link.rsplit("/", 1)[1]
    # A chat app's preview, or the facilitator opening the link in a browser, uses nothing.
    for _preview in range(2):
        opened = app.test_client().get(path, headers={"Accept-Language": "en"})
        assert opened.status_code == 200 and opened.headers["Cache-Control"] == "no-store"
        assert f"room fetch {link}" in opened.get_data(as_text=True)
    db.session.refresh(row)
    assert row.public_jwk == ""
    first = app.test_client().post(path)
    assert first.status_code == 200 and first.headers["Cache-Control"] == "no-store"
    kit = first.get_json()
    db.session.refresh(row)
    assert kit["kit"] == row.uid and row.public_jwk == keys.public_jwk_text(keys.OKPKey.import_key(kit["room_key"]))
    for method in ("get", "post"):
        again = getattr(app.test_client(), method)(path, headers={"Accept-Language": "en"})
        assert again.status_code == 410
        assert "already used" in again.get_data(as_text=True)
        assert getattr(app.test_client(), method)("/rooms/kits/no-such-link").status_code == 404


def test_a_link_expires_after_a_day_and_a_revoked_kit_gives_nothing(app, central):
    workshop = central["workshop"]
    kit, token = kits.issue_link(workshop, central["owner"], "Late")
    kit.issued_at -= timedelta(hours=25)
    db.session.commit()
    response = app.test_client().get(f"/rooms/kits/{token}", headers={"Accept-Language": "en"})
    assert response.status_code == 410 and "has expired" in response.get_data(as_text=True)
    kit2, token2 = kits.issue_link(workshop, central["owner"], "Revoked")
    kits.revoke(kit2)
    assert app.test_client().get(f"/rooms/kits/{token2}").status_code == 410


def test_revoking_a_kit_asks_for_confirmation(app, central):
    issue_file(app, central["workshop"])
    row = db.session.scalar(select(RoomKit))
    client = signed_in(app, "aminata@example.org")
    url = f"/workshops/{central['workshop'].id}/room/kits/{row.uid}/revoke"
    assert "Revoke the kit" in client.get(url).get_data(as_text=True)
    unconfirmed = client.post(url, data={})
    assert unconfirmed.status_code == 400 and "Tick the box" in unconfirmed.get_data(as_text=True)
    assert db.session.get(RoomKit, row.id).revoked_at is None
    assert client.post(url, data={"confirm": "y"}).status_code == 303
    assert db.session.get(RoomKit, row.id).revoked_at is not None
    assert "Revoked on" in client.get(f"/workshops/{central['workshop'].id}/room").get_data(as_text=True)
    assert signed_in(app, "t1@example.org").post(url, data={"confirm": "y"}).status_code == 403


def test_revoke_kit_command(app, central, runner):
    kit, _ = kits.issue_file(central["workshop"], central["owner"], "Stolen")
    result = runner.invoke(args=["room", "revoke-kit", kit.uid])
    assert result.exit_code == 0 and "is revoked" in result.output
    assert db.session.get(RoomKit, kit.id).revoked_at is not None
    assert "already revoked" in runner.invoke(args=["room", "revoke-kit", kit.uid]).output
    missing = runner.invoke(args=["room", "revoke-kit", "no-such-kit"])
    assert missing.exit_code == 1 and "No room kit no-such-kit" in missing.output


# ---- the room laptop: installing

def _kit_file(app, central, tmp_path, name="kit.json"):
    path = tmp_path / name
    path.write_bytes(issue_file(app, central["workshop"]).get_data())
    return path, json.loads(path.read_text(encoding="utf-8"))


def test_installing_a_kit_makes_the_workshop_and_its_people_as_on_the_central_site(app, central, tmp_path):
    path, kit = _kit_file(app, central, tmp_path)
    workshop = central["workshop"]
    with room_server(tmp_path) as (room, folder):
        result = install_file(room, folder, path)
        assert result.exit_code == 0, result.output
        assert "Installed" in result.output and "Aminata Diallo: " in result.output
        assert install.installed().kit_uid == kit["kit"]
        here = db.session.get(Workshop, workshop.id)
        assert here.uid == workshop.uid and here.join_code == workshop.join_code and here.title == workshop.title
        users = {u.uid: u for u in db.session.scalars(select(User))}
        assert set(users) == {m["uid"] for m in kit["members"]}
        assert all(not check(u) for u in users.values())
        assert here.owner.uid == central["owner"].uid
        assert [users[f.user.uid].email for f in db.session.scalars(select(WorkshopFacilitator))] == ["co@example.org"]
        member_uids = set(db.session.scalars(select(WorkshopMember.uid)))
        assert member_uids == {m["member_uid"] for m in kit["members"] if m["role"] == "trainee"}
        assert db.session.scalar(select(func.count(RoomCode.id))) == 4
        assert not any(code in json.dumps(db.session.scalars(select(RoomCode.code_hash)).all())
                       for code in kit["codes"].values())
        assert prepost.tests_of(here.id)["pre"].question_ids == kit["workshop"]["tests"][0]["question_ids"]
        assert keys.room_key().as_dict(private=True) == kit["room_key"]
        assert stat.S_IMODE(os.stat(room.config["ROOM_KEY_FILE"]).st_mode) == 0o600
        assert stat.S_IMODE(os.stat(codes.codes_file()).st_mode) == 0o600
        assert load_catalog(folder / "room-content").version == kit["content_version"]


def check(user):
    from webapp.auth.services import check_password
    return any(check_password(user, guess) for guess in ("", PASSWORD, install.UNUSABLE_PASSWORD))


def test_installing_the_same_kit_twice_changes_nothing_and_another_kit_is_refused(app, central, tmp_path):
    path, _kit = _kit_file(app, central, tmp_path)
    other, _ = _kit_file(app, central, tmp_path, "other.json")
    with room_server(tmp_path) as (room, folder):
        assert install_file(room, folder, path).exit_code == 0
        before = snapshot()
        again = install_file(room, folder, path)
        assert again.exit_code == 0 and "already installed" in again.output
        assert not changed_tables(before, snapshot())
        refused = install_file(room, folder, other)
        assert refused.exit_code == 1 and "already runs another room kit" in refused.output
        assert not changed_tables(before, snapshot())


def test_a_kit_goes_only_on_a_fresh_database(app, central, tmp_path):
    path, _ = _kit_file(app, central, tmp_path)
    with room_server(tmp_path) as (room, folder):
        make_workshop(make_user(role="facilitator"))
        result = install_file(room, folder, path)
        assert result.exit_code == 1 and "already holds workshops" in result.output
        assert install.installed() is None


@pytest.mark.parametrize("content, says", [
    (b"<html>Not found</html>", "is not a room kit, or it is cut short"),
    (b'{"format": 1, "kit": "abc", "workshop": {"id"', "is not a room kit, or it is cut short"),
    (b'{"format": 2}', "of format 2, which this version"),
    (b'[1, 2]', "is not a room kit"),
    (b'{"format": 1, "kit": "x"}', "is damaged or incomplete"),
    (b"\xff\xfe\x00", "it is not text"),
])
def test_a_bad_kit_file_gets_a_clear_message_and_no_traceback(tmp_path, content, says):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with room_server(tmp_path) as (room, folder):
        result = install_file(room, folder, path)
        assert result.exit_code == 1 and says in result.output
        assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
        assert install.installed() is None
        missing = room.test_cli_runner().invoke(args=["room", "install", str(tmp_path / "nowhere.json")])
        assert missing.exit_code == 1 and "Cannot read" in missing.output


def test_a_truncated_kit_is_refused(app, central, tmp_path):
    path, _ = _kit_file(app, central, tmp_path)
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    with room_server(tmp_path) as (room, folder):
        result = install_file(room, folder, path)
        assert result.exit_code == 1 and "cut short" in result.output
        assert not (folder / "room-content").exists()


def test_a_kit_whose_content_was_altered_is_refused(app, central, tmp_path):
    path, kit = _kit_file(app, central, tmp_path)
    kit["content"]["lessons/01-first-steps/en.md"] += "\nAltered.\n"
    path.write_text(json.dumps(kit), encoding="utf-8")
    with room_server(tmp_path) as (room, folder):
        result = install_file(room, folder, path)
        assert result.exit_code == 1 and "not the edition it names" in result.output
        assert install.installed() is None


# ---- the room laptop: signing in with a room code

@contextmanager
def installed_room(app, central, tmp_path):
    path, kit = _kit_file(app, central, tmp_path)
    with room_server(tmp_path) as (room, folder):
        assert install_file(room, folder, path).exit_code == 0
        yield room, kit


def code_of(kit, email):
    member = next(m for m in kit["members"] if m["email"] == email)
    return kit["codes"][member["uid"]]


def test_a_trainee_signs_in_once_with_her_room_code_then_chooses_a_password(app, central, tmp_path):
    with installed_room(app, central, tmp_path) as (room, kit):
        client = room.test_client()
        login = client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
        assert "This is a room server" in login and 'href="/room/code"' in login
        code = code_of(kit, "t1@example.org")
        typed = f" {code[:5].lower()} - {code[5:]} "
        response = client.post("/room/code", data={"code": typed})
        assert response.status_code == 303 and response.headers["Location"] == "/room/password"
        page = client.get("/room/password").get_data(as_text=True)
        assert "A password for this room" in page and "Not now" in page
        assert client.post("/room/password", data={"password": "short", "confirm": "short"}).status_code == 400
        saved = client.post("/room/password", data={"password": "a room of my own", "confirm": "a room of my own"})
        assert saved.status_code == 303
        client.post("/logout")
        assert signed_in(room, "t1@example.org", "a room of my own").get("/account").status_code == 200
        # The code worked once.
        used = room.test_client().post("/room/code", data={"code": code}, headers={"Accept-Language": "en"})
        assert used.status_code == 400 and "already used" in used.get_data(as_text=True)


def test_a_wrong_room_code_is_refused_counted_and_slowed(app, central, tmp_path):
    with installed_room(app, central, tmp_path) as (room, kit):
        client = room.test_client()
        wrong = client.post("/room/code", data={"code": "ABCDE-FGHJK"}, headers={"Accept-Language": "en"})
        assert wrong.status_code == 400 and "No one in this workshop has this code" in wrong.get_data(as_text=True)
        statuses = [client.post("/room/code", data={"code": "ABCDE-FGHJK"}).status_code for _ in range(12)]
        assert statuses[-1] == 429
        # Even the right code waits its turn (nothing is checked while the wait runs).
        right = client.post("/room/code", data={"code": code_of(kit, "t2@example.org")})
        assert right.status_code == 429
        assert db.session.scalar(select(RoomCode.used_at).join(User).where(User.email == "t2@example.org")) is None


def test_room_code_pages_answer_only_on_a_room(app, central):
    client = app.test_client()
    assert client.get("/room/code").status_code == 404
    assert "room code" not in client.get("/login").get_data(as_text=True)


def test_a_member_with_a_password_changes_it_on_her_account_page(app, central, tmp_path):
    with installed_room(app, central, tmp_path) as (room, kit):
        client = room.test_client()
        client.post("/room/code", data={"code": code_of(kit, "t1@example.org")})
        client.post("/room/password", data={"password": "a room of my own", "confirm": "a room of my own"})
        assert client.get("/room/password").headers["Location"] == "/account/password"


def test_the_facilitator_prints_one_slip_per_unused_code_in_the_workshops_language(app, central, tmp_path):
    with installed_room(app, central, tmp_path) as (room, kit):
        workshop_id = kit["workshop"]["id"]
        trainee = room.test_client()
        trainee.post("/room/code", data={"code": code_of(kit, "t1@example.org")})
        assert trainee.get(f"/workshops/{workshop_id}/room/codes").status_code == 403
        client = room.test_client()
        assert client.post("/room/code", data={"code": code_of(kit, "aminata@example.org")}).status_code == 303
        page = client.get(f"/workshops/{workshop_id}/room/codes").get_data(as_text=True)
        assert codes.grouped(code_of(kit, "t2@example.org")) in page and "Trainee 2" in page
        assert codes.grouped(code_of(kit, "t1@example.org")) not in page  # used: left out
        assert "2 codes are already used" in page and 'lang="en"' in page
        assert "/room/code" in page
        room_page = client.get(f"/workshops/{workshop_id}/room").get_data(as_text=True)
        assert "This is a room server" in room_page and "Download the kit" not in room_page
        assert client.post(f"/workshops/{workshop_id}/room/kit", data={"label": "x"}).status_code == 404
        # In French, the page around the slips is French; the slips stay in the workshop's English.
        client.post("/language", data={"lang": "fr", "next": f"/workshops/{workshop_id}/room/codes"})
        page = client.get(f"/workshops/{workshop_id}/room/codes").get_data(as_text=True)
        assert '<html lang="fr">' in page and "Se déconnecter" in page
        assert '<ul class="slips" lang="en">' in page and "Type your room code:" in page


def test_room_codes_command_prints_them_with_their_state(app, central, tmp_path):
    with installed_room(app, central, tmp_path) as (room, kit):
        room.test_client().post("/room/code", data={"code": code_of(kit, "t1@example.org")})
        output = room.test_cli_runner().invoke(args=["room", "codes"]).output
        assert f"Trainee 1: {codes.grouped(code_of(kit, 't1@example.org'))}  (used)" in output
        assert f"Trainee 2: {codes.grouped(code_of(kit, 't2@example.org'))}\n" in output


# ---- `flask room fetch`, over real HTTP

@contextmanager
def serving(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


def test_room_fetch_downloads_the_kit_once_and_explains_failures(app, central, tmp_path, runner):
    kit, token = kits.issue_link(central["workshop"], central["owner"], "By link")
    out = tmp_path / "fetched.json"
    with serving(app) as base:
        result = runner.invoke(args=["room", "fetch", f"{base}/rooms/kits/{token}", "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert "saved in" in result.output and "room install" in result.output
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
        assert json.loads(out.read_text(encoding="utf-8"))["kit"] == kit.uid
        again = runner.invoke(args=["room", "fetch", f"{base}/rooms/kits/{token}", "--out", str(tmp_path / "2.json")])
        assert again.exit_code == 1 and "already used" in again.output
        unknown = runner.invoke(args=["room", "fetch", f"{base}/rooms/kits/nope", "--out", str(tmp_path / "3.json")])
        assert unknown.exit_code == 1 and "not a room kit link" in unknown.output
    down = runner.invoke(args=["room", "fetch", f"{base}/rooms/kits/{token}", "--out", str(tmp_path / "4.json")])
    assert down.exit_code == 1 and "Cannot reach the central site" in down.output
    assert runner.invoke(args=["room", "fetch", "ftp://x/y"]).exit_code == 1
    assert not (tmp_path / "2.json").exists() and not (tmp_path / "4.json").exists()


@pytest.mark.parametrize(("environ", "name"), [
    ({"LANG": "fr_SN.UTF-8"}, "passerelle-kit-de-salle-"), ({"LANG": "en_GB.UTF-8"}, "passerelle-room-kit-"),
    ({"LANGUAGE": "fr:en", "LANG": "C.UTF-8"}, "passerelle-kit-de-salle-"), ({"LANG": "C"}, "passerelle-room-kit-")])
def test_room_fetch_names_the_kit_in_the_terminals_language(app, central, tmp_path, runner, monkeypatch,
                                                            environ, name):
    _, token = kits.issue_link(central["workshop"], central["owner"], "By link")
    monkeypatch.chdir(tmp_path)
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in environ.items():
        monkeypatch.setenv(variable, value)
    with serving(app) as base:
        result = runner.invoke(args=["room", "fetch", f"{base}/rooms/kits/{token}"])
    assert result.exit_code == 0, result.output
    [saved] = list(tmp_path.glob("*.json"))
    assert saved.name.startswith(name) and f"saved in {saved.name}" in result.output


def test_codes_are_read_however_they_are_typed():
    assert codes.normalise(" abcde-fghjk ") == "ABCDEFGHJK"
    assert codes.grouped("ABCDEFGHJK") == "ABCDE-FGHJK"
    assert codes.code_hash("abcde fghjk") == codes.code_hash("ABCDE-FGHJK")
    assert len({codes.new_code() for _ in range(50)}) == 50


def test_make_room_serves_the_installed_kits_content(tmp_path):
    from webapp import room_address
    assert room_address.content_dir(tmp_path, {}) is None
    (tmp_path / "room-content").mkdir()
    assert room_address.content_dir(tmp_path, {}) == str(tmp_path / "room-content")
    assert room_address.content_dir(tmp_path, {"CONTENT_DIR": "/elsewhere"}) is None


def test_room_install_row_is_kept(app):
    assert install.installed() is None and RoomInstall.__tablename__ == "room_install"
    assert Path(codes.codes_file()).name.endswith("-codes.json")


def test_the_rooms_pages_are_valid_html_in_both_languages(app, central, tmp_path):
    """The room's own pages (they answer only on a room, so tests/pages.py cannot list them)."""
    import subprocess

    from .test_html_valid import _checker
    checker = _checker()
    folder = tmp_path / "html"
    folder.mkdir()
    with installed_room(app, central, tmp_path) as (room, kit):
        workshop_id = kit["workshop"]["id"]
        facilitator = room.test_client()
        facilitator.post("/room/code", data={"code": code_of(kit, "aminata@example.org")})
        trainee = room.test_client()
        trainee.post("/room/code", data={"code": code_of(kit, "t1@example.org")})
        for lang in ("en", "fr"):
            db.session.execute(db.update(User).values(language=lang))
            db.session.commit()
            pages = {"sign-in": (room.test_client(), "/login"), "code": (room.test_client(), "/room/code"),
                     "password": (trainee, "/room/password"),
                     "codes": (facilitator, f"/workshops/{workshop_id}/room/codes"),
                     "kits": (facilitator, f"/workshops/{workshop_id}/room")}
            for name, (client, url) in pages.items():
                response = client.get(url, headers={"Accept-Language": lang})
                assert response.status_code == 200, (name, lang)
                (folder / f"{lang}-{name}.html").write_bytes(response.data)
            wrong = room.test_client().post("/room/code", data={"code": "nope"}, headers={"Accept-Language": lang})
            (folder / f"{lang}-code-error.html").write_bytes(wrong.data)
    done = subprocess.run(checker + ["--format", "json", "--errors-only", "--skip-non-html", str(folder)],
                          capture_output=True, text=True, timeout=300)
    report = json.loads(done.stderr or done.stdout or '{"messages": []}')
    assert not report["messages"], report["messages"]
