"""workshop tests answered on paper and typed in by a facilitator

Revision ID: d1e2f3a4b5c6
Revises: e1f2a3b4c5d6
Create Date: 2026-12-12 09:00:00

A paper sitting is an ordinary attempt marked with its sheet's version; every attempt made before is
an online one (the column stays empty), so nothing is rewritten. A plain ADD COLUMN, not a batch
copy: on SQLite, copying the attempt table would cascade-delete its answers.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd1e2f3a4b5c6'
down_revision = 'e1f2a3b4c5d6'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('attempt', sa.Column('paper_version', sa.String(length=8), nullable=True))


def downgrade():
    op.drop_column('attempt', 'paper_version')
