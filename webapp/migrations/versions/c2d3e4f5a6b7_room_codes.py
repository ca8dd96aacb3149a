"""room codes: how kit members sign in on a room laptop

Revision ID: c2d3e4f5a6b7
Revises: f7a8b9c0d1e2
Create Date: 2026-12-05 18:00:00

On a room laptop, each member of the workshop's kit signs in once with a single-use code printed by
the facilitator (then chooses a password for the room). Only the codes' hashes are kept here. A new
table, nothing else changes.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c2d3e4f5a6b7'
down_revision = 'f7a8b9c0d1e2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'room_code',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('used_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('code_hash'),
    )
    op.create_index('ix_room_code_user_id', 'room_code', ['user_id'], unique=False)


def downgrade():
    op.drop_index('ix_room_code_user_id', table_name='room_code')
    op.drop_table('room_code')
