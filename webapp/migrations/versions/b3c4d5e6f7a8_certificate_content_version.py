"""a certificate keeps the content version it was earned on

Revision ID: b3c4d5e6f7a8
Revises: a1b2c3d4e5f7
Create Date: 2026-12-06 04:05:00

The certificate verification page says whether an expert signed off the content the holder was
tested on (lessons/SIGNOFF.yaml names content versions). That version was looked up at every
showing, from her newest quiz submitted by the completion; ``certificate.content_version`` now
keeps it from the moment the certificate is issued, a fact of the certificate like its date.
Existing rows get the same lookup once, in SQL (one statement); a certificate whose holder has no
kept quiz stays without one, as the page showed it. Downgrading drops the column.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3c4d5e6f7a8'
down_revision = 'a1b2c3d4e5f7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('content_version', sa.String(length=40), nullable=True))
    cert = sa.table('certificate', sa.column('user_id', sa.Integer), sa.column('completed_at', sa.DateTime),
                    sa.column('content_version', sa.String))
    attempt = sa.table('attempt', sa.column('id', sa.Integer), sa.column('user_id', sa.Integer),
                       sa.column('content_version', sa.String), sa.column('submitted_at', sa.DateTime),
                       sa.column('abandoned_at', sa.DateTime))
    newest = (sa.select(attempt.c.content_version)
              .where(attempt.c.user_id == cert.c.user_id, attempt.c.submitted_at.is_not(None),
                     attempt.c.submitted_at <= cert.c.completed_at, attempt.c.abandoned_at.is_(None))
              .order_by(attempt.c.submitted_at.desc(), attempt.c.id.desc()).limit(1).scalar_subquery())
    op.get_bind().execute(sa.update(cert).values(content_version=newest))


def downgrade():
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_column('content_version')
