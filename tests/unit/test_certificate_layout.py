"""The certificate PDF keeps its layout whatever the lengths: smaller fonts first, then cut lines."""
from webapp.certificates import document

from ..pdf_text import read

LABELS = {"heading": "Certificate of completion", "certifies": "This certifies that",
          "completed": "has completed the course", "workshop": "as part of the workshop", "date": "Completed on",
          "number": "Certificate number", "verify": "Check that this certificate is genuine at",
          "revoked": "This certificate has been revoked.", "issuer": "Passerelle"}


def test_texts_longer_than_any_form_allows_are_cut_short_and_never_overlap():
    doc = document.Document(lang="en", number="ABCD-EFGH-JKMN-PQRS", holder="Wide " * 200, course="Course",
                            workshop="Workshop " * 300, date="10 March 2026",
                            verify_url="https://passerelle.example.org/verify/ABCD-EFGH-JKMN-PQRS",
                            revoked=True, labels=LABELS)
    page = read(document.pdf(doc))
    assert page.pages == 1
    qr_top = page.rects[0][1]
    top = [line for line in page.lines if line.baseline < qr_top]
    for before, after in zip(page.lines, page.lines[1:]):
        assert before.bottom <= after.top
    assert top[-1].text == "This certificate has been revoked." and top[-1].bottom < qr_top
    holder = [line.text for line in top if line.text.startswith("Wide")]
    assert len(holder) == document.MAX_LINES and holder[-1].endswith("…")
