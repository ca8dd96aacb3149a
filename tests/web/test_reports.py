"""Coordinator reports: completions by country x profession x month, totals that add up, CSV."""
import csv
import io
import random
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event

from webapp.certificates import services
from webapp.extensions import db
from webapp.records import erasure, reports

from ..factories import make_user
from ..records_builders import complete_course

pytestmark = pytest.mark.engine_sensitive  # aggregates, dates and case-folding are SQL

COUNTRIES, PROFESSIONS = ("SN", "MA", "FR"), ("police", "judge", "ngo")
ZONES = {"SN": "Africa/Dakar", "MA": "Africa/Casablanca", "FR": "Europe/Paris"}  # each country's, by hand


def local_day(at: datetime, country: str) -> date:
    """The day her certificate gives: ``at`` (UTC) where she lives."""
    return at.replace(tzinfo=timezone.utc).astimezone(ZoneInfo(ZONES[country])).date()


def generate(n=60, seed=7):
    """n trainees completing between 2025-11 and 2026-06, some revoked, one erased; the expected
    counts for the range 2026-01-01..2026-04-30, computed independently of the report code."""
    rng = random.Random(seed)
    expected = Counter()
    for i in range(n):
        country, profession = rng.choice(COUNTRIES), rng.choice(PROFESSIONS)
        user = make_user(country=country, profession=profession)
        at = datetime(2025, 11, 1) + timedelta(days=rng.randrange(0, 240), hours=rng.randrange(0, 24))
        complete_course(user, at=at)
        [cert] = services.issue_due(user.id)
        counted = True
        if i % 10 == 3:
            services.revoke(cert, by=None, reason="error")     # revoked by an admin: not a completion
            counted = False
        elif i % 10 == 5:
            erasure.erase_account(user)                        # deleted account: still counted, anonymously
        day = local_day(at, country)
        if counted and date(2026, 1, 1) <= day <= date(2026, 4, 30):
            expected[(country, profession, day.strftime("%Y-%m"))] += 1
    return expected


def test_report_cells_and_totals_match_generated_data(app):
    expected = generate()
    report = reports.completions(date(2026, 1, 1), date(2026, 4, 30))
    assert {(c.country, c.profession, c.month): c.count for c in report.cells} == dict(expected)
    assert report.total == sum(expected.values()) > 0
    for dimension in ("country", "profession", "month"):
        assert sum(count for _, count in report.by(dimension)) == report.total
    assert {m for m, _ in report.by("month")} <= {"2026-01", "2026-02", "2026-03", "2026-04"}


def test_the_report_is_one_aggregate_query(app):
    generate(n=20)
    statements = []
    listener = lambda conn, cursor, statement, *args: statements.append(statement)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        reports.completions(date(2025, 1, 1), date(2026, 12, 31))
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(statements) == 1 and "GROUP BY" in statements[0]


def test_range_ends_are_included(app):
    user = make_user()
    complete_course(user, at=datetime(2026, 2, 28, 23, 59))
    services.issue_due(user.id)
    assert reports.completions(date(2026, 2, 28), date(2026, 2, 28)).total == 1
    assert reports.completions(date(2026, 3, 1), date(2026, 3, 31)).total == 0


def test_months_follow_the_trainees_own_calendar_as_her_certificate_does(client, auth):
    """Just after midnight on 1 March in Lagos (UTC+1) is still 28 February in UTC; late on 31 March
    in Cape Verde (UTC-1) is already 1 April in UTC. Both are March completions, as their certificates
    say, on the page, in its CSV and for a range that ends on 31 March."""
    lagos, praia = make_user(country="NG"), make_user(country="CV")
    complete_course(lagos, at=datetime(2026, 2, 28, 23, 30))   # 1 March, 00:30 in Lagos
    complete_course(praia, at=datetime(2026, 4, 1, 0, 30))     # 31 March, 23:30 in Praia
    for user in (lagos, praia):
        services.issue_due(user.id)
    lagos.time_zone = "America/Los_Angeles"  # she moves afterwards: her completion stays in March
    db.session.commit()
    march = reports.completions(date(2026, 3, 1), date(2026, 3, 31))
    assert march.total == 2 and march.by("month") == [("2026-03", 2)]
    assert reports.completions(date(2026, 2, 1), date(2026, 2, 28)).total == 0
    assert reports.completions(date(2026, 4, 1), date(2026, 4, 30)).total == 0
    _admin(client, auth)
    rows = list(csv.reader(io.StringIO(client.get(
        "/admin/reports/completions.csv", query_string={"start": "2026-02-01", "end": "2026-04-30"}
    ).data.decode("utf-8-sig"))))
    assert sorted((r[0], r[4], r[5]) for r in rows[1:-1]) == [("CV", "2026-03", "1"), ("NG", "2026-03", "1")]
    page = client.get("/admin/reports", query_string={"start": "2026-02-01", "end": "2026-04-30"}).get_data(
        as_text=True)
    assert "Dates and months are those on each trainee’s certificate" in page
    by_month = page.split("By month", 1)[1].split("</table>", 1)[0]
    assert "March 2026" in by_month and "February 2026" not in by_month and "April 2026" not in by_month


def _admin(client, auth):
    make_user(email="admin@example.org", role="admin", language="en")
    auth.login("admin@example.org")


def test_admin_sees_the_report_page_with_totals(client, auth):
    expected = generate(n=30)
    _admin(client, auth)
    response = client.get("/admin/reports", query_string={"start": "2026-01-01", "end": "2026-04-30"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    total = sum(expected.values())
    assert f"{total} completions from 1 January 2026 to 30 April 2026" in page
    assert "Senegal" in page and "Police or gendarmerie" in page and "February 2026" in page
    assert client.get("/admin/reports").status_code == 200      # default: the last twelve months


def test_the_csv_export_adds_up_and_opens_in_a_spreadsheet(client, auth):
    expected = generate(n=30)
    _admin(client, auth)
    response = client.get("/admin/reports/completions.csv", query_string={"start": "2026-01-01", "end": "2026-04-30"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    header, body, total = rows[0], rows[1:-1], rows[-1]
    assert header[:2] == ["Country code", "Country"] and header[-1] == "Completions"
    assert sum(int(r[-1]) for r in body) == int(total[-1]) == sum(expected.values())
    assert {(r[0], r[2], r[4]): int(r[5]) for r in body} == dict(expected)


def test_a_french_coordinator_gets_semicolons_for_her_spreadsheet_and_the_same_totals(client, auth):
    expected = generate(n=12)
    make_user(email="admin@example.org", role="admin", language="fr")
    auth.login("admin@example.org")
    data = client.get("/admin/reports/completions.csv",
                      query_string={"start": "2026-01-01", "end": "2026-04-30"}).data.decode("utf-8-sig")
    assert data.startswith("Code pays;Pays;")
    rows = list(csv.reader(io.StringIO(data), delimiter=";"))
    assert int(rows[-1][-1]) == sum(int(r[-1]) for r in rows[1:-1]) == sum(expected.values())
    assert "Sénégal" in data


def test_report_files_are_named_in_the_coordinators_language_with_iso_dates(client, auth):
    make_user(email="admin@example.org", role="admin", language="fr")
    make_user(email="admin-en@example.org", role="admin", language="en")
    dates = {"start": "2026-01-01", "end": "2026-04-30"}

    def names(email):
        auth.login(email)
        found = [client.get(f"/admin/reports/{report}.csv", query_string=dates).headers["Content-Disposition"]
                 for report in ("completions", "workshops", "outcomes")]
        auth.logout()
        return found

    assert names("admin@example.org") == [f'attachment; filename="{name}-2026-01-01-2026-04-30.csv"'
                                          for name in ("reussites", "ateliers", "resultats")]
    assert names("admin-en@example.org") == [f'attachment; filename="{name}-2026-01-01-2026-04-30.csv"'
                                             for name in ("completions", "workshops", "outcomes")]


def test_bad_ranges_are_refused_with_a_message(client, auth):
    _admin(client, auth)
    for query in ({"start": "2026-05-01", "end": "2026-04-01"}, {"start": "yesterday", "end": "2026-04-01"},
                  {"start": "", "end": ""}, {"start": "9999-12-30", "end": "9999-12-31"},
                  {"start": "0001-01-01", "end": "0001-01-02"}):
        response = client.get("/admin/reports", query_string=query)
        assert response.status_code == 400
        assert "Please correct the following" in response.get_data(as_text=True)
        assert client.get("/admin/reports/completions.csv", query_string=query).status_code == 400
    # Corrected on a download's error page, the dates show the report, not a file named .csv.
    for download in ("completions", "workshops", "outcomes"):
        page = client.get(f"/admin/reports/{download}.csv", query_string={"start": "2026-05-01", "end": "2026-04-01"})
        assert page.status_code == 400 and 'action="/admin/reports"' in page.get_data(as_text=True)


def test_a_link_with_other_parameters_shows_the_last_twelve_months(client, auth):
    """A link to the report forwarded by email picks up tracking parameters: they ask for no range."""
    _admin(client, auth)
    for path in ("/admin/reports", "/admin/reports/completions.csv", "/admin/reports/workshops.csv",
                 "/admin/reports/outcomes.csv"):
        plain = client.get(path)
        tracked = client.get(path, query_string={"utm_source": "newsletter", "foo": "bar"})
        assert plain.status_code == tracked.status_code == 200
        if path == "/admin/reports":
            assert "Please correct the following" not in tracked.get_data(as_text=True)
        else:
            assert tracked.get_data() == plain.get_data()


def test_reports_are_for_admins_only(client, auth, trainee):
    assert client.get("/admin/reports").headers["Location"].startswith("/login")
    auth.login()
    assert client.get("/admin/reports").status_code == 403
    assert client.get("/admin/reports/completions.csv").status_code == 403


def test_default_range_is_the_last_twelve_months():
    assert reports.default_range(date(2026, 3, 15)) == (date(2025, 4, 1), date(2026, 3, 15))
    assert reports.months(date(2025, 11, 5), date(2026, 2, 1)) == ["2025-11", "2025-12", "2026-01", "2026-02"]


# Outcomes of the workshops, by country and profession ----------------------------------------------

def _workshop_cohort(owner, start, people):
    """A workshop starting ``start`` with ``people``: (country, profession, pre, post, final, course)
    where pre/post are test scores or None, final is None / True (passed) / False (failed)."""
    from webapp.models import LessonProgress

    from ..factories import join_workshop, make_workshop
    from ..records_builders import take_quiz
    workshop = make_workshop(owner, start=start)
    for country, profession, pre, post, final, course in people:
        user = make_user(country=country, profession=profession)
        join_workshop(workshop, user)
        at = datetime.combine(start, datetime.min.time()) + timedelta(hours=9)
        if pre is not None:
            take_quiz(user, quiz=f"workshop-{workshop.id}-pre", score=pre, pass_mark=0.0, at=at)
        if post is not None:
            take_quiz(user, quiz=f"workshop-{workshop.id}-post", score=post, pass_mark=0.0, at=at + timedelta(days=1))
        if course:
            complete_course(user, at=at + timedelta(days=2))
            services.issue_due(user.id)
        elif final is not None:
            db.session.add(LessonProgress(user_id=user.id, lesson_slug="first-steps"))
            db.session.commit()
            take_quiz(user, score=0.9 if final else 0.3, at=at + timedelta(days=2))
    return workshop


def test_outcomes_by_country_and_profession_with_the_small_numbers_caution(app):
    from webapp.records import outcomes
    owner = make_user(role="facilitator")
    # Senegal: 12 police officers, each with both tests (+20 points), 10 completed, 2 failed the final.
    _workshop_cohort(owner, date(2026, 3, 2), [("SN", "police", 0.5, 0.7, True, n < 10) for n in range(12)])
    # Morocco: 3 judges: one completed, one failed the final, one enrolled only; gains +40 and -10.
    _workshop_cohort(owner, date(2026, 3, 16), [("MA", "judge", 0.2, 0.6, True, True),
                                                ("MA", "judge", 0.5, 0.4, False, False),
                                                ("MA", "judge", None, None, None, False)])
    _workshop_cohort(owner, date(2025, 6, 2), [("FR", "ngo", 0.1, 0.9, True, True)])  # outside the range
    found = outcomes.outcomes(date(2026, 1, 1), date(2026, 4, 30))
    sn, ma = found.by_country
    assert (sn.key, sn.enrolled, sn.in_progress, sn.completed, sn.final_sat, sn.final_passed) == ("SN", 12, 2, 10, 12, 12)
    assert round(sn.gain, 4) == 0.2 and len(sn.gains) == 12 and not sn.gain_indicative and not sn.pass_rate_indicative
    assert (ma.key, ma.enrolled, ma.in_progress, ma.completed, ma.final_sat, ma.final_passed) == ("MA", 3, 1, 1, 2, 1)
    assert ma.pass_rate == 0.5 and round(ma.gain, 4) == 0.15 and ma.gain_indicative and ma.pass_rate_indicative
    assert [p.key for p in found.by_profession] == ["police", "judge"]
    assert found.total.enrolled == 15 and found.total.completed == 11 and len(found.total.gains) == 14


def test_the_report_page_and_csv_show_the_outcomes_and_say_when_they_are_only_indicative(client, auth):
    owner = make_user(role="facilitator")
    _workshop_cohort(owner, date(2026, 3, 16), [("MA", "judge", 0.2, 0.6, True, True),
                                                ("MA", "judge", 0.5, 0.4, False, False)])
    _admin(client, auth)
    page = client.get("/admin/reports?start=2026-01-01&end=2026-04-30").get_data(as_text=True)
    section = page[page.index('id="outcomes"'):]
    assert "Trainees of these workshops" in section and "Morocco" in section and "Judge" in section
    assert "50 %" in section and "+15 points" in section and "only indicative" in section
    assert "fewer than 10 people is only indicative" in section
    response = client.get("/admin/reports/outcomes.csv?start=2026-01-01&end=2026-04-30")
    assert response.headers["Cache-Control"] == "no-store"
    header, *rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    morocco = dict(zip(header, next(r for r in rows if r[1] == "MA")))
    assert (morocco["Enrolled"], morocco["Completed the course"], morocco["Final assessment pass rate (%)"],
            morocco["Knowledge gain (points)"], morocco["Only indicative"]) == ("2", "1", "50", "15", "yes")
    assert client.get("/admin/reports/outcomes.csv?start=2026-05-01&end=2026-01-01").status_code == 400
