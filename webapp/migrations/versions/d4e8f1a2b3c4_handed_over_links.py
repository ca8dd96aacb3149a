"""reset links handed over by a person: marked, and the holder told

Revision ID: d4e8f1a2b3c4
Revises: c7d2a9e41f05
Create Date: 2026-12-05 00:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4e8f1a2b3c4'
down_revision = 'c7d2a9e41f05'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('account_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('handed_over', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('holder_notified_at', sa.DateTime(), nullable=True))
    # Links made before this change by a facilitator or an administrator are handed-over links: from
    # now on they are checked against their issuer's authority like the new ones.
    op.execute("UPDATE account_token SET handed_over = TRUE WHERE issued_by_id IS NOT NULL")


def downgrade():
    with op.batch_alter_table('account_token', schema=None) as batch_op:
        batch_op.drop_column('holder_notified_at')
        batch_op.drop_column('handed_over')
