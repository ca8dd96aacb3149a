"""co-facilitators are invited by address and accept (co-facilitators already in place stay)

Revision ID: f1a2b3c4d5e6
Revises: e5f6a7b8c9d0
Create Date: 2026-12-05 00:35:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f1a2b3c4d5e6'
down_revision = 'e5f6a7b8c9d0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cofacilitator_invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['invited_by_id'], ['user.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('workshop_id', 'email', name='uq_cofacilitator_invitation')
    )
    with op.batch_alter_table('cofacilitator_invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cofacilitator_invitation_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_cofacilitator_invitation_workshop_id'), ['workshop_id'], unique=False)


def downgrade():
    with op.batch_alter_table('cofacilitator_invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cofacilitator_invitation_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_cofacilitator_invitation_email'))
    op.drop_table('cofacilitator_invitation')
