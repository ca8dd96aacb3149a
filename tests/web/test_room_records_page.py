"""What a room's pages tell a trainee and a facilitator: nothing is issued in the room, so one who
has done everything is told her certificate is earned, and a failed send names no Python error."""
from __future__ import annotations

from webapp.extensions import db
from webapp.progress import services as progress
from webapp.rooms import sync_client

from ..records_builders import complete_course
from ..room_helpers import room_user
from .test_room_sync import AMINA, BEN, FACILITATOR, central, new_room  # noqa: F401 (a fixture)
from .workshop_helpers import signed_in, text


def test_in_a_room_a_trainee_who_has_done_everything_is_told_it_is_earned(app, central, tmp_path):  # noqa: F811
    room_app, _ = new_room(app, tmp_path, central)
    with room_app.app_context():
        complete_course(room_user(AMINA))
        done = text(signed_in(room_app, room_user(AMINA)).get("/records", headers={"Accept-Language": "en"}))
        waiting = text(signed_in(room_app, room_user(BEN)).get("/records", headers={"Accept-Language": "en"}))
    assert "your certificate will be issued when this room’s records reach the central site" in done
    assert "No certificate yet: complete every lesson" not in done
    assert "No certificate yet: complete every lesson" in waiting and "will be issued when" not in waiting


def test_a_send_that_cannot_reach_the_central_site_names_no_python_error(app, central, tmp_path, monkeypatch):  # noqa: F811
    room_app, _ = new_room(app, tmp_path, central)
    monkeypatch.setattr(sync_client.urllib.request, "urlopen",
                        lambda *a, **k: (_ for _ in ()).throw(ConnectionRefusedError(111, "Connection refused")))
    with room_app.app_context():
        progress.mark_read(room_user(BEN).id, "second-steps")
        db.session.commit()
        facilitator = signed_in(room_app, room_user(FACILITATOR))
        facilitator.post("/rooms/send")
        page = text(facilitator.get("/rooms/send"))
    assert "The central site could not be reached. Try again when the connection is back" in page
    assert "ConnectionRefusedError" not in page and "Error" not in page.split("could not be reached")[1][:80]
