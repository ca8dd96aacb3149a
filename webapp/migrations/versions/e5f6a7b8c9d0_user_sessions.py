"""signed-in browsers kept on the server (signing out ends the session)

Revision ID: e5f6a7b8c9d0
Revises: e5f0a1b2c3d4
Create Date: 2026-12-05 00:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5f6a7b8c9d0'
down_revision = 'e5f0a1b2c3d4'
branch_labels = None
depends_on = None


def upgrade():
    # Cookies made before this table existed name no row: everyone signs in once more after the upgrade.
    op.create_table('user_session',
    sa.Column('id', sa.String(length=43), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_session_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_user_session_created_at'), ['created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_session_created_at'))
        batch_op.drop_index(batch_op.f('ix_user_session_user_id'))
    op.drop_table('user_session')
