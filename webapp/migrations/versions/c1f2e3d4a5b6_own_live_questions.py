"""questions a facilitator types in the room, and those she keeps to ask again

Revision ID: c1f2e3d4a5b6
Revises: d1e2f3a4b5c6
Create Date: 2027-01-12 10:00:00

A live question may be one she typed (kept whole in live_question.own; the bank's stay read from the
catalog, so every existing row keeps own empty). saved_question keeps the ones she saved, per
facilitator. Nothing existing changes.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c1f2e3d4a5b6'
down_revision = 'd1e2f3a4b5c6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('live_question', schema=None) as batch_op:
        batch_op.add_column(sa.Column('own', sa.JSON(), nullable=True))
    op.create_table(
        'saved_question',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=False),
        sa.Column('question', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['owner_id'], ['user.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('saved_question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_question_owner_id'), ['owner_id'], unique=False)


def downgrade():
    with op.batch_alter_table('saved_question', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_question_owner_id'))
    op.drop_table('saved_question')
    with op.batch_alter_table('live_question', schema=None) as batch_op:
        batch_op.drop_column('own')
