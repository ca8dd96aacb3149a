"""When the final may be sat again: the wait after a failure and the cap per period."""
from datetime import datetime, timedelta

from webapp.quizzes.final_rules import Rules, standing

RULES = Rules(wait=timedelta(hours=24), max_failures=3, period=timedelta(days=30))
NOW = datetime(2026, 3, 10, 12, 0)


def test_no_failure_no_wait():
    assert standing([], NOW, RULES).may_start and standing([], NOW, RULES).attempts_left == 3


def test_a_failure_means_a_day_of_reading_first():
    failed = NOW - timedelta(hours=2)
    assert standing([failed], NOW, RULES).next_try == failed + timedelta(hours=24)
    assert standing([failed], NOW + timedelta(hours=22), RULES).may_start


def test_three_failures_in_thirty_days_close_it_until_the_oldest_leaves_the_period():
    failures = [NOW - timedelta(days=20), NOW - timedelta(days=10), NOW - timedelta(days=2)]
    now = standing(failures, NOW, RULES)
    assert now.attempts_left == 0 and now.next_try == failures[0] + timedelta(days=30)
    assert standing(failures, NOW + timedelta(days=11), RULES).may_start
