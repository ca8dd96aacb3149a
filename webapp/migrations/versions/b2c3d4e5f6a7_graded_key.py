"""keep the right answer each quiz answer was graded against

Revision ID: b2c3d4e5f6a7
Revises: a9b8c7d6e5f4
Create Date: 2026-12-05 03:10:00

A question whose right answer changes becomes a new edition of it; an attempt keeps the answer it
was graded on. Answers recorded before this revision stay empty here: the result page then shows
the content's answer, which is the one they were graded on, since no right answer had changed by
then (the decision rule's revision of December 2026 changed no stored key).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b2c3d4e5f6a7'
down_revision = 'a9b8c7d6e5f4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attempt_answer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('graded_key', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('attempt_answer', schema=None) as batch_op:
        batch_op.drop_column('graded_key')
