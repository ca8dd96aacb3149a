"""records received from each room kit, by uid

Revision ID: f2a3b4c5d6e7
Revises: e4f5a6b7c8d9
Create Date: 2027-01-10 10:00:00

The "Records from workshop rooms" page counted every record of every bundle, so a record a room sent
again in a new bundle (the central site kept it but its answer was lost) was counted twice. One new
table, ``received_record`` (kit, record uid), lets the central site count only records new from that
laptop. Nothing else changes; the counts already kept (``room_kit.synced_records``) stay as they are.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f2a3b4c5d6e7'
down_revision = 'e4f5a6b7c8d9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'received_record',
        sa.Column('kit_id', sa.Integer(), nullable=False),
        sa.Column('uid', sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(['kit_id'], ['room_kit.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('kit_id', 'uid'),
    )


def downgrade():
    op.drop_table('received_record')
