"""Deleting an account: personal data goes, anonymous results stay in the aggregate reports.

The user row is kept (so her lesson progress, attempts and completions still count by country,
profession and month) but carries nothing that names her: a random placeholder instead of her name
and email, no organisation, a password nobody can match, every session signed out. Her certificates
show as revoked and no longer carry her name. What she typed in her own words in the room (free-text
answers to a facilitator's question) goes too: it may name her, and it counts in no result."""
from __future__ import annotations

import secrets

from sqlalchemy import delete, or_, select

from ..certificates import services as certificates
from ..content.questions import QUESTION_TYPES
from ..extensions import db
from ..models import AccountToken, CofacilitatorInvitation, LiveAnswer, LiveQuestion, LoginAttempt, OutboxEmail, User
from ..people import ERASED_DOMAIN


def erase_account(user: User) -> None:
    """Remove the personal data of ``user`` and keep her anonymous results. Commits."""
    token = secrets.token_hex(6)
    old_email = user.email
    certificates.revoke_all_for_erasure(user.id)
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.key == f"account:{old_email}"))
    # Her one-time links: a reset link left behind would open the anonymous account.
    db.session.execute(delete(CofacilitatorInvitation).where(CofacilitatorInvitation.email == old_email))
    db.session.execute(delete(AccountToken).where(
        or_(AccountToken.user_id == user.id, AccountToken.email == old_email)))
    # Emails to her not sent yet: her address, and maybe a link, would otherwise wait in the outbox.
    db.session.execute(delete(OutboxEmail).where(OutboxEmail.recipient == old_email))
    db.session.execute(delete(LiveAnswer).where(LiveAnswer.id.in_(_free_text_answers(user.id))))
    user.name = f"anonymous-{token}"
    user.email = f"anonymous-{token}@{ERASED_DOMAIN}"
    user.organisation = ""
    user.password_hash = "!erased"  # not a hash format: no password can ever match it
    user.role = "trainee"
    user.session_token += 1  # signs out every session and remember-me cookie
    db.session.commit()


def _free_text_answers(user_id: int) -> list[int]:
    """Her answers to questions whose answers are words of her own (only a facilitator's own
    questions are of that kind: the bank's are graded choices)."""
    rows = db.session.execute(select(LiveAnswer.id, LiveQuestion.own).join(LiveQuestion)
                              .where(LiveAnswer.user_id == user_id))
    return [answer_id for answer_id, own in rows
            if isinstance(own, dict) and (kind := QUESTION_TYPES.get(own.get("type"))) and kind.private_answers]
