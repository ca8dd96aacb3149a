"""The roster a facilitator reports from: pre- and post-test, knowledge gain, the final assessment,
the workshop certificate, lessons and attendance; and a CSV with the same columns."""
import csv
import io
import re
from datetime import datetime

from webapp.certificates import services as certificates
from webapp.extensions import db
from webapp.models import AttendanceMark

from ..factories import join_workshop, make_user, make_workshop
from ..records_builders import complete_course, take_quiz
from .workshop_helpers import signed_in, text

COLUMNS = ["Trainee", "Organisation", "Pre-test", "Post-test", "Knowledge gain", "Final assessment",
           "Workshop certificate", "Lessons done", "Days present"]


def _cells(page: str, name: str) -> list[str]:
    """The text of the roster row of ``name``: its header cell, then each data cell."""
    row = re.search(r"<tr>\s*<th scope=\"row\">[^<]*" + re.escape(name) + r".*?</tr>", page, re.S).group(0)
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip() for c in cells]


def _graduate_and_learner(app):
    owner = make_user(role="facilitator", language="en")
    workshop = make_workshop(owner)
    awa = make_user(name="Awa Ndiaye", organisation="Direction générale de la police nationale")
    ben = make_user(name="Ben Sow")
    join_workshop(workshop, awa, ben)
    take_quiz(awa, quiz=f"workshop-{workshop.id}-pre", score=0.4, pass_mark=0.0, at=datetime(2026, 3, 24, 9))
    take_quiz(awa, quiz=f"workshop-{workshop.id}-post", score=0.9, pass_mark=0.0, at=datetime(2026, 3, 25, 16))
    take_quiz(ben, quiz=f"workshop-{workshop.id}-pre", score=0.6, pass_mark=0.0, at=datetime(2026, 3, 24, 9))
    take_quiz(ben, score=0.5, at=datetime(2026, 3, 25, 17))  # a failed final
    db.session.add_all(AttendanceMark(workshop_id=workshop.id, user_id=awa.id, day=day) for day in workshop.days)
    db.session.commit()
    complete_course(awa, datetime(2026, 3, 25, 18))  # every lesson, and a passed final
    certificates.issue_due(awa.id)
    return owner, workshop


def test_the_roster_shows_tests_gain_final_certificate_lessons_and_attendance(app):
    owner, workshop = _graduate_and_learner(app)
    page = text(signed_in(app, owner).get(f"/workshops/{workshop.id}/roster"))
    headings = re.findall(r'<th scope="col"[^>]*>\s*<a [^>]*>([^<▲▼]*)', page)
    assert [h.strip() for h in headings] == COLUMNS
    assert _cells(page, "Awa Ndiaye")[1:] == [
        "Direction générale de la police nationale", "40 %", "90 %", "+50", "Passed 90 %", "Issued", "2/2", "2/2"]
    assert _cells(page, "Ben Sow")[1:] == [
        "Police nationale", "60 %", "—", "—", "Not passed yet 50 %", "Not yet", "0/2", "0/2"]


def test_the_roster_sorts_by_knowledge_gain_and_final_result(app):
    owner, workshop = _graduate_and_learner(app)
    client = signed_in(app, owner)
    page = text(client.get(f"/workshops/{workshop.id}/roster?sort=gain&dir=desc"))
    assert page.index("Awa Ndiaye") < page.index("Ben Sow")
    page = text(client.get(f"/workshops/{workshop.id}/roster?sort=final&dir=asc"))
    assert page.index("Ben Sow") < page.index("Awa Ndiaye")


def test_the_roster_csv_starts_with_the_pages_columns_and_keeps_figures_as_numbers(app):
    owner, workshop = _graduate_and_learner(app)
    ben = next(m for m in workshop_members(workshop) if m.name == "Ben Sow")
    take_quiz(ben, quiz=f"workshop-{workshop.id}-post", score=0.35, pass_mark=0.0, at=datetime(2026, 3, 25, 16))
    body = signed_in(app, owner).get(f"/workshops/{workshop.id}/roster.csv").data.decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(body)))
    assert header[:len(COLUMNS)] == COLUMNS
    by_name = {row[0]: dict(zip(header, row)) for row in rows}
    awa, ben = by_name["Awa Ndiaye"], by_name["Ben Sow"]
    assert (awa["Pre-test"], awa["Post-test"], awa["Knowledge gain"], awa["Final assessment"]) == ("40", "90", "50", "Passed")
    assert (awa["Workshop certificate"], awa["Lessons done"], awa["Days present"]) == ("Issued", "2", "2")
    assert ben["Knowledge gain"] == "-25"  # a number a spreadsheet can average, not the text "'-25"
    assert ben["Final assessment"] == "Not passed yet" and ben["Workshop certificate"] == "Not yet"
    assert ben["Pre-test on paper"] == "no"


def workshop_members(workshop):
    from webapp.workshops import services
    return services.members(workshop.id)
