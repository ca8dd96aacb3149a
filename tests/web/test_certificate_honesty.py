"""What certificates say to whoever reads them: the workshop a workshop certificate is for, the
holder's other certificates when one is revoked, the reason given to the holder, and "Deleted
account" wherever a trainee who deleted her account still counts."""
import pytest
from sqlalchemy import select

from webapp.certificates import services
from webapp.certificates.numbers import display
from webapp.extensions import db
from webapp.models import AttendanceMark, Certificate
from webapp.records import erasure

from ..factories import join_workshop, make_user, make_workshop
from ..records_builders import complete_course
from .workshop_helpers import signed_in, text

pytestmark = pytest.mark.engine_sensitive  # certificates are issued once under constraints

EN = {"Accept-Language": "en"}


def _workshop_graduate(app, name="Aminata Touré"):
    """A trainee who completed the course and a past two-day workshop in Dakar (24-25 March 2026)."""
    owner = make_user(role="facilitator", language="en", email="owner@example.org")
    workshop = make_workshop(owner, title="Atelier de Dakar sur la traite")
    trainee = make_user(name=name, language="en", email="aminata@example.org")
    join_workshop(workshop, trainee)
    db.session.add_all(AttendanceMark(workshop_id=workshop.id, user_id=trainee.id, day=day) for day in workshop.days)
    db.session.commit()
    complete_course(trainee)
    issued = services.issue_due(trainee.id)
    course = next(c for c in issued if c.workshop_id is None)
    own = next(c for c in issued if c.workshop_id == workshop.id)
    return workshop, trainee, course, own


def test_the_verification_page_of_a_workshop_certificate_names_the_workshop(app, client):
    workshop, _trainee, _course, own = _workshop_graduate(app)
    page = text(client.get(f"/verify/{display(own.number)}", headers=EN))
    assert "Workshop" in page and "Atelier de Dakar sur la traite, Dakar (Senegal), 24 March 2026 – 25 March 2026" in page


def test_revoking_a_certificate_shows_the_holders_other_certificates_and_she_sees_the_reason(app):
    _workshop, trainee, course, own = _workshop_graduate(app)
    admin = signed_in(app, make_user(role="admin", email="admin@example.org", language="en"))
    response = admin.post(f"/admin/certificates/{display(course.number)}",
                          data={"reason": "The final assessment was taken by someone else."}, follow_redirects=True)
    page = text(response)
    assert "Other certificates of this holder" in page
    assert f'/admin/certificates/{display(own.number)}"' in page and "Atelier de Dakar sur la traite" in page
    mine = text(signed_in(app, trainee).get("/records", headers=EN))
    assert "Revoked" in mine and "reason: The final assessment was taken by someone else." in mine


def test_a_deleted_trainee_shows_as_deleted_account_wherever_she_still_counts(app, client):
    workshop, trainee, course, _own = _workshop_graduate(app, name="Aminata Touré")
    erasure.erase_account(trainee)
    facilitator = signed_in(app, workshop.owner)
    pages = {
        "roster": f"/workshops/{workshop.id}/roster",
        "who joined": f"/workshops/{workshop.id}/people",
        "attendance": f"/workshops/{workshop.id}/attendance/{workshop.start_date.isoformat()}",
        "roster CSV": f"/workshops/{workshop.id}/roster.csv",
    }
    for what, url in pages.items():
        body = text(facilitator.get(url, headers=EN))
        assert "Deleted account" in body and "anonymous-" not in body, what
    verify = text(client.get(f"/verify/{display(course.number)}", headers=EN))
    assert "Deleted account" in verify and "Aminata" not in verify
    admin = signed_in(app, make_user(role="admin", email="admin@example.org", language="en"))
    users = text(admin.get("/admin/users", headers=EN))
    assert "Deleted account" in users and "anonymous-" not in users
    assert db.session.scalar(select(Certificate.holder_name).where(Certificate.id == course.id)) == ""


def test_an_english_certificate_puts_the_day_before_the_month_on_the_page_and_the_pdf(app):
    """The course's readers are in Europe and Africa: "25 March 2026", as en_GB writes it, never the
    American "March 25, 2026", in the certificate's own date and in its workshop's dates."""
    from ..pdf_text import read

    _workshop, trainee, _course, own = _workshop_graduate(app)
    holder = signed_in(app, trainee)
    number = display(own.number)
    page = text(holder.get(f"/certificates/{number}", headers=EN))
    assert "Completed on 25 March 2026" in page
    assert "Dakar (Senegal), 24 March 2026 – 25 March 2026" in page and "March 24," not in page
    printed = " ".join(line.text for line in read(holder.get(f"/certificates/{number}/pdf").data).lines)
    assert "Completed on 25 March 2026" in printed and "March 25," not in printed
