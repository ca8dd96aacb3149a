"""A reset link handed over by a facilitator or an administrator is worth no more than its issuer's
authority at the moment it is used: each attack below kept a link alive past that authority."""
import re
from datetime import date

import pytest
from sqlalchemy import delete, select

from webapp.extensions import db
from webapp.models import AccountToken, User, Workshop, WorkshopFacilitator, WorkshopMember

from ..factories import make_user
from .test_password_reset import EN, NEW, mail_app, smtp  # noqa: F401  (fixtures)

pytestmark = pytest.mark.engine_sensitive  # one-time links rely on constraints and time arithmetic in SQL

PASSWORD = "correct horse battery"


def _as(app, user):
    client = app.test_client()
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    return client


@pytest.fixture
def room(app):
    """A facilitator, her workshop with one trainee, and an administrator."""
    facilitator = make_user(email="facilitator@example.org", name="Fatou Facilitator", role="facilitator",
                            password=PASSWORD, language="en")
    trainee = make_user(email="trainee@example.org", name="Tina Trainee", password=PASSWORD, language="en")
    admin = make_user(email="admin@example.org", name="Ada Admin", role="admin", password=PASSWORD, language="en")
    workshop = Workshop(title="Dakar", city="Dakar", country="SN", start_date=date.today(), end_date=date.today(),
                        language="en", lessons=[], join_code="ABCDEFGH", owner_id=facilitator.id)
    db.session.add(workshop)
    db.session.flush()
    db.session.add(WorkshopMember(workshop_id=workshop.id, user_id=trainee.id))
    db.session.commit()
    return type("Room", (), dict(facilitator=facilitator, trainee=trainee, admin=admin, workshop=workshop))


def _issue(app, issuer, holder) -> str:
    response = _as(app, issuer).post("/reset-links", data={"email": holder.email}, headers=EN)
    assert response.status_code == 200, response.get_data(as_text=True)
    return re.search(r"<code>https?://[^/<]+(/password/reset/[^<]+)</code>", response.get_data(as_text=True))[1]


def _link_opens(app, link) -> bool:
    """Whether the link still lets a stranger choose the password (and sign in)."""
    return app.test_client().post(link, data=NEW).status_code == 302


def test_a_link_for_a_trainee_who_was_removed_from_the_workshop_no_longer_opens(app, room):
    link = _issue(app, room.facilitator, room.trainee)
    _as(app, room.facilitator).post(f"/workshops/{room.workshop.id}/people/{room.trainee.id}/remove")
    assert not _link_opens(app, link)


def test_a_link_is_checked_against_the_issuers_authority_when_used_not_only_cancelled(app, room):
    link = _issue(app, room.facilitator, room.trainee)
    # Membership ends by any path (here straight in the database): the link follows the rule, not an event.
    db.session.execute(delete(WorkshopMember).where(WorkshopMember.user_id == room.trainee.id))
    db.session.commit()
    assert app.test_client().get(link).status_code == 404
    assert not _link_opens(app, link)


def test_promoting_the_trainee_to_administrator_kills_the_link_a_facilitator_kept(app, room):
    link = _issue(app, room.facilitator, room.trainee)
    assert _as(app, room.admin).post(f"/admin/users/{room.trainee.id}/role", data={"role": "admin"}).status_code == 302
    assert not _link_opens(app, link)


def test_a_promotion_made_outside_the_site_still_refuses_the_link(app, room):
    link = _issue(app, room.facilitator, room.trainee)
    db.session.get(User, room.trainee.id).role = "admin"  # not through set_role: no cancellation ran
    db.session.commit()
    assert not _link_opens(app, link)


def test_a_demoted_facilitators_links_stop_working(app, room):
    link = _issue(app, room.facilitator, room.trainee)
    _as(app, room.admin).post(f"/admin/users/{room.facilitator.id}/role", data={"role": "trainee"})
    assert not _link_opens(app, link)


def test_a_facilitator_who_no_longer_runs_the_workshop_loses_her_links(app, room):
    co = make_user(email="co@example.org", role="facilitator", password=PASSWORD)
    db.session.add(WorkshopFacilitator(workshop_id=room.workshop.id, user_id=co.id))
    db.session.commit()
    link = _issue(app, co, room.trainee)
    db.session.execute(delete(WorkshopFacilitator).where(WorkshopFacilitator.user_id == co.id))
    db.session.commit()
    assert not _link_opens(app, link)


def test_an_issuer_who_deleted_her_account_leaves_no_working_link(app, room):
    from webapp.records.erasure import erase_account
    link = _issue(app, room.facilitator, room.trainee)
    erase_account(db.session.get(User, room.facilitator.id))
    assert not _link_opens(app, link)


def test_nobody_can_hand_over_a_link_for_a_staff_account(app, room):
    other_admin = make_user(email="admin2@example.org", role="admin", password=PASSWORD)
    for issuer, holder in ((room.admin, room.facilitator), (room.admin, other_admin), (room.facilitator, room.admin)):
        refused = _as(app, issuer).post("/reset-links", data={"email": holder.email}, headers=EN)
        assert refused.status_code == 400
    assert db.session.scalar(select(AccountToken).where(AccountToken.handed_over.is_(True))) is None


def test_an_old_handed_over_link_for_a_staff_account_is_refused(app, room):
    link = _issue(app, room.admin, room.trainee)
    db.session.get(User, room.trainee.id).role = "facilitator"
    db.session.commit()
    assert not _link_opens(app, link)


def test_the_holder_is_told_at_her_next_sign_in_once(app, room):
    _issue(app, room.facilitator, room.trainee)
    client = _as(app, room.trainee)
    text = client.get("/", headers=EN).get_data(as_text=True)
    assert "Fatou Facilitator made a one-time password link for your account" in text
    again = _as(app, room.trainee).get("/", headers=EN).get_data(as_text=True)
    assert "made a one-time password link" not in again


def test_the_holder_is_told_by_email_when_mail_is_configured(mail_app, smtp, room):
    from webapp import mail
    _issue(mail_app, room.facilitator, room.trainee)
    mail.flush(10)
    told = [m for m in smtp.to(room.trainee.email) if "password link was made" in m["Subject"]]
    assert len(told) == 1 and "Fatou Facilitator" in told[0].get_payload(decode=True).decode()


def test_links_the_holder_asked_for_herself_are_not_affected(app, room):
    result = app.test_cli_runner().invoke(args=["reset-link", room.trainee.email])
    link = re.search(r"(/password/reset/\S+)", result.output)[1]
    db.session.execute(delete(WorkshopMember))
    db.session.commit()
    assert _link_opens(app, link)
