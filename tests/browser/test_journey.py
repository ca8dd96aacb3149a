"""A trainee on a phone: register, read a lesson, complete it, see her progress. In French and English."""
import re

import pytest

pytestmark = pytest.mark.browser

TEXT = {
    "fr": dict(register="Créer un compte", submit="Créer mon compte", finished="Marquer comme lue",
               progress="Ma progression", done="0 leçon terminée sur 8", completed="Terminée",
               cont="Reprendre là où vous en étiez", lesson1="Traite ou trafic illicite de migrants"),
    "en": dict(register="Register", submit="Create my account", finished="Mark as read",
               progress="My progress", done="0 of 8 lessons completed", completed="Completed",
               cont="Continue where you left off", lesson1="Trafficking or smuggling?"),
}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_register_read_complete_progress_on_a_phone(phone, live_server, lang):
    base, _ = live_server
    t = TEXT[lang]
    page = phone.new_page()
    page.set_extra_http_headers({"Accept-Language": lang})
    page.goto(base + "/")
    assert page.locator("html").get_attribute("lang") == lang
    page.get_by_role("link", name=t["register"], exact=True).first.click()
    form = {"name": "Aïssatou N'Diaye", "email": f"aissatou-{lang}@example.org", "password": "une phrase assez longue",
            "confirm": "une phrase assez longue", "organisation": "Brigade des mineurs"}
    for field, value in form.items():
        page.fill(f"#{field}", value)
    page.select_option("#country", "SN")
    page.select_option("#profession", "social_worker")
    page.select_option("#language", lang)
    page.get_by_role("button", name=t["submit"]).click()
    page.wait_for_url(base + "/")

    # In the course list: the nav's "Trafficking or smuggling?" link is the decision aid.
    page.locator("main").get_by_role("link", name=re.compile(re.escape(t["lesson1"]))).first.click()
    assert page.locator("h1").inner_text().startswith(t["lesson1"])
    # Nothing sideways: the page fits a 360 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name=t["finished"]).click()
    page.wait_for_url(re.compile(r"/lessons/scale-and-forms$"))

    page.get_by_role("link", name=t["progress"]).click()
    body = page.locator("main").inner_text()
    assert t["done"] in body
    # Read, not completed: a lesson is completed by passing its quiz.
    # (the first lesson, and the second that opened after it)
    assert page.locator("td.status-completed").count() == 0 and page.locator("td.status-in_progress").count() == 2
    assert page.get_by_role("link", name=t["cont"]).is_visible()
