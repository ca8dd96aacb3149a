"""live questions: results hidden while answers are open, and an optional countdown

Revision ID: f7a8b9c0d1e2
Revises: a0b1c2d3e4f5
Create Date: 2027-01-20 10:00:00

results_shown: whether the facilitator shows the room's answers before closing them (existing rows:
false, which only matters for a question still open). closes_at: when a countdown ends (existing
rows: none). Nothing existing changes.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f7a8b9c0d1e2'
down_revision = 'a0b1c2d3e4f5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('live_question', schema=None) as batch_op:
        batch_op.add_column(sa.Column('results_shown', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('closes_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('live_question', schema=None) as batch_op:
        batch_op.drop_column('closes_at')
        batch_op.drop_column('results_shown')
