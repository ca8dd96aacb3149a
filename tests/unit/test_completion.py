"""Completion rules: course = every lesson and the final passed; workshop = course + attendance."""
from datetime import date, datetime

from webapp.achievements.rules import attendance_threshold, course_completed_at, lessons_missing, workshop_completed_at

LESSONS = ["one", "two", "three"]
T = datetime(2026, 5, 4, 10, 0)


def at(hour):
    return T.replace(hour=hour)


def test_every_lesson_and_the_final_complete_the_course_at_the_later_of_the_two():
    done = {"one": at(9), "two": at(10), "three": at(11)}
    assert course_completed_at(LESSONS, done, [at(12)]) == at(12)
    # the final passed first: the course completes with the last lesson
    assert course_completed_at(LESSONS, done, [at(8)]) == at(11)


def test_the_first_pass_counts_not_a_later_one():
    done = {"one": at(9), "two": at(9), "three": at(9)}
    assert course_completed_at(LESSONS, done, [at(15), at(12)]) == at(12)


def test_a_missing_lesson_or_no_pass_is_not_a_completion():
    assert course_completed_at(LESSONS, {"one": at(9), "two": at(9)}, [at(12)]) is None
    assert course_completed_at(LESSONS, {"one": at(9), "two": at(9), "three": None}, [at(12)]) is None
    assert course_completed_at(LESSONS, {"one": at(9), "two": at(9), "three": at(9)}, []) is None
    assert course_completed_at([], {}, [at(12)]) is None


def test_lessons_outside_the_course_do_not_matter():
    done = {"one": at(9), "two": at(9), "three": at(9), "retired": at(20)}
    assert course_completed_at(LESSONS, done, [at(12)]) == at(12)


def test_the_lessons_a_passed_final_still_waits_for_are_named_in_course_order():
    assert lessons_missing(LESSONS, {"two": at(9), "three": None, "retired": at(9)}) == ["one", "three"]
    assert lessons_missing(LESSONS, {"one": at(9), "two": at(9), "three": at(9)}) == []


DAYS = [date(2026, 5, 4), date(2026, 5, 5), date(2026, 5, 6)]
AFTER = datetime(2026, 5, 20, 12, 0)   # the course completed after the workshop


def test_by_default_every_workshop_day_must_be_attended():
    assert workshop_completed_at(AFTER, DAYS, DAYS) == AFTER
    assert workshop_completed_at(AFTER, DAYS, DAYS[:2]) is None


def test_the_facilitators_threshold_lowers_the_days_needed():
    assert workshop_completed_at(AFTER, DAYS, DAYS[:2], threshold=2) == AFTER
    assert workshop_completed_at(AFTER, DAYS, DAYS[:1], threshold=2) is None


def test_days_outside_the_workshop_do_not_count():
    assert workshop_completed_at(AFTER, DAYS, [DAYS[0], date(2026, 6, 1)], threshold=2) is None


def test_no_course_completion_no_workshop_completion():
    assert workshop_completed_at(None, DAYS, DAYS) is None


def test_workshop_completes_on_the_day_the_last_condition_is_met():
    # the course done on the first morning: completed on the day that met the threshold
    assert workshop_completed_at(at(8), DAYS, DAYS) == datetime(2026, 5, 6)
    # ... but never before the workshop's last day: the certificate certifies the whole workshop
    assert workshop_completed_at(at(8), DAYS, DAYS, threshold=2) == datetime(2026, 5, 6)
    assert workshop_completed_at(at(8), DAYS, [DAYS[0], DAYS[2]], threshold=2) == datetime(2026, 5, 6)
    # the course done on the last day, after the day started: the course's moment
    assert workshop_completed_at(datetime(2026, 5, 6, 15, 0), DAYS, DAYS) == datetime(2026, 5, 6, 15, 0)


def test_ticking_attendance_late_does_not_move_the_completion_date():
    late = {day: datetime(2026, 11, 29, 18, 0) for day in DAYS}
    assert workshop_completed_at(at(8), DAYS, DAYS, marked_at=late) == datetime(2026, 5, 6)


def test_a_workshop_completion_is_never_dated_before_its_last_day():
    early = {DAYS[2]: datetime(2026, 5, 4, 9, 0)}
    assert workshop_completed_at(at(8), DAYS, DAYS, marked_at=early) == datetime(2026, 5, 6)
    assert workshop_completed_at(at(8), DAYS, DAYS[:1], threshold=1) == datetime(2026, 5, 6)


def test_threshold_is_kept_within_the_workshop_days():
    assert attendance_threshold(3, None) == 3
    assert attendance_threshold(3, 0) == 1
    assert attendance_threshold(3, 7) == 3
    assert attendance_threshold(0, None) == 0
