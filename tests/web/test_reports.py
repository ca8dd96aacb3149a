"""Coordinator reports: completions by country x profession x month, totals that add up, CSV."""
import csv
import io
import random
from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import event

from webapp.certificates import services
from webapp.extensions import db
from webapp.records import erasure, reports

from ..factories import make_user
from ..records_builders import complete_course

pytestmark = pytest.mark.engine_sensitive  # aggregates, dates and case-folding are SQL

COUNTRIES, PROFESSIONS = ("SN", "MA", "FR"), ("police", "judge", "ngo")


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
        if counted and date(2026, 1, 1) <= at.date() <= date(2026, 4, 30):
            expected[(country, profession, at.strftime("%Y-%m"))] += 1
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
    assert f"{total} completions from January 1, 2026 to April 30, 2026" in page
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


def test_bad_ranges_are_refused_with_a_message(client, auth):
    _admin(client, auth)
    for query in ({"start": "2026-05-01", "end": "2026-04-01"}, {"start": "yesterday", "end": "2026-04-01"},
                  {"start": "", "end": ""}, {"start": "9999-12-30", "end": "9999-12-31"},
                  {"start": "0001-01-01", "end": "0001-01-02"}):
        response = client.get("/admin/reports", query_string=query)
        assert response.status_code == 400
        assert "Please correct the following" in response.get_data(as_text=True)
        assert client.get("/admin/reports/completions.csv", query_string=query).status_code == 400


def test_reports_are_for_admins_only(client, auth, trainee):
    assert client.get("/admin/reports").headers["Location"].startswith("/login")
    auth.login()
    assert client.get("/admin/reports").status_code == 403
    assert client.get("/admin/reports/completions.csv").status_code == 403


def test_default_range_is_the_last_twelve_months():
    assert reports.default_range(date(2026, 3, 15)) == (date(2025, 4, 1), date(2026, 3, 15))
    assert reports.months(date(2025, 11, 5), date(2026, 2, 1)) == ["2025-11", "2025-12", "2026-01", "2026-02"]
