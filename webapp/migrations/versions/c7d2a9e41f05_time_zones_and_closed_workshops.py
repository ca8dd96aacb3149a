"""a reader's time zone; a workshop the facilitator closed

Revision ID: c7d2a9e41f05
Revises: b3c1d2e4f5a6
Create Date: 2026-12-04 23:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c7d2a9e41f05'
down_revision = 'b3c1d2e4f5a6'
branch_labels = None
depends_on = None


def upgrade():
    # Empty: the zone of her country (webapp/zones.py), so existing accounts need no value.
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('time_zone', sa.String(length=64), nullable=False, server_default=''))
    # Null: open until its last day has passed (a facilitator may close it earlier).
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.drop_column('closed_at')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('time_zone')
