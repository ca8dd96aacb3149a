"""the database keeps the "one of" rules: one open attempt per quiz and trainee, one sitting of each
workshop test, one open live question per workshop, one workshop per "new workshop" form

Rows left by the races these rules close are resolved first, and nothing is deleted: of several open
attempts at one quiz the first stays open and the others are set aside (abandoned: they hold no
answers, which are written when an attempt is submitted); of several sittings of one workshop test the
first submitted one (else the first) counts and the others are set aside with their answers kept; of
several open live questions the newest stays open and the others are closed.

Revision ID: c4d5e6f7a8b9
Revises: d4e8f1a2b3c4
Create Date: 2026-12-04 23:50:00

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4d5e6f7a8b9'
down_revision = 'd4e8f1a2b3c4'
branch_labels = None
depends_on = None

OPEN = "submitted_at IS NULL AND abandoned_at IS NULL"
SITTING = "quiz LIKE 'workshop-%' AND abandoned_at IS NULL"


def _now():
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _set_aside(conn, ids):
    attempt = sa.table('attempt', sa.column('id'), sa.column('abandoned_at'))
    ids = sorted(ids)
    for start in range(0, len(ids), 500):
        conn.execute(sa.update(attempt).where(attempt.c.id.in_(ids[start:start + 500])).values(abandoned_at=_now()))


def _resolve_duplicates(conn):
    # Workshop test sittings: the first submitted counts (else the first started); the rest are set aside.
    keep, extra = {}, []
    rows = conn.execute(sa.text(
        "SELECT id, user_id, quiz, submitted_at FROM attempt WHERE quiz LIKE 'workshop-%' "
        "ORDER BY user_id, quiz, CASE WHEN submitted_at IS NULL THEN 1 ELSE 0 END, submitted_at, id"))
    for attempt_id, user_id, quiz, _submitted in rows:
        if (user_id, quiz) in keep:
            extra.append(attempt_id)
        else:
            keep[(user_id, quiz)] = attempt_id
    _set_aside(conn, extra)
    # Open attempts at any other quiz: the first stays open.
    keep, extra = set(), []
    rows = conn.execute(sa.text(
        f"SELECT id, user_id, quiz FROM attempt WHERE {OPEN} ORDER BY user_id, quiz, id"))
    for attempt_id, user_id, quiz in rows:
        if (user_id, quiz) in keep:
            extra.append(attempt_id)
        else:
            keep.add((user_id, quiz))
    _set_aside(conn, extra)
    # Live questions: the one asked last stays open.
    newest = {}
    for live_id, workshop_id in conn.execute(sa.text(
            "SELECT id, workshop_id FROM live_question WHERE state = 'open' ORDER BY id")):
        newest[workshop_id] = live_id
    live = sa.table('live_question', sa.column('id'), sa.column('state'), sa.column('closed_at'))
    if newest:
        conn.execute(sa.update(live).where(live.c.state == 'open', live.c.id.not_in(list(newest.values())))
                     .values(state='closed', closed_at=_now()))


def upgrade():
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.add_column(sa.Column('abandoned_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.add_column(sa.Column('creation_key', sa.String(length=32), nullable=True))
    _resolve_duplicates(op.get_bind())
    op.create_index('uq_attempt_open', 'attempt', ['user_id', 'quiz'], unique=True,
                    sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))
    op.create_index('uq_attempt_workshop_sitting', 'attempt', ['user_id', 'quiz'], unique=True,
                    sqlite_where=sa.text(SITTING), postgresql_where=sa.text(SITTING))
    op.create_index('uq_live_question_open', 'live_question', ['workshop_id'], unique=True,
                    sqlite_where=sa.text("state = 'open'"), postgresql_where=sa.text("state = 'open'"))
    op.create_index('uq_workshop_creation_key', 'workshop', ['owner_id', 'creation_key'], unique=True)


def downgrade():
    op.drop_index('uq_workshop_creation_key', table_name='workshop')
    op.drop_index('uq_live_question_open', table_name='live_question')
    op.drop_index('uq_attempt_workshop_sitting', table_name='attempt')
    op.drop_index('uq_attempt_open', table_name='attempt')
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.drop_column('creation_key')
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.drop_column('abandoned_at')
