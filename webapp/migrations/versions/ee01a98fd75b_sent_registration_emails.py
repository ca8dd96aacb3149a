"""sent_email: registration emails sent to an address in the last hour (at most 3 an hour)

Revision ID: ee01a98fd75b
Revises: 3055e6ea9653
Create Date: 2026-12-02 11:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ee01a98fd75b'
down_revision = '3055e6ea9653'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sent_email',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sent_email', schema=None) as batch_op:
        batch_op.create_index('ix_sent_email_recipient_at', ['recipient', 'at'], unique=False)
        batch_op.create_index('ix_sent_email_at', ['at'], unique=False)


def downgrade():
    with op.batch_alter_table('sent_email', schema=None) as batch_op:
        batch_op.drop_index('ix_sent_email_at')
        batch_op.drop_index('ix_sent_email_recipient_at')

    op.drop_table('sent_email')
