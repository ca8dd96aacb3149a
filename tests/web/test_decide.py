"""The "Trafficking or smuggling?" decision aid, as a first responder meets it: one question per
page, a result with its reasons, what to do next and what to find out."""
from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from urllib.parse import urlencode

import pytest

from webapp.content import ContentError, load_catalog

EN, FR = {"Accept-Language": "en"}, {"Accept-Language": "fr"}
DATA = Path(__file__).parent.parent / "data"

# Outline 4.2 (revised December 2026): child, act, purpose, means, crossing, benefit, facilitation
# -> result ("-": never asked). The first ten are the original vectors, with no document or stay offence.
VECTORS = [
    ("no", "yes", "yes", "yes", "none", "-", "no", "Trafficking in persons"),
    ("yes", "yes", "yes", "-", "none", "-", "no", "Trafficking in persons"),
    ("no", "yes", "yes", "no", "regular", "-", "no", "Neither trafficking nor smuggling"),
    ("no", "yes", "no", "no", "irregular", "yes", "-", "Smuggling of migrants"),
    ("no", "yes", "yes", "yes", "irregular", "yes", "-", "Both: trafficking in persons and smuggling of migrants"),
    ("no", "yes", "no", "no", "irregular", "no", "no", "Neither trafficking nor smuggling"),
    ("yes", "yes", "unknown", "-", "regular", "-", "no", "Not enough information"),
    ("unknown", "yes", "yes", "no", "none", "-", "no", "Not enough information"),
    ("no", "yes", "unknown", "unknown", "irregular", "yes", "-", "Not enough information"),
    ("no", "no", "no", "no", "none", "-", "no", "Neither trafficking nor smuggling"),
    ("no", "no", "no", "no", "none", "-", "yes", "Smuggling of migrants"),
    ("no", "no", "no", "no", "regular", "-", "yes", "Smuggling of migrants"),
    ("no", "yes", "yes", "yes", "regular", "-", "yes", "Both: trafficking in persons and smuggling of migrants"),
    ("no", "yes", "yes", "yes", "unknown", "unknown", "no", "Trafficking in persons"),
    ("no", "yes", "yes", "yes", "unknown", "unknown", "unknown", "Trafficking in persons"),
    ("no", "no", "no", "no", "none", "-", "unknown", "Not enough information"),
]
KEYS = ("child", "act", "purpose", "means", "crossing", "benefit", "facilitation")
SMUGGLED_UNKNOWN_PURPOSE = dict(child="no", act="yes", purpose="unknown", means="unknown",
                                crossing="irregular", benefit="yes", consent="yes")
TRAFFICKED = dict(child="no", act="yes", purpose="yes", means="yes", crossing="none", facilitation="no",
                  consent="no")


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def question_on(page: str) -> str | None:
    """The key of the question a page asks, from its radio buttons (None on the result page)."""
    found = re.search(r'<input type="radio" id="[\w-]+" name="(\w+)"', page)
    return found.group(1) if found else None


def walk(client, answers: dict, headers=EN):
    """Answer every question the aid asks, one page at a time, submitting each page's form as a
    browser would (its hidden fields plus the chosen radio button). Returns the last page and the
    questions asked, in order."""
    url, asked = "/decide", []
    for _ in range(len(KEYS) + 2):
        page = text_of(client.get(url, headers=headers))
        key = question_on(page)
        if key is None:
            return page, asked
        asked.append(key)
        fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="(\w+)">', page))
        fields[key] = answers[key]
        url = "/decide?" + urlencode(fields)
    raise AssertionError(f"the aid kept asking: {asked}")


@pytest.mark.parametrize("child, act, purpose, means, crossing, benefit, facilitation, label", VECTORS)
def test_walking_through_the_questions_ends_on_the_outline_result(
        client, child, act, purpose, means, crossing, benefit, facilitation, label):
    facts = dict(zip(KEYS, (child, act, purpose, means, crossing, benefit, facilitation)), consent="yes")
    page, asked = walk(client, facts)
    assert f"Result: {label}" in page
    assert asked == [k for k in (*KEYS, "consent") if facts[k] != "-"]
    assert "This aid is a screening tool for first responders, not a legal determination." in page


def test_each_question_is_a_fieldset_with_its_help_text_and_labelled_choices(client):
    page = text_of(client.get("/decide", headers=EN))
    assert "Question 1 of 8" in page
    assert '<fieldset aria-describedby="help-child">' in page
    assert "<legend><h2>Is the person under 18?</h2></legend>" in page
    assert '<p class="hint" id="help-child">If age is uncertain' in page
    for value, label in (("yes", "Yes"), ("no", "No"), ("unknown", "Don't know")):
        assert f'id="child-{value}" name="child" value="{value}" required>' in page
        assert f'<label for="child-{value}">{label}</label>' in page
    assert '<form method="get" action="/decide"' in page and "Next</button>" in page
    assert ">Back</a>" not in page  # nothing to go back to yet
    page = text_of(client.get("/decide?child=no&act=yes&purpose=no&means=no", headers=EN))
    assert "Question 5 of 8" in page
    assert "Yes, an irregular entry" in page and "No border crossed" in page


def test_back_goes_to_the_previous_question_without_its_answer(client):
    page = text_of(client.get("/decide?child=no&act=yes", headers=EN))
    assert "Was this done in order to exploit the person" in page
    back = re.search(r'<a href="([^"]+)">Back</a>', page).group(1)
    assert back == "/decide?child=no"
    page = text_of(client.get(back, headers=EN))
    assert "Has someone recruited, transported" in page and "Question 2 of 8" in page


def test_skipped_questions_are_never_shown(client):
    page, asked = walk(client, dict(child="yes", act="yes", purpose="yes", crossing="regular", facilitation="no",
                                    consent="no"))
    assert "means" not in asked and "benefit" not in asked
    assert "Was any of these used" not in page
    assert re.search(r"Means: threats, force, deception, abuse of vulnerability and the like: "
                     r"<strong>Not needed</strong>", page)
    # A child has one question less to answer; a forged answer to it changes nothing.
    assert "Question 4 of 7" in text_of(client.get("/decide?child=yes&act=yes&purpose=yes", headers=EN))
    forged = text_of(client.get("/decide?child=yes&act=yes&purpose=yes&means=no&crossing=none&facilitation=no"
                                "&consent=no",
                                headers=EN))
    assert "Result: Trafficking in persons" in forged and "<dt>Means</dt>" not in forged


@pytest.mark.parametrize("query", ["child=maybe", "child=yes&child=no", "crossing=yes", "child=",
                                   "child=no&role=chef", "step=nationality", "child=yes&step=means"])
def test_a_forged_link_gets_a_clear_400_page(client, query):
    response = client.get(f"/decide?{query}", headers=EN)
    page = text_of(response)
    assert response.status_code == 400
    assert "This link to the decision aid is not valid" in page
    assert '<a class="button" href="/decide">Start the decision aid again</a>' in page


def test_the_400_page_speaks_french_too(client):
    response = client.get("/decide?act=peut-etre", headers=FR)
    assert response.status_code == 400
    assert "Le lien donne une réponse que la question « Acte » ne propose pas." in text_of(response)


def test_result_page_explains_the_result(client):
    page, _ = walk(client, dict(child="no", act="yes", purpose="yes", means="yes", crossing="irregular",
                                benefit="yes", consent="yes"))
    assert "Result: Both: trafficking in persons and smuggling of migrants" in page
    # The reasons, element by element, with the answer given.
    assert "Act: recruitment, transport, transfer, harbouring or receipt: <strong>Met</strong>" in page
    assert ("The person is a child (under 18): <strong>Not met</strong> "
            '<span class="muted">(your answer: No)</span>') in page
    assert "Irregular entry into another State: <strong>Met</strong>" in page
    # Outline 4.3, and the referral steps of "both": trafficking's, then the smuggling facts.
    for title in ("Consent", "The border", "Where the money comes from", "Facts change"):
        assert f"<h3>{title}</h3>" in page
    assert page.index("Treat the person as a presumed victim.") < page.index("Also record the smuggling facts")
    assert "What to find out next" not in page
    assert '<a href="/lessons/trafficking-vs-smuggling#classify-cases">' in page
    assert '<a class="button" href="/decide">Start again</a>' in page


def test_answers_are_summarised_and_each_can_be_changed(client):
    query = urlencode(TRAFFICKED)
    page = text_of(client.get(f"/decide?{query}", headers=EN))
    assert "<dt>Border crossing</dt>" in page and "No border crossed ·" in page
    change = f'/decide?{query}&step=child'
    assert f'<a href="{change}">Change<span class="visually-hidden">: Under 18</span></a>' in page
    page = text_of(client.get(change, headers=EN))
    assert "Is the person under 18?" in page and "Question 1 of 7" in page
    assert 'id="child-no" name="child" value="no" required checked>' in page
    assert f'<a href="/decide?{query}">Back</a>' in page
    # She is in fact 16: the means question no longer applies, the other answers are kept.
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="(\w+)">', page))
    assert "child" not in hidden
    page = text_of(client.get("/decide?" + urlencode(dict(hidden, child="yes")), headers=EN))
    assert "Result: Trafficking in persons" in page
    assert "<dt>Means</dt>" not in page and "<dt>Under 18</dt>\n  <dd>Yes" in page


def test_not_enough_information_says_what_to_find_out_next(client):
    page, _ = walk(client, SMUGGLED_UNKNOWN_PURPOSE)
    assert "Result: Not enough information" in page
    find_out = page[page.index("What to find out next"):page.index("What to do now")]
    assert "What work or \"job\" awaits the person" in find_out
    assert "Whether the person was threatened, deceived" in find_out
    assert "Whether the person is under 18" not in find_out and "Who arranged the crossing" not in find_out
    assert "Protect first, and find out meanwhile." in page
    page, _ = walk(client, dict(child="unknown", act="yes", purpose="yes", means="no", crossing="none",
                                facilitation="no", consent="yes"))
    find_out = page[page.index("What to find out next"):page.index("What to do now")]
    assert "Whether the person is under 18. Meanwhile, apply the presumption of minority." in find_out
    assert "What work" not in find_out


def test_signed_in_police_officer_sees_the_line_for_her_profession(client, auth, trainee):
    auth.login()
    page = text_of(client.get("/decide?" + urlencode(TRAFFICKED)))
    assert "<strong>For your profession (Police or gendarmerie):</strong> Call the specialised unit" in page
    assert '<select id="role"' not in page


def test_visitor_chooses_a_profession_to_see_its_line(client):
    page = text_of(client.get("/decide?" + urlencode(TRAFFICKED), headers=EN))
    assert '<label for="role">Your profession</label>' in page
    assert '<option value="labour_inspector">Labour inspector</option>' in page
    assert "For your profession" not in page
    form = page[page.index('<form method="get" action="/decide" class="role-form">'):]
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="(\w+)">', form[:form.index("</form>")]))
    assert hidden == TRAFFICKED
    page = text_of(client.get("/decide?" + urlencode(dict(hidden, role="judge")), headers=EN))
    assert "<strong>For your profession (Judge):</strong> Choose charges by the elements" in page
    assert '<option value="judge" selected>Judge</option>' in page
    assert '<a class="button" href="/decide?role=judge">Start again</a>' in page


def test_role_lines_are_not_shown_when_it_is_neither(client):
    page = text_of(client.get("/decide?child=no&act=no&purpose=no&means=no&crossing=none&facilitation=no&consent=yes"
                              "&role=police",
                              headers=EN))
    assert "Result: Neither trafficking nor smuggling" in page and "Refer to the service that fits the need" in page
    assert "For your profession" not in page and '<select id="role"' not in page


def test_the_aid_speaks_french(client):
    page = text_of(client.get("/decide", headers=FR))
    assert '<html lang="fr">' in page and "Question 1 sur 8" in page
    assert "La personne a-t-elle moins de 18 ans ?" in page and "Je ne sais pas" in page
    assert "Suivant</button>" in page
    page, _ = walk(client, dict(child="yes", act="yes", purpose="yes", crossing="none", facilitation="no",
                                consent="yes"), FR)
    assert "Résultat : Traite des personnes" in page
    assert "Traitez la personne comme une victime présumée." in page
    assert "Pour un enfant : alertez immédiatement la protection de l’enfance" in page
    assert "intérêt supérieur de l’enfant" in page and "Pourquoi : les éléments" in page
    assert "Cet outil est une aide au repérage" in page and ">Recommencer</a>" in page
    page, _ = walk(client, SMUGGLED_UNKNOWN_PURPOSE, FR)
    assert "Ce qu’il faut chercher à savoir" in page and "Résultat : Informations insuffisantes" in page


def test_nav_and_home_page_lead_to_the_aid(client):
    page = text_of(client.get("/", headers=EN))
    assert '<li><a href="/decide">Trafficking or smuggling?</a></li>' in page
    assert '<a href="/decide">Use the decision aid</a>' in page
    assert '<li><a href="/decide">Traite ou trafic ?</a></li>' in text_of(client.get("/", headers=FR))


def test_content_check_names_a_missing_aid_text(tmp_path):
    shutil.copytree(DATA, tmp_path, dirs_exist_ok=True)
    path = tmp_path / "lessons/decision-aid.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('"yes": {en: "Yes", fr: "Oui"}', 'yes: {en: "Yes", fr: "Oui"}', 1)
    text = text.replace('  consular:\n', '  consul:\n', 1)
    text = text.replace('title: {en: "The border", fr: "La frontière"}', 'title: {en: "The border"}', 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_catalog(tmp_path)
    lines = text.split("\n")
    line = next(n for n, s in enumerate(lines, 1) if "yes: {en" in s) - 1
    assert (f"lessons/decision-aid.yaml:{line}: step 'child': 'choices': unknown key True "
            '(quote "yes" and "no": unquoted, YAML reads them as true and false)') in caught.value.problems
    assert any(p.endswith("'roles': 'consular' is missing") for p in caught.value.problems)
    assert any(p.endswith("explanation 'border': title needs both en and fr") for p in caught.value.problems)


# The revision of December 2026: smuggling by documents or an illegal stay (Protocol art. 6(1)(b), (c)),
# and trafficking established whatever the route.
SOLD_PAPERS = dict(child="no", act="no", purpose="no", means="no", crossing="none", facilitation="yes",
                   consent="yes")
TRAFFICKED_ROUTE_UNKNOWN = dict(child="no", act="yes", purpose="yes", means="yes", crossing="unknown",
                                benefit="unknown", facilitation="no", consent="no")


def test_the_documents_and_stay_question_comes_after_the_crossing(client):
    page = text_of(client.get("/decide?child=no&act=no&purpose=no&means=no&crossing=regular", headers=EN))
    assert question_on(page) == "facilitation" and "Question 6 of 7" in page
    assert "make, obtain, supply or hold a false or fraudulently obtained travel or identity document" in page
    assert "Smuggling of Migrants Protocol, art. 6(1)(b) and (c)" in page
    page = text_of(client.get("/decide?child=no&act=no&purpose=no&means=no&crossing=regular", headers=FR))
    assert "En dehors du voyage lui-même" in page and "Question 6 sur 7" in page


def test_an_irregular_entry_for_a_fee_is_not_asked_about_documents_again(client):
    _, asked = walk(client, dict(child="no", act="yes", purpose="no", means="no", crossing="irregular",
                                 benefit="yes", consent="yes"))
    assert "facilitation" not in asked
    page = text_of(client.get("/decide?child=no&act=yes&purpose=no&means=no&crossing=irregular&benefit=yes",
                              headers=EN))
    assert question_on(page) == "consent" and "Question 7 of 7" in page


def test_selling_papers_before_any_journey_is_smuggling_with_its_own_referral(client):
    page, asked = walk(client, SOLD_PAPERS)
    assert asked == ["child", "act", "purpose", "means", "crossing", "facilitation", "consent"]
    assert "Result: Smuggling of migrants" in page
    assert "Fraudulent documents, or an illegal stay, procured for a benefit: <strong>Met</strong>" in page
    assert "Irregular entry into another State: <strong>Not met</strong>" in page
    assert "secure the documents and the payment records as evidence against the supplier or broker" in page
    assert "being the object of these offences is not a crime under the Protocol (art. 5)" in page
    assert "procuring an illegal entry into another State. The Protocol also makes smuggling offences" in page
    assert "Refer to the service that fits the need" not in page
    page, _ = walk(client, SOLD_PAPERS, FR)
    assert "Résultat\u00a0: Trafic illicite de migrants" in page
    assert "saisissez les documents et les traces de paiement" in page


def test_a_regular_entry_with_an_arranged_illegal_stay_and_exploitation_is_both(client):
    page, _ = walk(client, dict(child="no", act="yes", purpose="yes", means="yes", crossing="regular",
                                facilitation="yes", consent="yes"))
    assert "Result: Both: trafficking in persons and smuggling of migrants" in page
    assert page.index("Treat the person as a presumed victim.") < page.index("secure the documents")


def test_trafficking_is_not_doubted_when_only_the_route_is_unknown(client):
    page, _ = walk(client, TRAFFICKED_ROUTE_UNKNOWN)
    assert "Result: Trafficking in persons" in page and "Result: Not enough information" not in page
    assert "Smuggling may also apply. The person is a presumed victim of trafficking whatever the route" in page
    find_out = page[page.index("What to find out next"):page.index("What to do now")]
    assert "Whether and how the person crossed" in find_out and "Who arranged the crossing" in find_out
    assert "What work" not in find_out
    assert "Treat the person as a presumed victim." in page and "Protect first, and find out meanwhile." not in page
    page, _ = walk(client, TRAFFICKED_ROUTE_UNKNOWN, FR)
    assert "Résultat\u00a0: Traite des personnes" in page
    assert "Le trafic illicite de migrants peut aussi être en cause." in page


def test_a_finished_link_from_before_the_revision_still_opens_on_a_result(client):
    old = "/decide?child=no&act=yes&purpose=yes&means=yes&crossing=none&consent=no"
    response = client.get(old, headers=EN)
    page = text_of(response)
    assert response.status_code == 200 and question_on(page) is None
    assert "Result: Trafficking in persons" in page  # established whatever the documents answer is
    assert "<dt>Documents or illegal stay</dt>\n  <dd>Don't know" in page
    change = "/decide?child=no&amp;act=yes&amp;purpose=yes&amp;means=yes&amp;crossing=none&amp;facilitation=unknown"
    assert html.unescape(change) in page
    # An unfinished old link simply asks the new question when it comes.
    page = text_of(client.get("/decide?child=no&act=no&purpose=no&means=no&crossing=none", headers=EN))
    assert question_on(page) == "facilitation"


@pytest.mark.parametrize("start, step, new", [
    # Smuggling; then no border was crossed after all: the documents question now applies.
    (dict(child="no", act="no", purpose="no", means="no", crossing="irregular", benefit="yes", consent="yes"),
     "crossing", "none"),
    # Trafficking with smuggling open; then no benefit after all: the same question applies.
    (dict(child="no", act="yes", purpose="yes", means="yes", crossing="irregular", consent="no", benefit="yes"),
     "benefit", "no"),
])
def test_a_change_that_makes_the_documents_question_apply_asks_it(client, start, step, new):
    page = text_of(client.get("/decide?" + urlencode(start), headers=EN))
    assert question_on(page) is None  # a result
    page = text_of(client.get("/decide?" + urlencode(start) + f"&step={step}", headers=EN))
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="(\w+)">', page))
    page = text_of(client.get("/decide?" + urlencode(dict(hidden, **{step: new})), headers=EN))
    assert question_on(page) == "facilitation"  # asked, not filled in as "don't know"
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="(\w+)">', page))
    page = text_of(client.get("/decide?" + urlencode(dict(hidden, facilitation="no")), headers=EN))
    assert "<dt>Documents or illegal stay</dt>\n  <dd>Don't know" not in page
