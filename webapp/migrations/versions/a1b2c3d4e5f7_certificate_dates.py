"""a certificate keeps the date it was issued with

Revision ID: a1b2c3d4e5f7
Revises: f2a3b4c5d6e7
Create Date: 2026-12-06 03:10:00

A certificate's date was worked out on every showing from its UTC completion time in the holder's
time zone of the moment, so a zone she picked later moved the date on her certificate and on its
public verification page by a day, away from the PDF she had printed. ``certificate.completed_on``
now holds the date, set once when it is issued. Existing rows get the date they show today: her
chosen zone, else her country's, else UTC (the rule of webapp/zones.py ``user_zone``, used here as
it stands at this revision), so no course certificate's visible date changes on upgrade. A workshop
certificate is never dated before the workshop's last day (README, "Certificates"); west of Greenwich
the old rule showed the day before, and those rows get the last day instead. Downgrading drops the
column.
"""
from datetime import date, timezone
import zoneinfo

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1b2c3d4e5f7'
down_revision = 'f2a3b4c5d6e7'
branch_labels = None
depends_on = None

BATCH = 1000


def _fill_dates() -> None:
    from webapp.zones import user_zone  # the rule the dates shown before this revision followed

    conn = op.get_bind()
    cert = sa.table('certificate', sa.column('id', sa.Integer), sa.column('user_id', sa.Integer),
                    sa.column('workshop_id', sa.Integer), sa.column('completed_at', sa.DateTime),
                    sa.column('completed_on', sa.Date))
    workshop = sa.table('workshop', sa.column('id', sa.Integer), sa.column('end_date', sa.Date))
    user = sa.table('user', sa.column('id', sa.Integer), sa.column('time_zone', sa.String),
                    sa.column('country', sa.String))
    rows = conn.execute(sa.select(cert.c.id, cert.c.completed_at, user.c.time_zone, user.c.country,
                                  workshop.c.end_date)
                        .select_from(cert.join(user, user.c.id == cert.c.user_id)
                                     .outerjoin(workshop, workshop.c.id == cert.c.workshop_id))
                        .where(cert.c.completed_on.is_(None))).all()
    values = []
    for row in rows:
        moment = row.completed_at
        moment = moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment
        day = moment.astimezone(zoneinfo.ZoneInfo(user_zone(row))).date()
        if row.end_date is not None:
            end = row.end_date if isinstance(row.end_date, date) else date.fromisoformat(str(row.end_date)[:10])
            day = max(day, end)
        values.append({'row_id': row.id, 'day': day})
    statement = sa.update(cert).where(cert.c.id == sa.bindparam('row_id')).values(completed_on=sa.bindparam('day'))
    for start in range(0, len(values), BATCH):
        conn.execute(statement, values[start:start + BATCH])


def upgrade():
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('completed_on', sa.Date(), nullable=True))
    _fill_dates()
    # As for the record uids (a0b1c2d3e4f5): NOT NULL would mean copying the table on SQLite, so the
    # column stays nullable there (the model always fills it) and becomes NOT NULL where it can in place.
    if op.get_bind().dialect.name != 'sqlite':
        op.alter_column('certificate', 'completed_on', existing_type=sa.Date(), nullable=False)
    op.create_index('ix_certificate_scope_completed_on', 'certificate', ['scope', 'completed_on'], unique=False)


def downgrade():
    op.drop_index('ix_certificate_scope_completed_on', table_name='certificate')
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_column('completed_on')
