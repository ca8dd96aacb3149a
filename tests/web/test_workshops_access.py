"""Who sees what: a facilitator sees only her workshops (and those she co-facilitates); a trainee
only her own results and the anonymous live distributions."""
import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AttendanceMark, LiveQuestion, Workshop

from ..factories import join_workshop, make_user, make_workshop
from .workshop_helpers import current_live, live_form, signed_in, text

DAY = "2026-03-24"
FACILITATOR_PAGES = ["", "/edit", "/projector", "/qr.svg", "/live", "/live/panel", "/attendance", f"/attendance/{DAY}",
                     "/tests", "/roster", "/roster.csv", "/items", "/pack"]
FACILITATOR_ACTIONS = [("/edit", {"title": "Mine now"}), ("/joining", {"open": "0"}), ("/live", {"question": "fs-border"}),
                       (f"/attendance/{DAY}", {"present": "1"}), ("/tests/pre/open", {}),
                       ("/tests/pre/compose", {"per_lesson": "1"})]


@pytest.fixture
def world(app):
    owner = make_user(role="facilitator", language="en", name="Owner Fatou")
    colleague = make_user(role="facilitator", language="en")
    stranger = make_user(role="facilitator", language="en")
    ana = make_user(language="en", name="Ana Trainee")
    ben = make_user(language="en", name="Ben Trainee")
    outsider = make_user(language="en")
    workshop = make_workshop(owner, title="Atelier de Dakar", cofacilitators=[colleague])
    make_workshop(stranger, title="Atelier de Bamako")
    join_workshop(workshop, ana, ben)
    return {"workshop": workshop, "owner": owner, "colleague": colleague, "stranger": stranger, "ana": ana,
            "ben": ben, "outsider": outsider}


def test_a_facilitator_lists_only_her_workshops_and_those_she_co_facilitates(app, world):
    for who, sees, not_sees in (("owner", "Atelier de Dakar", "Atelier de Bamako"),
                                ("colleague", "Atelier de Dakar", "Atelier de Bamako"),
                                ("stranger", "Atelier de Bamako", "Atelier de Dakar")):
        page = text(signed_in(app, world[who]).get("/workshops"))
        assert sees in page and not_sees not in page, who


def test_another_facilitators_workshop_does_not_exist_for_her(app, world):
    stranger = signed_in(app, world["stranger"])
    base = f"/workshops/{world['workshop'].id}"
    for path in FACILITATOR_PAGES:
        assert stranger.get(base + path).status_code == 404, path
    for path, data in FACILITATOR_ACTIONS:
        assert stranger.post(base + path, data=data).status_code == 404, path
    assert db.session.get(Workshop, world["workshop"].id).title == "Atelier de Dakar"
    assert db.session.get(Workshop, world["workshop"].id).joining_open
    assert db.session.scalar(select(LiveQuestion.id)) is None and db.session.scalar(select(AttendanceMark.id)) is None


def test_the_owner_the_co_facilitator_and_an_admin_open_every_page(app, world):
    admin = make_user(role="admin", language="en")
    base = f"/workshops/{world['workshop'].id}"
    for user in (world["owner"], world["colleague"], admin):
        client = signed_in(app, user)
        for path in FACILITATOR_PAGES:
            assert client.get(base + path).status_code == 200, (user.email, path)


def test_a_trainee_sees_her_workshop_but_none_of_the_facilitators_pages(app, world):
    ana = signed_in(app, world["ana"])
    base = f"/workshops/{world['workshop'].id}"
    page = text(ana.get(base))
    assert "Atelier de Dakar" in page and "My lessons for this workshop" in page
    assert "Ben Trainee" not in page and world["workshop"].join_code not in page
    for path in FACILITATOR_PAGES:
        if path not in ("", "/live/panel", "/pack"):
            assert ana.get(base + path).status_code == 403, path
    for path, data in FACILITATOR_ACTIONS:
        assert ana.post(base + path, data=data).status_code == 403, path
    assert ana.post(f"/workshops/{world['workshop'].id}/attendance/{DAY}/mark",
                    data={"user": world["ana"].id, "present": "1"}).status_code == 403
    assert db.session.scalar(select(AttendanceMark.id)) is None


def test_a_trainee_outside_the_workshop_sees_nothing_of_it(app, world):
    outsider = signed_in(app, world["outsider"])
    base = f"/workshops/{world['workshop'].id}"
    for path in ("", "/live/panel", "/pack", "/tests/pre", "/roster"):
        assert outsider.get(base + path).status_code == 404, path
    assert outsider.post(base + "/tests/pre/start").status_code == 404
    assert "Atelier de Dakar" not in text(outsider.get("/workshops"))


def test_the_live_distribution_is_anonymous_and_a_trainee_sees_only_her_own_answer(app, world):
    owner = signed_in(app, world["owner"])
    ana, ben = signed_in(app, world["ana"]), signed_in(app, world["ben"])
    workshop = world["workshop"]
    owner.post(f"/workshops/{workshop.id}/live", data={"question": "fs-elements"})
    live = current_live(workshop.id)
    ana.post(f"/workshops/{workshop.id}/live/{live.id}/answer", data=live_form(live, "a"))
    ben.post(f"/workshops/{workshop.id}/live/{live.id}/answer", data=live_form(live, "b"))
    owner.post(f"/workshops/{workshop.id}/live/{live.id}/reveal")
    for client, _name in ((owner, None), (ana, "Ben Trainee"), (ben, "Ana Trainee")):
        for path in ("/live/panel", "/live" if client is owner else ""):
            page = text(client.get(f"/workshops/{workshop.id}{path}"))
            assert "Ana Trainee" not in page and "Ben Trainee" not in page, path
    assert "You were right." in text(ana.get(f"/workshops/{workshop.id}"))
    assert "Your answer was not right." in text(ben.get(f"/workshops/{workshop.id}"))


def test_a_facilitator_cannot_answer_live_nor_sit_the_tests_of_her_own_workshop(app, world):
    owner = signed_in(app, world["owner"])
    workshop = world["workshop"]
    owner.post(f"/workshops/{workshop.id}/live", data={"question": "fs-border"})
    live = current_live(workshop.id)
    assert owner.post(f"/workshops/{workshop.id}/live/{live.id}/answer", data=live_form(live, "true")).status_code == 403
    assert owner.post(f"/workshops/{workshop.id}/tests/pre/start").status_code == 403


def test_a_visitor_is_asked_to_sign_in_everywhere(app, client, world):
    base = f"/workshops/{world['workshop'].id}"
    for path in FACILITATOR_PAGES + ["/tests/pre"]:
        assert client.get(base + path).headers["Location"].startswith("/login"), path
    assert client.get("/workshops").headers["Location"].startswith("/login")
    assert client.get("/workshops/new").headers["Location"].startswith("/login")


def test_a_test_that_does_not_exist_is_not_found_for_anyone(app, world):
    for who in ("owner", "ana", "outsider"):
        client, workshop_id = signed_in(app, world[who]), world["workshop"].id
        assert client.get(f"/workshops/{workshop_id}/tests/bogus").status_code == 404
        assert client.post(f"/workshops/{workshop_id}/tests/bogus/start").status_code == 404
        assert client.get(f"/workshops/{workshop_id}/tests/bogus/paper").status_code == 404
