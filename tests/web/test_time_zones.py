"""Times are shown in the reader's time zone, named: her choice on the account page, else her
country's (Morocco is UTC+1; a country with several zones gets its capital's). Exports stay UTC."""
import json
from datetime import datetime

import pycountry
import pytest

from webapp import zones
from webapp.extensions import db

from ..factories import make_user
from ..records_builders import take_quiz
from .workshop_helpers import signed_in, text

pytestmark = pytest.mark.engine_sensitive  # datetimes round-trip through each engine

EN = {"Accept-Language": "en"}
DECEMBER_10_UTC = datetime(2026, 12, 4, 10, 0)


def _quiz_page(client):
    return text(client.get("/quizzes/first-steps", headers=EN))


def test_a_trainee_in_morocco_sees_times_at_utc_plus_one_with_the_zone_named(app):
    user = make_user(country="MA", language="en")
    take_quiz(user, quiz="first-steps", score=0.5, at=DECEMBER_10_UTC)
    page = _quiz_page(signed_in(app, user))
    assert "4 Dec 2026, 11:00 (Casablanca, UTC+1)" in page and "10:00" not in page


def test_english_times_read_a_24_hour_clock_morning_and_afternoon(app):
    """The readers are in Europe and Africa: "15:45", not CLDR's American "3:45 PM"."""
    user = make_user(country="MA", language="en")
    take_quiz(user, quiz="first-steps", score=0.5, at=datetime(2026, 12, 4, 8, 30))
    take_quiz(user, quiz="first-steps", score=0.5, at=datetime(2026, 12, 4, 14, 45))
    page = _quiz_page(signed_in(app, user))
    assert "4 Dec 2026, 09:30 (Casablanca, UTC+1)" in page and "4 Dec 2026, 15:45 (Casablanca, UTC+1)" in page
    assert " AM" not in page and " PM" not in page and "\u202f" not in page


def test_she_chooses_another_zone_on_her_account_page(app):
    user = make_user(country="MA", language="en")
    take_quiz(user, quiz="first-steps", score=0.5, at=DECEMBER_10_UTC)
    client = signed_in(app, user)
    account = text(client.get("/account", headers=EN))
    assert "The zone of my country (Africa/Casablanca)" in account and 'value="America/New_York"' in account
    form = {"name": user.name, "organisation": "Police", "country": "MA", "profession": "police", "language": "en",
            "time_zone": "America/New_York"}
    assert client.post("/account", data=form).status_code == 302
    assert "4 Dec 2026, 05:00 (New York, UTC-5)" in _quiz_page(client)
    refused = client.post("/account", data=dict(form, time_zone="Mars/Olympus_Mons"), headers=EN)
    assert refused.status_code == 400 and "Not a valid choice" in text(refused)
    db.session.refresh(user)
    assert user.time_zone == "America/New_York"


def test_every_country_has_a_zone_and_a_country_with_several_gets_its_capitals():
    missing = {c.alpha_2 for c in pycountry.countries} - set(zones.COUNTRY_ZONES)
    assert missing <= {"BV", "HM"}  # uninhabited islands: UTC
    assert zones.zone_for_country("RU") == "Europe/Moscow"
    assert zones.zone_for_country("US") == "America/New_York"
    assert zones.zone_for_country("ES") == "Europe/Madrid"
    assert zones.zone_for_country("CD") == "Africa/Kinshasa"
    assert zones.zone_for_country("") == "UTC"
    assert all(zones.is_zone(zone) for zone in zones.COUNTRY_ZONES.values())


def test_offsets_are_named_as_people_say_them():
    assert zones.offset_label(DECEMBER_10_UTC, "Africa/Casablanca") == "UTC+1"
    assert zones.offset_label(DECEMBER_10_UTC, "Asia/Kolkata") == "UTC+5:30"
    assert zones.offset_label(DECEMBER_10_UTC, "UTC") == "UTC"
    assert zones.place_label("America/Argentina/Buenos_Aires") == "Buenos Aires"


def test_dates_are_those_of_the_readers_zone(app):
    from webapp.certificates import services

    from ..records_builders import complete_course
    user = make_user(country="US", language="en")  # New York, UTC-5 in March
    complete_course(user, at=datetime(2026, 3, 10, 2, 0))   # 9 March, 21:00 in New York
    services.issue_due(user.id)
    page = text(signed_in(app, user).get("/records", headers=EN))
    certificates = page.split('id="certificates"', 1)[1].split('id="lessons"', 1)[0]
    assert "9 March 2026" in certificates and "10 March 2026" not in certificates


def test_a_certificate_gives_one_date_whoever_reads_or_verifies_it(app):
    """Dated in its holder's zone: the paper, the public page, the QR statement and the credential check
    agree, whether an employer, an administrator or nobody signed in reads them."""
    from webapp.certificates import services
    from webapp.certificates.numbers import display
    from webapp.credentials import issuing
    from webapp.models import Certificate

    from ..records_builders import complete_course
    holder = make_user(country="US", language="en")  # New York, UTC-5 in March
    complete_course(holder, at=datetime(2026, 3, 10, 2, 0))   # 9 March, 21:00 in New York
    [cert] = services.issue_due(holder.id)
    number = display(cert.number)
    admin = make_user(country="SN", language="en", role="admin")  # Dakar, UTC
    for reader in (holder, admin):
        paper = text(signed_in(app, reader).get(f"/certificates/{number}", headers=EN))
        assert "Completed on 9 March 2026" in paper, reader.role
    # The administrator an employer calls sees the paper's date too, in the list and on its page.
    as_admin = signed_in(app, admin)
    assert "9 Mar 2026" in text(as_admin.get("/admin/certificates", headers=EN))
    detail = text(as_admin.get(f"/admin/certificates/{number}", headers=EN))
    assert "9 March 2026" in detail and "10 March" not in detail
    credential = signed_in(app, holder).get(f"/certificates/{number}/credential").get_data(as_text=True)
    anonymous = app.test_client()
    public = text(anonymous.get(f"/verify/{number}", headers=EN))
    assert "9 March 2026" in public and "10 March" not in public
    employer = make_user(country="JP", language="en")  # Tokyo, UTC+9: already 10 March there
    assert "9 March 2026" in text(signed_in(app, employer).get(f"/verify/{number}", headers=EN))
    checked = text(anonymous.post("/verify/credential", data={"text": credential}, headers=EN))
    assert "9 March 2026" in checked and "10 March" not in checked
    with app.test_request_context():
        statement = issuing.signed_statement(db.session.get(Certificate, cert.id))
    from webapp.credentials import verification
    assert verification.check(statement).claims["d"] == "2026-03-09"


def test_a_certificate_keeps_its_date_when_its_holder_picks_another_zone(app):
    """The date is the one of the day she earned it, where she was then: a zone she picks later moves
    nothing, neither on the page, the PDF she printed, the public check nor her data download."""
    from webapp.certificates import services
    from webapp.certificates.numbers import display

    from ..pdf_text import read
    from ..records_builders import complete_course
    holder = make_user(country="US", language="en")  # New York, UTC-5 in March
    complete_course(holder, at=datetime(2026, 3, 10, 2, 0))   # 9 March, 21:00 in New York
    [cert] = services.issue_due(holder.id)
    number = display(cert.number)
    holder.time_zone = "Asia/Tokyo"  # she moves: it is already 10 March, 11:00 there
    db.session.commit()
    client = signed_in(app, holder)
    assert "Completed on 9 March 2026" in text(client.get(f"/certificates/{number}", headers=EN))
    pdf = read(client.get(f"/certificates/{number}/pdf", headers=EN).data)
    assert "Completed on 9 March 2026" in [line.text for line in pdf.lines]
    mine = text(client.get("/records", headers=EN))
    assert "9 March 2026" in mine and "10 March 2026" not in mine
    [kept] = json.loads(client.get("/records/my-data.json").data)["certificates"]
    assert kept["completed_on"] == "2026-03-09"
    public = text(app.test_client().get(f"/verify/{number}", headers=EN))
    assert "9 March 2026" in public and "March 10" not in public


def test_a_reader_without_a_country_sees_utc_named_once(app):
    user = make_user(country="", language="en")
    take_quiz(user, quiz="first-steps", score=0.5, at=DECEMBER_10_UTC)
    page = _quiz_page(signed_in(app, user))
    assert "4 Dec 2026, 10:00 (UTC)" in page and "UTC, UTC" not in page


def test_the_first_of_a_month_is_written_1er_in_french(app):
    admin = make_user(role="admin", language="fr")
    page = text(signed_in(app, admin).get("/admin/reports?start=2030-01-01&end=2030-12-31"))
    assert "1er janvier 2030" in page and "du 1 janvier" not in page
    assert "31 décembre 2030" in page  # other days unchanged
    english = text(signed_in(app, make_user(role="admin", language="en")).get(
        "/admin/reports?start=2030-01-01&end=2030-12-31"))
    assert "1 January 2030" in english


def test_english_dates_put_the_day_first_as_british_english_does(app):
    """Long, full, medium and short: day, month, year in English; French is unchanged."""
    from datetime import date

    from flask_babel import force_locale
    day = date(2026, 12, 6)
    with app.test_request_context(), force_locale("en"):
        assert zones.local_date(day, "long") == "6 December 2026"
        assert zones.local_date(day, "full") == "Sunday, 6 December 2026"
        assert zones.local_date(day) == "6 Dec 2026"
        assert zones.local_date(day, "short") == "06/12/2026"
        assert zones.local_time(DECEMBER_10_UTC).startswith("4 December 2026, ")
    with app.test_request_context(), force_locale("fr"):
        assert zones.local_date(day, "long") == "6 décembre 2026"
        assert zones.local_date(date(2026, 12, 1), "long") == "1er décembre 2026"
