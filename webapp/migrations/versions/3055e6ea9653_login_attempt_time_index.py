"""an index on login_attempt.at, so that failures older than the window are deleted cheaply

Revision ID: 3055e6ea9653
Revises: a75ff1c5c814
Create Date: 2026-12-02 10:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '3055e6ea9653'
down_revision = 'a75ff1c5c814'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.create_index('ix_login_attempt_at', ['at'], unique=False)


def downgrade():
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.drop_index('ix_login_attempt_at')
