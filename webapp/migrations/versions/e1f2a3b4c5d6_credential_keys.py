"""public keys of the credentials' signing keys, current and retired

Revision ID: e1f2a3b4c5d6
Revises: b2c3d4e5f6a7
Create Date: 2026-12-05 09:50:00

Signed Open Badges credentials verify against these keys for as long as the site runs, including
after a rotation. A new table: nothing existing changes.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e1f2a3b4c5d6'
down_revision = 'b2c3d4e5f6a7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'credential_key',
        sa.Column('kid', sa.String(length=64), nullable=False),
        sa.Column('public_jwk', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('retired_at', sa.DateTime(), nullable=True),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('kid'),
    )


def downgrade():
    op.drop_table('credential_key')
