"""What a French reader sees: no ":" ";" "?" "!" after an ordinary space (it would start a line on
a phone), on the pages made of interface strings and of content alike."""
import re
from html import unescape

from ..factories import make_user
from .workshop_helpers import signed_in, text

FR = {"Accept-Language": "fr"}
LOOSE = re.compile(r"\S ([:;?!])(?=\s|$)")


def _visible(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def test_french_pages_keep_punctuation_with_its_word(app, client):
    pages = ["/", "/lessons/first-steps", "/glossary", "/decide", "/register", "/login", "/quizzes"]
    for url in pages:
        loose = LOOSE.findall(_visible(text(client.get(url, headers=FR))))
        assert not loose, (url, loose)
    trainee = signed_in(app, make_user(language="fr"))
    for url in ("/records", "/account", "/progress"):
        loose = [m.group(0) for m in LOOSE.finditer(_visible(text(trainee.get(url))))]
        assert not loose, (url, loose)


def test_the_welcome_to_a_workshop_reads_naturally_in_french(app):
    from ..factories import make_workshop
    workshop = make_workshop(make_user(role="facilitator"), title="Atelier de Dakar : traite ou trafic ?")
    trainee = signed_in(app, make_user(language="fr"))
    page = text(trainee.post(f"/join/{workshop.join_code}", follow_redirects=True))
    assert "Bienvenue\u00a0! Vous avez rejoint «\u00a0Atelier de Dakar : traite ou trafic ?\u00a0»." in page
    assert "l'atelier Atelier" not in page and "l’atelier Atelier" not in page and "?." not in page
