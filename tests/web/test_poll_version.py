"""An unchanged poll is answered from two small statements (panels.trainee_version), not from the
whole panel: the version it compares must be the panel's own in every state of the room, or a
trainee would miss a new question (or reload for nothing)."""
from __future__ import annotations

import pytest

from ..factories import join_workshop, make_user, make_workshop
from .test_workshops_knowledge import sit
from .workshop_helpers import current_live, live_form, signed_in

pytestmark = pytest.mark.engine_sensitive  # the tests' key is built in SQL


def assert_fast_path_agrees(phone, workshop, previous: str | None) -> str:
    url = f"/workshops/{workshop.id}/live/panel"
    full = phone.get(url)
    assert full.status_code == 200
    version = full.headers["X-Live-Version"]
    assert version != previous, "the state changed: so must the version"
    assert phone.get(f"{url}?v={version}").status_code == 204  # the fast path computes the same
    if previous is not None:
        assert phone.get(f"{url}?v={previous}").status_code == 200  # an old version gets the new panel
    return version


def test_the_polls_version_is_the_panels_in_every_state_of_the_room(app):
    owner = make_user(role="facilitator", language="en")
    workshop = make_workshop(owner)
    trainee = make_user(language="en")
    join_workshop(workshop, trainee)
    facilitator, phone = signed_in(app, owner), signed_in(app, trainee)
    version = assert_fast_path_agrees(phone, workshop, None)  # nothing asked yet
    facilitator.post(f"/workshops/{workshop.id}/live", data={"question": "fs-elements"})
    live = current_live(workshop.id)
    version = assert_fast_path_agrees(phone, workshop, version)  # a question open
    phone.post(f"/workshops/{workshop.id}/live/{live.id}/answer", data=live_form(live, "a"))
    version = assert_fast_path_agrees(phone, workshop, version)  # she answered
    facilitator.post(f"/workshops/{workshop.id}/live/{live.id}/close")
    version = assert_fast_path_agrees(phone, workshop, version)  # closed
    facilitator.post(f"/workshops/{workshop.id}/live/{live.id}/reveal")
    version = assert_fast_path_agrees(phone, workshop, version)  # the answer shown
    assert facilitator.post(f"/workshops/{workshop.id}/tests/pre/open").status_code == 302
    version = assert_fast_path_agrees(phone, workshop, version)  # a pre-test open
    sit(phone, workshop, "pre")
    version = assert_fast_path_agrees(phone, workshop, version)  # she has sat it
    assert facilitator.post(f"/workshops/{workshop.id}/tests/pre/close").status_code == 302
    assert_fast_path_agrees(phone, workshop, version)  # the pre-test closed
