"""room sync: records sent (room), bundles received and room accounts (central)

Revision ID: d3e4f5a6b7c8
Revises: c2d3e4f5a6b7
Create Date: 2026-12-05 18:00:00

A room laptop sends its records home in signed bundles (issue 17). Four new tables, nothing else
changes: ``sent_record`` (room: what the central site acknowledged, and as it was), ``room_claim_code``
(room: the codes printed for accounts made in the room), ``received_bundle`` (central: bundles
applied, so the same bundle sent twice writes nothing) and ``room_account`` (central: accounts made in
a room, waiting for their owner to claim them).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd3e4f5a6b7c8'
down_revision = 'c2d3e4f5a6b7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'sent_record',
        sa.Column('uid', sa.String(length=36), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('uid'),
    )
    op.create_table(
        'room_claim_code',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=16), nullable=False),
        sa.Column('made_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id'),
    )
    op.create_table(
        'received_bundle',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uid', sa.String(length=36), nullable=False),
        sa.Column('kit_id', sa.Integer(), nullable=False),
        sa.Column('received_at', sa.DateTime(), nullable=False),
        sa.Column('made_at', sa.DateTime(), nullable=False),
        sa.Column('records', sa.Integer(), nullable=False),
        sa.Column('clock_ahead_seconds', sa.Integer(), nullable=True),
        sa.Column('future_dated', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['kit_id'], ['room_kit.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('uid'),
    )
    op.create_index('ix_received_bundle_kit_id', 'received_bundle', ['kit_id'], unique=False)
    op.create_table(
        'room_account',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kit_id', sa.Integer(), nullable=True),
        sa.Column('workshop_id', sa.Integer(), nullable=True),
        sa.Column('typed_email', sa.String(length=254), nullable=False),
        sa.Column('claim_hash', sa.String(length=64), nullable=True),
        sa.Column('claimed_by_id', sa.Integer(), nullable=True),
        sa.Column('claimed_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['kit_id'], ['room_kit.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['claimed_by_id'], ['user.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id'),
    )
    op.create_index('ix_room_account_claim_hash', 'room_account', ['claim_hash'], unique=False)


def downgrade():
    op.drop_index('ix_room_account_claim_hash', table_name='room_account')
    op.drop_table('room_account')
    op.drop_index('ix_received_bundle_kit_id', table_name='received_bundle')
    op.drop_table('received_bundle')
    op.drop_table('room_claim_code')
    op.drop_table('sent_record')
