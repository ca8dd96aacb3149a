"""The decision aid in a real browser, with JavaScript on and off, in both languages: the revised
rule's two new cases (documents sold before any journey; trafficking whatever the route)."""
from __future__ import annotations

import pytest

# The aid's label for each answer, per language: what a trainee clicks.
LABELS = {
    "en": {"yes": "Yes", "no": "No", "unknown": "Don't know", "none": "No border crossed"},
    "fr": {"yes": "Oui", "no": "Non", "unknown": "Je ne sais pas", "none": "Aucune frontière franchie"},
}
RESULT = {
    ("en", "smuggling"): "Result: Smuggling of migrants",
    ("fr", "smuggling"): "Résultat\u00a0: Trafic illicite de migrants",
    ("en", "trafficking"): "Result: Trafficking in persons",
    ("fr", "trafficking"): "Résultat\u00a0: Traite des personnes",
}
DOCUMENTS_SOLD = dict(child="no", act="no", purpose="no", means="no", crossing="none", facilitation="yes",
                      consent="yes")
ROUTE_UNKNOWN = dict(child="no", act="yes", purpose="yes", means="yes", crossing="unknown", benefit="unknown",
                     facilitation="unknown", consent="no")


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("case, expected", [(DOCUMENTS_SOLD, "smuggling"), (ROUTE_UNKNOWN, "trafficking")],
                         ids=["documents-sold", "route-unknown"])
def test_the_aid_gives_the_revised_results(browser, live_server, javascript, lang, case, expected):
    base, _ = live_server
    context = browser.new_context(java_script_enabled=javascript, locale=lang,
                                  extra_http_headers={"Accept-Language": lang})
    page = context.new_page()
    page.goto(f"{base}/decide")
    asked = []
    for _ in range(10):
        radios = page.locator("input[type=radio]")
        if radios.count() == 0:
            break
        key = radios.first.get_attribute("name")
        asked.append(key)
        page.get_by_label(LABELS[lang][case[key]], exact=True).check()
        page.locator("form.decide-step button").click()
        page.wait_for_load_state()
    assert "facilitation" in asked
    assert page.locator("h2#result").inner_text() == RESULT[lang, expected]
    if expected == "trafficking":
        assert page.locator("p.smuggling-open").count() == 1
        assert page.locator("ul.find-out li").count() >= 2
    else:
        assert page.locator("p.smuggling-open").count() == 0
    context.close()
