"""Long addresses and names on a 360 px phone: an ordinary government email, or a name and an
organisation typed without a space (the form allows 120 and 160 characters), wrap instead of making
the page scroll sideways, wherever the site prints them."""
import pytest
from sqlalchemy import select

from tests.factories import join_workshop, make_user, make_workshop
from tests.records_builders import complete_course
from webapp.certificates import services as certificates
from webapp.extensions import db
from webapp.models import User

from .site import sign_in

pytestmark = pytest.mark.browser

PHONE = 360
EMAIL = "brigade.de.recherches.thies@gendarmerie.gouv.sn"
NAME = "AïssatouNdiaye" * 8                           # 112 characters, no place to break
ORGANISATION = ("BrigadeDesMineursDeThiès" * 5)[:112]
PASSWORD = "une phrase assez longue"


def _widths(page, base: str, paths) -> dict:
    """How wide each page is laid out at the phone's width (its scrollWidth)."""
    widths = {}
    for path in paths:
        response = page.goto(base + path)
        assert response.status == 200, path
        widths[path] = page.evaluate("document.documentElement.scrollWidth")
    return widths


def test_long_emails_names_and_organisations_wrap_on_a_phone(browser, live_server):
    base, app = live_server
    trainee = browser.new_context(viewport={"width": PHONE, "height": 740}, is_mobile=True)
    page = trainee.new_page()
    page.goto(base + "/register")
    for field, value in {"name": NAME, "email": EMAIL, "password": PASSWORD, "confirm": PASSWORD,
                         "organisation": ORGANISATION}.items():
        page.fill(f"#{field}", value)
    page.select_option("#country", "SN")
    page.select_option("#profession", "police")
    page.select_option("#language", "en")
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url(base + "/")
    # right after registering, the greeting names her
    assert NAME in page.locator("main").inner_text()
    widths = {"registered /": page.evaluate("document.documentElement.scrollWidth")}

    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == EMAIL))
        owner = make_user(email="fatou@example.org", name=NAME[::-1], role="facilitator", language="en",
                          organisation=ORGANISATION)
        admin = make_user(email="awa@example.org", role="admin", language="en")
        workshop = make_workshop(owner, title="Atelier" * 16)
        join_workshop(workshop, user)
        complete_course(user)
        number = certificates.issue_due(user.id)[0].number
        ids = {"trainee": user.get_id(), "facilitator": owner.get_id(), "admin": admin.get_id()}
        ws, day = f"/workshops/{workshop.id}", workshop.start_date.isoformat()
        db.session.remove()
    pages = {
        "trainee": ["/", "/account", "/progress", "/records", "/workshops", ws, f"{ws}/pack",
                    f"/certificates/{number}", f"/verify/{number}"],
        "facilitator": [ws, f"{ws}/attendance", f"{ws}/attendance/{day}", f"{ws}/attendance/{day}/everyone",
                        f"{ws}/roster", f"{ws}/people", f"{ws}/tests", f"{ws}/slips", f"{ws}/pack"],
        "admin": ["/admin/users", "/admin/reports", "/admin/certificates", f"/admin/certificates/{number}"],
    }
    for who, paths in pages.items():
        context = trainee if who == "trainee" else browser.new_context(
            viewport={"width": PHONE, "height": 740}, is_mobile=True)
        if who != "trainee":
            sign_in(context, base, app, ids[who])
        widths.update({f"{who} {path}": width for path, width in _widths(context.new_page(), base, paths).items()})
        context.close()
    assert {where: width for where, width in widths.items() if width > PHONE} == {}
