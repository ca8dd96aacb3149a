"""Workshop records: completion with attendance, the workshop certificate, reports by workshop,
attended-a-day statements and exports of one workshop."""
import csv
import io
import json
from datetime import date, datetime, time

import pytest
from sqlalchemy import select

from webapp.certificates import services
from webapp.certificates.numbers import display
from webapp.extensions import db
from webapp.models import AttendanceMark, Certificate, Workshop, WorkshopMember

from ..factories import make_user
from ..records_builders import complete_course
from ..xapi_spec import problems

pytestmark = pytest.mark.engine_sensitive  # reports are SQL aggregates over dates

EN = {"Accept-Language": "en"}
DAYS = [date(2026, 3, 9), date(2026, 3, 10), date(2026, 3, 11)]


def workshop(owner=None, threshold=None, code="DKRABC", members=()):
    owner = owner or make_user(role="facilitator")
    w = Workshop(title="Atelier de Dakar", city="Dakar", country="SN", start_date=DAYS[0], end_date=DAYS[-1],
                 language="fr", lessons=["first-steps", "second-steps"], attendance_threshold=threshold,
                 join_code=code, owner_id=owner.id)
    db.session.add(w)
    db.session.flush()
    db.session.add_all(WorkshopMember(workshop_id=w.id, user_id=m.id) for m in members)
    db.session.commit()
    return w


def attend(w, user, days, at=datetime(2026, 3, 11, 17, 0)):
    db.session.add_all(AttendanceMark(workshop_id=w.id, user_id=user.id, day=d, marked_at=at) for d in days)
    db.session.commit()


def scopes(user):
    return sorted(db.session.scalars(select(Certificate.scope).where(Certificate.user_id == user.id)))


def test_course_and_every_day_attended_complete_the_workshop(app):
    trainee = make_user()
    w = workshop(members=[trainee])
    attend(w, trainee, DAYS)
    complete_course(trainee, at=datetime(2026, 3, 20, 10, 0))
    new = services.issue_due(trainee.id)
    assert sorted(c.scope for c in new) == ["course", f"workshop:{w.id}"]
    workshop_cert = next(c for c in new if c.workshop_id == w.id)
    assert workshop_cert.completed_at == datetime(2026, 3, 20, 10, 0)
    assert services.issue_due(trainee.id) == []                 # exactly once


def test_missing_a_day_is_not_a_workshop_completion_unless_the_threshold_allows(app):
    strict, lenient = make_user(), make_user()
    w1 = workshop(members=[strict], code="DKRAAA")
    w2 = workshop(members=[lenient], code="DKRBBB", threshold=2)
    attend(w1, strict, DAYS[:2])
    attend(w2, lenient, DAYS[:2])
    for user in (strict, lenient):
        complete_course(user)
        services.issue_due(user.id)
    assert scopes(strict) == ["course"]
    assert scopes(lenient) == ["course", f"workshop:{w2.id}"]


def test_attendance_without_the_course_is_not_a_completion(app):
    trainee = make_user()
    w = workshop(members=[trainee])
    attend(w, trainee, DAYS)
    assert services.issue_due(trainee.id) == [] and services.issue_for_workshop(w.id) == []


def test_attendance_recorded_after_the_course_issues_the_workshop_certificate(client, auth):
    facilitator = make_user(email="facilitator@example.org", role="facilitator", language="en")
    trainee = make_user()
    w = workshop(owner=facilitator, threshold=1, members=[trainee])
    complete_course(trainee)
    services.issue_due(trainee.id)
    assert scopes(trainee) == ["course"]
    auth.login("facilitator@example.org")
    response = client.post(f"/workshops/{w.id}/attendance/{DAYS[0].isoformat()}", data={"present": [str(trainee.id)]})
    assert response.status_code == 302
    assert scopes(trainee) == ["course", f"workshop:{w.id}"]
    # issued when attendance was recorded, dated the workshop's last day (the course was done before)
    cert = db.session.scalar(select(Certificate).where(Certificate.workshop_id == w.id))
    assert cert.completed_at == datetime.combine(w.end_date, time.min) and cert.issued_at > cert.completed_at


def test_the_workshop_certificate_names_the_workshop(client, auth):
    trainee = make_user(email="t@example.org", language="en")
    w = workshop(members=[trainee])
    attend(w, trainee, DAYS)
    complete_course(trainee)
    [cert] = [c for c in services.issue_due(trainee.id) if c.workshop_id]
    auth.login("t@example.org")
    page = client.get(f"/certificates/{display(cert.number)}").get_data(as_text=True)
    assert "as part of the workshop" in page
    assert "Atelier de Dakar, Dakar (Senegal), 9 March 2026 – 11 March 2026" in page
    assert client.get(f"/certificates/{display(cert.number)}/pdf").status_code == 200
    records = client.get("/records").get_data(as_text=True)
    assert "Atelier de Dakar" in records and "present" in records


def test_the_report_by_workshop_adds_up(client, auth):
    members = [make_user() for _ in range(5)]
    w = workshop(members=members)
    workshop(members=[make_user()], code="OLDOLD").start_date  # noqa: B018 - same dates, another workshop
    for n, user in enumerate(members):
        if n < 3:
            complete_course(user)
        if n < 2:
            attend(w, user, DAYS)
        services.issue_due(user.id)
    make_user(email="admin@example.org", role="admin", language="en")
    auth.login("admin@example.org")
    page = client.get("/admin/reports", query_string={"start": "2026-03-01", "end": "2026-03-31"}).get_data(as_text=True)
    assert "Atelier de Dakar (DKRABC), Dakar" in page
    response = client.get("/admin/reports/workshops.csv", query_string={"start": "2026-03-01", "end": "2026-03-31"})
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    # The country column holds a code (SN), and says so, as the completions file does.
    assert rows[0][3] == "Country code" and {r[3] for r in rows[1:3]} == {"SN"}
    by_code = {r[0]: r for r in rows[1:]}
    assert by_code["DKRABC"][6:] == ["5", "3", "2"]
    assert by_code["OLDOLD"][6:] == ["1", "0", "0"]
    *workshops, total, note = rows[1:]
    assert total[0] == "Total" and total[6:] == ["6", "3", "2"]
    assert [sum(int(r[n]) for r in workshops) for n in (6, 7, 8)] == [int(v) for v in total[6:]]
    assert note == ["Workshops are chosen by their dates; their trainees' completions are counted whenever "
                    "they happened, also outside these dates."]
    outside = client.get("/admin/reports/workshops.csv", query_string={"start": "2026-04-01", "end": "2026-04-30"})
    rows = list(csv.reader(io.StringIO(outside.data.decode("utf-8-sig"))))
    assert rows[1][0] == "Total" and rows[1][6:] == ["0", "0", "0"] and len(rows) == 3


def test_the_report_by_workshop_says_how_many_different_people_its_total_is(client, auth):
    both, first, second = make_user(), make_user(), make_user()
    workshop(members=[both, first])
    workshop(members=[both, second], code="SECOND")
    make_user(email="admin@example.org", role="admin", language="en")
    auth.login("admin@example.org")
    march = {"start": "2026-03-01", "end": "2026-03-31"}
    page = client.get("/admin/reports", query_string=march).get_data(as_text=True)
    assert "counts in each of their rows: 3 different trainees in all." in page
    rows = list(csv.reader(io.StringIO(client.get("/admin/reports/workshops.csv",
                                                  query_string=march).data.decode("utf-8-sig"))))
    total = next(r for r in rows if r[0] == "Total")
    assert total[6] == "4"  # the column still adds up
    assert rows[-1] == ["A trainee in several of these workshops counts in each of their rows: 3 different "
                        "trainees in all."]
    # Nobody in two workshops (test_the_report_by_workshop_adds_up): no such sentence.


def test_the_report_by_workshop_says_completions_are_counted_at_any_time(client, auth):
    workshop(members=[make_user()])
    make_user(email="admin@example.org", role="admin", language="en")
    make_user(email="admin-fr@example.org", role="admin", language="fr")
    march = {"start": "2026-03-01", "end": "2026-03-31"}
    auth.login("admin@example.org")
    page = client.get("/admin/reports", query_string=march).get_data(as_text=True)
    assert "their trainees&#39; completions are counted whenever they happened" in page
    auth.logout()
    auth.login("admin-fr@example.org")
    page = client.get("/admin/reports", query_string=march).get_data(as_text=True)
    assert "quelle que soit leur date" in page
    data = client.get("/admin/reports/workshops.csv", query_string=march).data.decode("utf-8-sig")
    assert "quelle que soit leur date" in data


def test_attended_days_are_valid_xapi_and_one_workshop_can_be_exported(app, runner):
    app.config["BASE_URL"] = "https://passerelle.example.org"
    inside, outside = make_user(), make_user()
    w = workshop(members=[inside])
    workshop(members=[outside], code="OTHERW")
    attend(w, inside, DAYS[:2])
    complete_course(inside)
    complete_course(outside)
    result = runner.invoke(args=["export-records", "--format", "xapi", "--workshop", "dkrabc"])
    assert result.exit_code == 0, result.output
    statements = json.loads(result.stdout)
    assert all(problems(s) == [] for s in statements)
    assert {s["actor"]["account"]["name"] for s in statements} == {str(inside.id)}
    attended = [s for s in statements if s["verb"]["id"].endswith("/attended")]
    assert [s["object"]["id"] for s in attended] == [
        f"https://passerelle.example.org/workshops/DKRABC/days/{d.isoformat()}" for d in DAYS[:2]]
    assert attended[0]["timestamp"] == "2026-03-09T00:00:00.000Z"


def test_her_data_download_lists_her_workshops_and_days(client, auth):
    trainee = make_user(email="t@example.org")
    w = workshop(members=[trainee])
    attend(w, trainee, DAYS[:1])
    auth.login("t@example.org")
    data = json.loads(client.get("/records/my-data.json").data)
    assert data["workshops"][0]["code"] == "DKRABC" and data["workshops"][0]["days_present"] == ["2026-03-09"]


def test_a_single_tick_that_completes_the_workshop_issues_the_certificate(client, auth):
    facilitator = make_user(email="facilitator@example.org", role="facilitator", language="en")
    trainee = make_user()
    w = workshop(owner=facilitator, members=[trainee])
    attend(w, trainee, DAYS[:2])
    complete_course(trainee)
    services.issue_due(trainee.id)
    auth.login("facilitator@example.org")
    url = f"/workshops/{w.id}/attendance/{DAYS[2].isoformat()}/mark"
    assert client.post(url, data={"user": str(trainee.id), "present": "1"}).status_code == 204
    assert scopes(trainee) == ["course", f"workshop:{w.id}"]
    client.post(url, data={"user": str(trainee.id), "present": "0"})   # unticking later keeps the certificate
    assert scopes(trainee) == ["course", f"workshop:{w.id}"]


def test_lowering_the_threshold_issues_the_certificates_now_earned(client, auth):
    facilitator = make_user(email="facilitator@example.org", role="facilitator", language="en")
    trainee = make_user()
    w = workshop(owner=facilitator, members=[trainee])
    attend(w, trainee, DAYS[:2])
    complete_course(trainee)
    services.issue_due(trainee.id)
    assert scopes(trainee) == ["course"]
    auth.login("facilitator@example.org")
    form = {"title": w.title, "city": w.city, "country": w.country, "start_date": DAYS[0].isoformat(),
            "end_date": DAYS[-1].isoformat(), "language": "fr", "lessons": ["first-steps", "second-steps"],
            "attendance_threshold": "2"}
    response = client.post(f"/workshops/{w.id}/edit", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert scopes(trainee) == ["course", f"workshop:{w.id}"]


def test_my_records_names_workshop_tests_as_such(client, auth):
    from ..records_builders import take_quiz
    trainee = make_user(email="t@example.org", language="en")
    w = workshop(members=[trainee])
    take_quiz(trainee, quiz=f"workshop-{w.id}-pre", score=0.5)
    take_quiz(trainee, quiz=f"workshop-{w.id}-post", score=0.9)
    auth.login("t@example.org")
    page = client.get("/records").get_data(as_text=True)
    assert "Pre-test" in page and "Post-test" in page and "Final assessment" not in page


def test_a_revoked_course_certificate_stops_workshop_certificates(app):
    from .workshop_helpers import signed_in
    admin = make_user(email="admin@example.org", role="admin", language="en")
    facilitator = make_user(email="facilitator@example.org", role="facilitator", language="en")
    trainee = make_user()
    w = workshop(owner=facilitator, members=[trainee])
    attend(w, trainee, DAYS[:2])
    complete_course(trainee)
    [course] = services.issue_due(trainee.id)
    response = signed_in(app, admin).post(f"/admin/certificates/{display(course.number)}",
                                          data={"reason": "Identity fraud"})
    assert response.status_code == 302
    tick = signed_in(app, facilitator).post(f"/workshops/{w.id}/attendance/{DAYS[2].isoformat()}/mark",
                                            data={"user": str(trainee.id), "present": "1"})
    assert tick.status_code == 204
    assert scopes(trainee) == ["course"]                        # no workshop certificate on a withdrawn course
    assert services.issue_due(trainee.id) == [] and services.issue_for_workshop(w.id) == []


def test_attendance_ticked_months_later_dates_the_certificate_on_the_last_day_attended(client, auth):
    trainee = make_user(email="t@example.org", language="en")
    w = workshop(members=[trainee])
    complete_course(trainee, at=datetime(2026, 3, 2, 10, 0))
    services.issue_due(trainee.id)
    attend(w, trainee, DAYS, at=datetime(2026, 11, 29, 18, 0))     # the facilitator caught up in November
    [cert] = services.issue_due(trainee.id)
    assert cert.completed_at == datetime(2026, 3, 11)
    auth.login("t@example.org")
    page = client.get(f"/certificates/{display(cert.number)}").get_data(as_text=True)
    assert "Completed on 11 March 2026" in page and "November" not in page
