"""The offline verifier, downloaded from the site and opened from disk with the network off, checks
a certificate's QR text: "valid" for the genuine text, "invalid" for a one-character change, in the
reader's language, with no accessibility violation."""
import urllib.request
from datetime import datetime

from webapp.certificates import services
from webapp.credentials import issuing
from webapp.extensions import db

from ..factories import make_user
from ..records_builders import complete_course
from .test_a11y import AXE, _violations


def _qr_text(app) -> str:
    with app.app_context():
        holder = make_user(email="awa@example.org", name="Awa Traoré", language="fr")
        complete_course(holder, at=datetime(2026, 3, 10, 10, 0))
        [cert] = services.issue_due(holder.id)
        with app.test_request_context():
            text = issuing.qr_text(cert)
        db.session.remove()
    return text


def test_the_offline_verifier_checks_a_qr_text_with_the_network_off(browser, live_server, tmp_path):
    base, app = live_server
    text = _qr_text(app)
    with urllib.request.urlopen(f"{base}/credentials/verifier.html", timeout=10) as response:
        assert "attachment" in response.headers["Content-Disposition"]
        (tmp_path / "verifier.html").write_bytes(response.read())
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-GB", offline=True)
    requests = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.goto((tmp_path / "verifier.html").as_uri())
    assert page.locator("h1").inner_text() == "Check a Passerelle certificate"
    page.fill("#text", text)
    page.click("#check")
    result = page.locator("#result")
    result.locator("strong").wait_for()
    assert result.get_attribute("data-status") == "valid"
    assert "Awa Traoré" in result.inner_text() and "2026-03-10" in result.inner_text()
    assert "cannot know" in page.locator("#limits").inner_text()
    # One character changed in the signed part: invalid.
    at = len(text) - 30
    page.fill("#text", text[:at] + ("B" if text[at] != "B" else "C") + text[at + 1:])
    page.click("#check")
    page.wait_for_function("document.getElementById('result').dataset.status !== 'valid'")
    assert result.get_attribute("data-status") == "invalid"
    assert "Do not accept it" in result.inner_text()
    # In French too, and nothing but the file itself was ever asked for.
    page.select_option("#lang", "fr")
    assert "Non valide" in result.inner_text()
    assert [url for url in requests if not url.startswith("file:")] == []
    if AXE.exists():
        assert _violations(page) == []
    context.close()
