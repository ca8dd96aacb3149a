"""attempts remember the room kit they came from

Revision ID: e4f5a6b7c8d9
Revises: d3e4f5a6b7c8
Create Date: 2026-12-05 19:00:00

An attempt made in a workshop room arrives with the content edition it was graded against (issue 17);
the central site says so next to it and counts, per kit, the editions the room's attempts used. One
nullable column, empty for every attempt made on the central site: nothing is rewritten.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e4f5a6b7c8d9'
down_revision = 'd3e4f5a6b7c8'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == 'sqlite':
        # a plain ADD COLUMN, not batch mode's table copy: the attempt table keeps its partial indexes
        op.execute('ALTER TABLE attempt ADD COLUMN room_kit_id INTEGER REFERENCES room_kit (id) ON DELETE SET NULL')
    else:
        op.add_column('attempt', sa.Column('room_kit_id', sa.Integer(), nullable=True))
        op.create_foreign_key('fk_attempt_room_kit_id', 'attempt', 'room_kit', ['room_kit_id'], ['id'],
                              ondelete='SET NULL')
    op.create_index('ix_attempt_room_kit_id', 'attempt', ['room_kit_id'])


def downgrade():
    op.drop_index('ix_attempt_room_kit_id', table_name='attempt')
    if op.get_bind().dialect.name == 'sqlite':
        with op.batch_alter_table('attempt') as batch:  # SQLite drops no column that has a foreign key
            batch.drop_column('room_kit_id')
    else:
        op.drop_constraint('fk_attempt_room_kit_id', 'attempt', type_='foreignkey')
        op.drop_column('attempt', 'room_kit_id')
