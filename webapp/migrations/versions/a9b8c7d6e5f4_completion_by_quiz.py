"""a lesson is completed by passing its quiz; the old button now marks it as read

Revision ID: a9b8c7d6e5f4
Revises: f1a2b3c4d5e6
Create Date: 2026-12-05 00:55:00

What happens to records already there (README, "Completion rules"):
- every lesson completed with the old button keeps its completion (nothing already recorded, nor any
  certificate issued on it, is taken away) and is also marked as read at that moment;
- a lesson whose quiz she had already passed without pressing the button is completed at her first
  pass (she met the new rule; that pass is the fact).
From now on only a pass completes a lesson.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a9b8c7d6e5f4'
down_revision = 'f1a2b3c4d5e6'
branch_labels = None
depends_on = None

FIRST_PASS = ("(SELECT MIN(a.submitted_at) FROM attempt a WHERE a.user_id = lesson_progress.user_id "
              "AND a.quiz = lesson_progress.lesson_slug AND a.passed = TRUE AND a.submitted_at IS NOT NULL)")


def upgrade():
    with op.batch_alter_table('lesson_progress', schema=None) as batch_op:
        batch_op.add_column(sa.Column('read_at', sa.DateTime(), nullable=True))
    op.execute("UPDATE lesson_progress SET read_at = completed_at WHERE completed_at IS NOT NULL")
    op.execute(f"UPDATE lesson_progress SET completed_at = {FIRST_PASS} "
               f"WHERE completed_at IS NULL AND {FIRST_PASS} IS NOT NULL")
    # Passed a lesson's quiz without ever opening the lesson while signed in: a row of its own. Only
    # quizzes that are lessons have a reading row already elsewhere; the final and workshop tests
    # never match one, and their names are left out here.
    op.execute(
        "INSERT INTO lesson_progress (user_id, lesson_slug, started_at, completed_at, last_section, visited_at) "
        "SELECT a.user_id, a.quiz, MIN(a.submitted_at), MIN(a.submitted_at), '', MIN(a.submitted_at) "
        "FROM attempt a WHERE a.passed = TRUE AND a.submitted_at IS NOT NULL AND a.quiz <> 'final' "
        "AND a.quiz NOT LIKE 'workshop%' AND a.quiz NOT LIKE '%:%' "
        "AND NOT EXISTS (SELECT 1 FROM lesson_progress p WHERE p.user_id = a.user_id AND p.lesson_slug = a.quiz) "
        "GROUP BY a.user_id, a.quiz")


def downgrade():
    with op.batch_alter_table('lesson_progress', schema=None) as batch_op:
        batch_op.drop_column('read_at')
