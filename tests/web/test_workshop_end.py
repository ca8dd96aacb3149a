"""Attendance is taken on the day, not before; a workshop certificate is issued once the workshop is
over (past its last day, or closed by a facilitator on its last day) and never dated before that day."""
from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import select

from webapp.certificates import services
from webapp.extensions import db
from webapp.models import AttendanceMark, Certificate
from webapp.zones import today_in

from ..factories import join_workshop, make_user, make_workshop
from ..records_builders import complete_course
from .workshop_helpers import signed_in, text

pytestmark = pytest.mark.engine_sensitive  # completion is decided with SQL over dates

EN = {"Accept-Language": "en"}


def _room(app, start_in_days: int, days: int = 2):
    """A workshop in Dakar starting ``start_in_days`` from today there, with one trainee who has
    completed the course."""
    owner = make_user(role="facilitator", language="en")
    workshop = make_workshop(owner, days=days, threshold=1, start=today_in("Africa/Dakar") + timedelta(days=start_in_days))
    trainee = make_user(language="en")
    join_workshop(workshop, trainee)
    complete_course(trainee, at=datetime(2026, 1, 5, 10))
    services.issue_due(trainee.id)  # her course certificate
    return workshop, trainee, signed_in(app, owner)


def _certificates(workshop):
    return db.session.scalars(select(Certificate).where(Certificate.workshop_id == workshop.id)).all()


def test_attendance_for_a_day_that_has_not_come_is_refused_with_a_clear_message(app):
    workshop, trainee, facilitator = _room(app, start_in_days=0)
    tomorrow = workshop.days[1].isoformat()
    page = text(facilitator.get(f"/workshops/{workshop.id}/attendance/{tomorrow}", headers=EN))
    assert "has not come yet: its attendance can be taken from that day." in page and 'name="present"' not in page
    day = workshop.days[1]  # named day first, as every English date on the site: "Tuesday, 24 March 2026"
    assert f"{day:%A}, {day.day} {day:%B} {day.year} has not come yet" in page
    for url, form in ((f"/workshops/{workshop.id}/attendance/{tomorrow}", {"present": [str(trainee.id)]}),
                      (f"/workshops/{workshop.id}/attendance/{tomorrow}/everyone", {"user": [str(trainee.id)]}),
                      (f"/workshops/{workshop.id}/attendance/{tomorrow}/mark", {"user": trainee.id, "present": "1"})):
        refused = facilitator.post(url, data=form, headers=EN)
        assert refused.status_code == 409 and "has not come yet" in text(refused)
    assert db.session.scalar(select(AttendanceMark.id)) is None
    overview = text(facilitator.get(f"/workshops/{workshop.id}/attendance", headers=EN))
    assert f"/attendance/{tomorrow}\"" not in overview and "not yet: attendance is taken on the day" in overview
    # today's attendance is taken as before
    assert facilitator.post(f"/workshops/{workshop.id}/attendance/{workshop.days[0].isoformat()}",
                            data={"present": [str(trainee.id)]}).status_code == 302


def test_no_workshop_certificate_while_the_workshop_runs_then_one_dated_its_last_day_when_it_is_closed(app):
    workshop, trainee, facilitator = _room(app, start_in_days=-1)  # yesterday and today
    facilitator.post(f"/workshops/{workshop.id}/attendance/{workshop.days[0].isoformat()}",
                     data={"present": [str(trainee.id)]})
    assert _certificates(workshop) == []          # threshold met, course done: but the workshop is not over
    page = text(facilitator.get(f"/workshops/{workshop.id}/attendance", headers=EN))
    assert "Close the workshop and issue its certificates" in page
    closed = facilitator.post(f"/workshops/{workshop.id}/close", headers=EN, follow_redirects=True)
    assert "The workshop is closed: 1 workshop certificate issued." in text(closed)
    [cert] = _certificates(workshop)
    assert cert.completed_at == datetime.combine(workshop.end_date, time.min)


def test_a_workshop_cannot_be_closed_before_its_last_day(app):
    workshop, trainee, facilitator = _room(app, start_in_days=0)
    facilitator.post(f"/workshops/{workshop.id}/attendance/{workshop.days[0].isoformat()}",
                     data={"present": [str(trainee.id)]})
    assert "Close the workshop" not in text(facilitator.get(f"/workshops/{workshop.id}/attendance", headers=EN))
    refused = facilitator.post(f"/workshops/{workshop.id}/close", headers=EN, follow_redirects=True)
    assert "The workshop can be closed from its last day" in text(refused)
    assert workshop.closed_at is None and _certificates(workshop) == []


def test_a_workshop_past_its_last_day_issues_its_certificate_dated_that_day(app):
    workshop, trainee, _facilitator = _room(app, start_in_days=-3)
    db.session.add(AttendanceMark(workshop_id=workshop.id, user_id=trainee.id, day=workshop.days[0]))
    db.session.commit()
    [cert] = [c for c in services.issue_due(trainee.id) if c.workshop_id]
    assert cert.completed_at == datetime.combine(workshop.end_date, time.min)


def test_a_holder_west_of_greenwich_sees_the_workshops_last_day_on_its_certificate(app):
    """The last day is kept as midnight UTC, still the day before in Cape Verde (UTC-1): the
    certificate, its public check and the report give the last day all the same."""
    from webapp.certificates.numbers import display
    workshop, trainee, _facilitator = _room(app, start_in_days=-3)
    trainee.time_zone = "Atlantic/Cape_Verde"
    db.session.add(AttendanceMark(workshop_id=workshop.id, user_id=trainee.id, day=workshop.days[0]))
    db.session.commit()
    [cert] = [c for c in services.issue_due(trainee.id) if c.workshop_id]
    assert cert.completed_on == workshop.end_date
    last = workshop.end_date
    page = app.test_client().get(f"/verify/{display(cert.number)}", headers=EN).get_data(as_text=True)
    assert f"Completed on</dt><dd>{last.day} {last:%B} {last.year}</dd>" in page
