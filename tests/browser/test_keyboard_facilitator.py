"""The facilitator's journey with the keyboard only (Tab, Shift+Tab, Enter, Space, arrows, typing; no
mouse and no address bar after the first page): sign in, create a workshop, read its join code, ask a
live question then close and reveal it, take attendance, sort the roster, remove a trainee and make a
new join code. Every element that takes the focus shows it (an outline or a box shadow)."""

import pytest
from sqlalchemy import select

from tests.factories import join_workshop, make_user
from webapp.extensions import db
from webapp.models import AttendanceMark, LiveQuestion, User, Workshop
from webapp.workshops import services as workshops

pytestmark = pytest.mark.browser

FOCUSED = """() => { const e = document.activeElement; const s = getComputedStyle(e);
  return {tag: e.tagName, id: e.id, type: e.type || '', name: e.name || '', value: e.value || '',
          text: (e.innerText || e.value || '').trim().replace(/\\s+/g, ' '),
          current: e.getAttribute('aria-current') || '',
          visible: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'}; }"""


class Keyboard:
    def __init__(self, page):
        self.page, self.unmarked, self.seen = page, set(), 0

    def focused(self) -> dict:
        return self.page.evaluate(FOCUSED)

    def press(self, key: str) -> dict:
        """Press a key and note the newly focused element if its focus cannot be seen."""
        self.page.keyboard.press(key)
        element = self.focused()
        if element["tag"] != "BODY":
            self.seen += 1
            if not element["visible"]:
                self.unmarked.add(f"{self.page.url} {element['tag']} {element['id'] or element['text'][:40]}")
        return element

    def tab_to(self, match, limit: int = 120, key: str = "Tab") -> dict:
        """Tab (or Shift+Tab) until the focused element satisfies ``match`` (a dict -> bool)."""
        for _ in range(limit):
            element = self.press(key)
            if match(element):
                return element
        raise AssertionError(f"{key} never reached the element on {self.page.url}")

    def activate(self, text: str, tag: str | None = None, key: str = "Tab") -> None:
        """Tab to the link or button whose text starts with ``text``, press Enter, wait for the page."""
        self.tab_to(lambda e: e["text"].startswith(text) and (tag is None or e["tag"] == tag), key=key)
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")

    def fill(self, field_id: str, text: str) -> None:
        self.tab_to(lambda e: e["id"] == field_id)
        self.page.keyboard.type(text)


def test_the_facilitator_journey_with_the_keyboard_only(browser, live_server):
    base, app = live_server
    with app.app_context():
        make_user(email="fatou@example.org", name="Fatou Ndiaye", role="facilitator", language="en")
        ana, ben = make_user(name="Ana Diallo", language="en"), make_user(name="Ben Sow", language="en")
        ana_id, ben_id = ana.id, ben.id
        db.session.remove()

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US",
                                  extra_http_headers={"Accept-Language": "en"})
    page = context.new_page()
    keys = Keyboard(page)
    main, flash = page.locator("main"), page.locator(".flashes")

    def heading() -> str:
        return page.locator("h1").inner_text()

    def current_tab() -> str:
        return page.locator("nav.subnav [aria-current=page]").inner_text()

    # Sign in from the home page's header link.
    page.goto(base + "/")
    keys.activate("Sign in", "A")
    assert heading() == "Sign in"
    keys.fill("email", "fatou@example.org")
    keys.fill("password", "correct horse battery")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == base + "/"
    assert page.get_by_role("button", name="Sign out").is_visible()

    # Create a workshop: text, a closed select typed into, date fields typed digit by digit (en-US:
    # month, day, year), lesson checkboxes ticked with Space.
    keys.activate("Workshops", "A")
    assert heading() == "Workshops"
    keys.activate("New workshop", "A")
    assert heading() == "New workshop"
    keys.fill("title", "Atelier de Thiès")
    keys.fill("city", "Thiès")
    keys.fill("country", "Senegal")
    keys.fill("start_date", "03242026")
    keys.fill("end_date", "03252026")
    assert page.locator("#start_date").input_value() == "2026-03-24"
    assert page.locator("#end_date").input_value() == "2026-03-25"
    assert page.locator("#country").input_value() == "SN"
    ticked = []
    for _ in range(2):
        box = keys.tab_to(lambda e: e["type"] == "checkbox" and e["name"] == "lessons" and e["id"] not in ticked)
        page.keyboard.press("Space")
        ticked.append(box["id"])
    assert page.locator("#lessons input:checked").count() == 2
    keys.fill("due_date", "04302026")
    keys.tab_to(lambda e: e["id"] == "attendance_threshold")
    page.keyboard.press("ArrowDown")  # at least 1 day
    keys.activate("Create the workshop", "BUTTON")

    code = page.locator(".code.big").inner_text()
    assert heading() == "Atelier de Thiès" and current_tab() == "Overview"
    assert flash.inner_text() == f"The workshop is ready. Its join code is {code}."
    with app.app_context():
        workshop = db.session.scalar(select(Workshop).where(Workshop.join_code == code.replace("-", "")))
        assert (workshop.city, workshop.country, str(workshop.start_date), str(workshop.end_date),
                str(workshop.due_date), workshop.attendance_threshold) == (
                    "Thiès", "SN", "2026-03-24", "2026-03-25", "2026-04-30", 1)
        assert workshop.lessons == ["trafficking-vs-smuggling", "scale-and-forms"]
        workshop_id = workshop.id
        # Two trainees join with the code (as they would from their phones).
        join_workshop(workshop, db.session.get(User, ana_id), db.session.get(User, ben_id))
        db.session.remove()

    # A live question: search the picker, open a result's options, ask it, close the answers, show the
    # right answer.
    keys.activate("Live questions", "A")
    assert heading() == "Live questions" and current_tab() == "Live questions"
    keys.fill("words", "consent")
    keys.activate("Search", "BUTTON")
    assert "questions match" in main.inner_text() or "question matches" in main.inner_text()
    keys.tab_to(lambda e: e["tag"] == "SUMMARY")
    page.keyboard.press("Enter")
    assert page.locator("ol.picker-results details").first.get_attribute("open") is not None
    asked = keys.tab_to(lambda e: e["text"] == "Ask this question" and e["tag"] == "BUTTON")["value"]
    with page.expect_navigation():
        page.keyboard.press("Enter")
    panel = page.locator("#live-panel")
    assert "Question 1 answers open" in panel.inner_text() and "0 of 2 answered" in panel.inner_text()
    keys.activate("Close the answers", "BUTTON")
    assert "answers closed" in panel.inner_text()
    keys.activate("Show the right answer", "BUTTON")
    assert "answer shown" in panel.inner_text() and "Right answer" in panel.inner_text()
    with app.app_context():
        live = db.session.scalar(select(LiveQuestion).where(LiveQuestion.workshop_id == workshop_id))
        assert (live.question_id, live.state) == (asked, "revealed")
        db.session.remove()

    # Attendance on day 1: one tick, saved as it is made, then the whole list with "Save".
    keys.activate("Attendance", "A")
    assert heading() == "Attendance" and current_tab() == "Attendance"
    keys.activate("Day 1", "A")
    assert heading().startswith("Attendance on Tuesday, 24 March 2026")
    keys.tab_to(lambda e: e["type"] == "checkbox" and e["name"] == "present"
                and page.evaluate("document.activeElement.parentNode.innerText").startswith("Ana Diallo"))
    page.keyboard.press("Space")
    page.locator("#save-state", has_text="Saved.").wait_for()
    keys.activate("Save the attendance", "BUTTON")
    assert flash.inner_text() == "Attendance saved."
    assert page.get_by_label("Ana Diallo").is_checked() and not page.get_by_label("Ben Sow").is_checked()
    # Day 2: everyone at once.
    keys.activate("All the days", "A")
    assert "1 of 2 present" in page.locator("ul.days li").first.inner_text()
    keys.activate("Day 2", "A")
    keys.activate("Mark everyone present", "BUTTON")
    assert heading().startswith("Mark everyone present on")
    keys.activate("Yes, mark them all present", "BUTTON")
    assert flash.inner_text() == "Attendance saved." and page.locator("input[name=present]:checked").count() == 2
    with app.app_context():
        marks = {(m.user_id, str(m.day)) for m in db.session.scalars(
            select(AttendanceMark).where(AttendanceMark.workshop_id == workshop_id))}
        assert marks == {(ana_id, "2026-03-24"), (ana_id, "2026-03-25"), (ben_id, "2026-03-25")}
        db.session.remove()

    # The roster, sorted by days present (ascending, then descending).
    keys.activate("Roster", "A")
    assert heading() == "Roster" and current_tab() == "Roster"
    keys.activate("Days present", "A")
    sorted_by = page.locator("th[aria-sort]")
    assert sorted_by.get_attribute("aria-sort") == "ascending" and "Days present" in sorted_by.inner_text()
    assert page.locator("table.roster tbody th").all_inner_texts() == ["Ben Sow", "Ana Diallo"]
    assert "sort=attendance" in page.url
    keys.activate("Days present", "A")
    assert page.locator("th[aria-sort]").get_attribute("aria-sort") == "descending"
    assert page.locator("table.roster tbody th").all_inner_texts() == ["Ana Diallo", "Ben Sow"]

    # Who joined: remove Ben (a page asks first; Cancel is there, Shift+Tab goes back to the button).
    keys.activate("Who joined", "A")
    assert heading() == "Who joined" and current_tab() == "Who joined"
    assert "2 trainees have joined." in main.inner_text()
    keys.tab_to(lambda e: e["tag"] == "A" and e["text"] == "Remove Ben Sow")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert heading() == "Remove Ben Sow from the workshop?" and current_tab() == "Who joined"
    keys.tab_to(lambda e: e["text"] == "Cancel")
    keys.activate("Remove from the workshop", "BUTTON", key="Shift+Tab")
    assert flash.inner_text() == "Ben Sow is no longer in the workshop."
    assert heading() == "Who joined" and "1 trainee has joined." in main.inner_text()
    assert [t.split("\n")[0] for t in page.locator("tbody th").all_inner_texts()] == ["Ana Diallo"]
    with app.app_context():
        assert not workshops.is_member(workshop_id, ben_id) and workshops.is_member(workshop_id, ana_id)
        db.session.remove()

    # A new join code: the old one stops working.
    keys.activate("Make a new join code", "BUTTON")
    new_code = page.locator(".code.big").inner_text()
    assert new_code != code and current_tab() == "Overview"
    assert flash.inner_text().startswith(f"The new join code is {new_code}. The old code")
    with app.app_context():
        assert db.session.get(Workshop, workshop_id).join_code == new_code.replace("-", "")
        assert workshops.find_by_code(code) is None
        db.session.remove()

    assert keys.seen > 50
    assert not keys.unmarked, f"focused without a visible outline: {sorted(keys.unmarked)}"
    context.close()
