"""join-code look-ups that found no open workshop, counted to limit guessing

Revision ID: b3c1d2e4f5a6
Revises: ee01a98fd75b
Create Date: 2026-12-04 23:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3c1d2e4f5a6'
down_revision = 'ee01a98fd75b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'code_lookup',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('address', sa.String(length=64), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_code_lookup')),
    )
    with op.batch_alter_table('code_lookup', schema=None) as batch_op:
        batch_op.create_index('ix_code_lookup_address_at', ['address', 'at'], unique=False)
        batch_op.create_index('ix_code_lookup_at', ['at'], unique=False)


def downgrade():
    with op.batch_alter_table('code_lookup', schema=None) as batch_op:
        batch_op.drop_index('ix_code_lookup_at')
        batch_op.drop_index('ix_code_lookup_address_at')
    op.drop_table('code_lookup')
