"""a unique id on every record a room makes offline, and the room kits

Revision ID: a0b1c2d3e4f5
Revises: c1f2e3d4a5b6
Create Date: 2026-12-05 17:45:00

A workshop run offline on a laptop sends its records home later (issue 17): each record carries a
``uid`` made where it was made, so that a record sent twice is found, never added again. Existing
rows get a fresh uid each; nothing else changes. Two new tables: the kits the central site issued
(``room_kit``) and, on a room laptop, the kit it runs (``room_install``).
"""
import uuid

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a0b1c2d3e4f5'
down_revision = 'c1f2e3d4a5b6'
branch_labels = None
depends_on = None

TABLES = ('user', 'workshop', 'workshop_member', 'attendance_mark', 'live_question', 'live_answer',
          'lesson_progress', 'attempt')
BATCH = 1000


def _fill_uids(table: str) -> None:
    conn = op.get_bind()
    rows = sa.table(table, sa.column('id', sa.Integer), sa.column('uid', sa.String))
    ids = [row[0] for row in conn.execute(sa.select(rows.c.id).where(rows.c.uid.is_(None)))]
    statement = sa.update(rows).where(rows.c.id == sa.bindparam('row_id')).values(uid=sa.bindparam('new_uid'))
    for start in range(0, len(ids), BATCH):
        conn.execute(statement, [{'row_id': i, 'new_uid': str(uuid.uuid4())} for i in ids[start:start + BATCH]])


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('uid', sa.String(length=36), nullable=True))
        _fill_uids(table)
        # On SQLite, NOT NULL would mean copying the table, and dropping the old copy of "user" would
        # cascade-delete every trainee's rows: the column stays nullable there (the models always
        # fill it) and becomes NOT NULL where the engine can say so in place.
        if op.get_bind().dialect.name != 'sqlite':
            op.alter_column(table, 'uid', existing_type=sa.String(length=36), nullable=False)
        op.create_index(f'ix_{table}_uid', table, ['uid'], unique=True)

    op.create_table(
        'room_kit',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uid', sa.String(length=36), nullable=False),
        sa.Column('workshop_id', sa.Integer(), nullable=False),
        sa.Column('issued_by_id', sa.Integer(), nullable=True),
        sa.Column('issued_at', sa.DateTime(), nullable=False),
        sa.Column('label', sa.String(length=120), nullable=False),
        sa.Column('public_jwk', sa.Text(), nullable=False),
        sa.Column('content_version', sa.String(length=40), nullable=False),
        sa.Column('fetch_token_hash', sa.String(length=64), nullable=True),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.Column('last_synced_at', sa.DateTime(), nullable=True),
        sa.Column('synced_records', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['issued_by_id'], ['user.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_room_kit_uid', 'room_kit', ['uid'], unique=True)
    op.create_index('ix_room_kit_workshop_id', 'room_kit', ['workshop_id'], unique=False)
    op.create_table(
        'room_install',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kit_uid', sa.String(length=36), nullable=False),
        sa.Column('workshop_id', sa.Integer(), nullable=False),
        sa.Column('central_url', sa.String(length=300), nullable=False),
        sa.Column('content_version', sa.String(length=40), nullable=False),
        sa.Column('kit_issued_at', sa.DateTime(), nullable=False),
        sa.Column('installed_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('kit_uid'),
    )


def downgrade():
    op.drop_table('room_install')
    op.drop_index('ix_room_kit_workshop_id', table_name='room_kit')
    op.drop_index('ix_room_kit_uid', table_name='room_kit')
    op.drop_table('room_kit')
    for table in reversed(TABLES):
        op.drop_index(f'ix_{table}_uid', table_name=table)
        op.execute(f'ALTER TABLE "{table}" DROP COLUMN uid')  # in place, also on SQLite: no cascade
