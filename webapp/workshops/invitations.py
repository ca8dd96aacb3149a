"""Co-facilitators by invitation. A facilitator types addresses; each becomes an invitation that a
facilitator signed in with that address accepts or declines on her Workshops page. The page that
saves the addresses answers the same whatever they are, so it tells nobody which addresses are staff
accounts, and nobody runs a workshop she did not agree to. Administrators, who see every account
anyway, add co-facilitators directly."""
from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import CofacilitatorInvitation, User, Workshop, WorkshopFacilitator


def normalised(emails: list[str]) -> list[str]:
    return sorted({e.strip().lower() for e in emails if e.strip()})


def accepted_users(workshop: Workshop, emails: list[str]) -> list[User]:
    """The workshop's co-facilitators still on the list (they stay without a new invitation)."""
    wanted = set(normalised(emails))
    return [c.user for c in workshop.cofacilitators if c.user.email in wanted]


def invite(workshop: Workshop, emails: list[str], by: User) -> list[str]:
    """Invitations for the addresses that are not co-facilitators yet; invitations no longer on the
    list are withdrawn. The addresses waiting for an answer, as typed (normalised)."""
    wanted = set(normalised(emails))
    wanted -= {c.user.email for c in workshop.cofacilitators} | {workshop.owner.email}
    db.session.execute(delete(CofacilitatorInvitation).where(
        CofacilitatorInvitation.workshop_id == workshop.id, CofacilitatorInvitation.email.not_in(wanted)))
    have = set(db.session.scalars(select(CofacilitatorInvitation.email).where(
        CofacilitatorInvitation.workshop_id == workshop.id)))
    for email in sorted(wanted - have):
        try:  # the same form saved twice at once: the unique pair keeps one
            with db.session.begin_nested():
                db.session.add(CofacilitatorInvitation(workshop_id=workshop.id, email=email, invited_by_id=by.id))
        except IntegrityError:
            pass
    db.session.commit()
    return sorted(wanted)


def pending(workshop: Workshop) -> list[str]:
    return list(db.session.scalars(select(CofacilitatorInvitation.email).where(
        CofacilitatorInvitation.workshop_id == workshop.id).order_by(CofacilitatorInvitation.email)))


def for_user(user: User) -> list[CofacilitatorInvitation]:
    """The invitations she may answer: only a facilitator (or administrator) account can co-run."""
    if not user.is_facilitator:
        return []
    return list(db.session.scalars(select(CofacilitatorInvitation).where(
        CofacilitatorInvitation.email == user.email).order_by(CofacilitatorInvitation.created_at)))


def answer(invitation_id: int, user: User, accept: bool) -> Workshop | None:
    """Accept or decline one of her invitations; the workshop, or None when it is not hers to answer."""
    invitation = db.session.get(CofacilitatorInvitation, invitation_id)
    if invitation is None or invitation.email != user.email or not user.is_facilitator:
        return None
    workshop = invitation.workshop
    db.session.delete(invitation)
    if accept and user.id != workshop.owner_id:
        try:
            with db.session.begin_nested():
                db.session.add(WorkshopFacilitator(workshop_id=workshop.id, user_id=user.id))
        except IntegrityError:
            pass  # accepted twice at once: she runs it once
    db.session.commit()
    return workshop
