"""Joining from the QR code: the way back to the workshop survives registering or signing in, the
Rabat Process countries come first, and the facilitator has slips to hand out before the session."""
import re
from urllib.parse import parse_qs, urlsplit

from webapp.people import RABAT_PROCESS

from ..factories import make_user, make_workshop
from .workshop_helpers import signed_in, text

NEW = dict(name="Fatou Sow", email="fatou@example.org", password="une phrase assez longue",
           confirm="une phrase assez longue", organisation="Police nationale", country="SN",
           profession="police", language="fr")


def account_links(page: str) -> list[str]:
    """Every link of the page to registering or signing in (the header's included)."""
    return [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]*)"', page)
            if urlsplit(href).path in ("/register", "/login")]


def test_every_account_link_of_the_join_page_leads_back_to_the_workshop(client):
    workshop = make_workshop(make_user(role="facilitator"))
    join = f"/join/{workshop.join_code}"
    page = text(client.get(join, headers={"Accept-Language": "en"}))
    links = account_links(page)
    assert {urlsplit(href).path for href in links} == {"/register", "/login"} and len(links) >= 4
    assert all(parse_qs(urlsplit(href).query).get("next") == [join] for href in links), links
    # From the registration form, "sign in instead" keeps it too, and the form posts to itself with it.
    register = text(client.get(f"/register?next={join}"))
    assert all(parse_qs(urlsplit(h).query).get("next") == [join] for h in account_links(register))


def test_after_registering_from_the_qr_code_she_lands_back_on_joining(client):
    workshop = make_workshop(make_user(role="facilitator"))
    join = f"/join/{workshop.join_code}"
    response = client.post(f"/register?next={join}", data=NEW)
    assert response.status_code == 302 and response.headers["Location"] == join
    page = client.get(join)
    assert page.status_code == 200 and "Rejoindre cet atelier" in text(page)  # her account's language
    joined = client.post(join)
    assert joined.headers["Location"] == f"/workshops/{workshop.id}"


def test_signing_in_from_the_join_page_lands_back_on_joining(client):
    workshop = make_workshop(make_user(role="facilitator"))
    trainee = make_user(email="known@example.org")
    join = f"/join/{workshop.join_code}"
    response = client.post(f"/login?next={join}", data={"email": trainee.email, "password": "correct horse battery"})
    assert response.headers["Location"] == join


def test_a_way_back_off_the_site_is_refused(client):
    response = client.post("/register?next=//evil.example/join", data=NEW)
    assert response.status_code == 302 and response.headers["Location"] == "/"


def _options(page: str, select_id: str) -> str:
    return page.split(f'id="{select_id}"', 1)[1].split("</select>", 1)[0]


def test_the_rabat_process_countries_come_first_in_their_own_group(client):
    page = _options(text(client.get("/register", headers={"Accept-Language": "fr"})), "country")
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', page, re.S)
    assert [label for label, _ in groups] == ["Pays du Processus de Rabat", "Autres pays"]
    first = re.findall(r'<option value="([A-Z]{2})"', groups[0][1])
    others = re.findall(r'<option value="([A-Z]{2})"', groups[1][1])
    assert set(first) == RABAT_PROCESS and len(first) == 57
    assert {"SN", "NE", "PT", "MA", "NG", "FR", "DZ", "LY"} <= set(first)
    assert not set(first) & set(others) and {"US", "GB", "BR", "KE"} <= set(others)
    names = re.findall(r'<option value="[A-Z]{2}">([^<]+)</option>', groups[0][1])
    assert names[:3] == ["Algérie", "Allemagne", "Autriche"]  # sorted by name in her language
    assert page.index('value=""') < page.index("<optgroup")  # "Choose a country" stays on top


def test_a_country_of_either_group_is_accepted(client):
    assert client.post("/register", data=dict(NEW, country="KE")).status_code == 302


def test_the_workshop_form_and_her_account_list_the_same_groups(app):
    owner = make_user(role="facilitator", language="en")
    facilitator = signed_in(app, owner)
    for url in ("/workshops/new", "/account"):
        page = _options(text(facilitator.get(url)), "country")
        assert page.index('label="Rabat Process countries"') < page.index('label="Other countries"'), url


def test_the_facilitator_page_says_to_register_before_and_offers_slips(app):
    owner = make_user(role="facilitator", language="en")
    workshop = make_workshop(owner)
    page = text(signed_in(app, owner).get(f"/workshops/{workshop.id}"))
    assert "Have trainees create their account before the session" in page
    assert f'href="/workshops/{workshop.id}/slips"' in page


def test_the_slips_carry_the_code_link_and_qr_in_the_workshops_language(app):
    owner = make_user(role="facilitator", language="en")
    workshop = make_workshop(owner, language="fr")
    facilitator = signed_in(app, owner)
    response = facilitator.get(f"/workshops/{workshop.id}/slips")
    page = text(response)
    assert response.status_code == 200 and "<script" not in page.split("<main", 1)[1]
    code = f"{workshop.join_code[:4]}-{workshop.join_code[4:]}"
    assert page.count('class="slip"') == 8 and page.count(code) >= 8
    assert page.count(f'src="/workshops/{workshop.id}/qr.svg"') == 8
    assert page.count(f"/join/{workshop.join_code}") >= 8
    assert "Créez votre compte (ou connectez-vous) avant la séance." in page
    assert facilitator.get(f"/workshops/{workshop.id}/qr.svg").status_code == 200


def test_the_page_around_french_slips_speaks_the_facilitators_language_and_switches(app):
    owner = make_user(role="facilitator", language="en")
    workshop = make_workshop(owner, language="fr")
    facilitator = signed_in(app, owner)
    address = f"/workshops/{workshop.id}/slips"
    page = text(facilitator.get(address))
    screen, slips = page.split('<ul class="slips" lang="fr">')
    assert '<html lang="en">' in screen and "Sign out" in screen and ">Overview</a>" in screen
    assert "<h1>Slips to hand out</h1>" in screen and "Hand these out before the session" in screen
    assert "8 slips per page" in screen and "Distribuez-les" not in page and "Imprimez cette page" not in page
    assert slips.count("Créez votre compte (ou connectez-vous) avant la séance.") == 8
    assert "Create your account" not in slips

    page = text(facilitator.post("/language", data={"lang": "fr", "next": address}, follow_redirects=True))
    assert '<html lang="fr">' in page and "Se déconnecter" in page and "Distribuez-les avant la séance" in page
    assert "Créez votre compte (ou connectez-vous) avant la séance." in page and "Sign out" not in page


def test_only_the_workshops_facilitators_print_its_slips(app):
    workshop = make_workshop(make_user(role="facilitator"))
    stranger = signed_in(app, make_user(role="facilitator", email="other@example.org"))
    assert stranger.get(f"/workshops/{workshop.id}/slips").status_code == 404
