"""Certificates: issued on completion exactly once, printable, PDF, verified by anyone, revoked by admins."""
import re
import threading
import zlib
from datetime import datetime

import pytest
from sqlalchemy import func, select

from webapp.certificates import services
from webapp.certificates.numbers import display
from webapp.extensions import db
from webapp.models import Certificate

from ..factories import make_user
from ..records_builders import complete_course, complete_lessons, take_quiz
from .test_quizzes import right_answers, start

pytestmark = pytest.mark.engine_sensitive  # numbers are unique under concurrent issuing; search folds case

EN = {"Accept-Language": "en"}


def certificates(user):
    return db.session.scalars(select(Certificate).where(Certificate.user_id == user.id)).all()


def test_passing_the_final_after_every_lesson_issues_the_certificate(client, auth, trainee):
    auth.login()
    for slug in ("first-steps", "second-steps"):
        client.post(f"/lessons/{slug}/complete")  # marked as read: not enough
        lesson_quiz = start(client, slug)
        client.post(f"/attempts/{lesson_quiz}", data=right_answers(lesson_quiz))  # passing completes it
    assert certificates(trainee) == []
    attempt_id = start(client, "final")
    response = client.post(f"/attempts/{attempt_id}", data=right_answers(attempt_id), follow_redirects=True,
                           headers=EN)
    assert "Congratulations: you have completed the course." in response.get_data(as_text=True)
    [cert] = certificates(trainee)
    assert cert.scope == "course" and cert.holder_name == trainee.name and cert.is_valid
    page = client.get("/records", headers=EN).get_data(as_text=True)
    assert display(cert.number) in page


def test_passing_the_last_lessons_quiz_after_the_final_issues_the_certificate(client, auth, trainee):
    complete_lessons(trainee, slugs=["first-steps"])
    take_quiz(trainee)
    auth.login()
    client.post("/lessons/second-steps/complete")  # marked as read: no certificate yet
    assert certificates(trainee) == []
    lesson_quiz = start(client, "second-steps")
    response = client.post(f"/attempts/{lesson_quiz}", data=right_answers(lesson_quiz), follow_redirects=True,
                           headers=EN)
    assert "Your certificate is in My records." in response.get_data(as_text=True)
    assert len(certificates(trainee)) == 1


def test_no_certificate_without_every_lesson_or_with_a_failed_final(client, auth, trainee):
    complete_lessons(trainee, slugs=["first-steps"])
    take_quiz(trainee, score=0.95)
    take_quiz(make_user(), score=0.95)
    other = make_user()
    complete_lessons(other)
    take_quiz(other, score=0.5)
    assert services.issue_due(trainee.id) == [] and services.issue_due(other.id) == []
    auth.login()
    client.post("/lessons/first-steps/complete")   # already completed: nothing new
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0


def test_issuing_again_changes_nothing(app, trainee):
    complete_course(trainee, at=datetime(2026, 3, 10, 10, 0))
    [first] = services.issue_due(trainee.id)
    take_quiz(trainee, at=datetime(2026, 4, 1))    # passing again later
    assert services.issue_due(trainee.id) == []
    [cert] = certificates(trainee)
    assert cert.number == first.number and cert.completed_at == datetime(2026, 3, 10, 10, 0)


def test_concurrent_completions_issue_one_certificate(app, trainee):
    complete_course(trainee)
    user_id, barrier, errors = trainee.id, threading.Barrier(6), []

    def issue():
        with app.app_context():
            try:
                barrier.wait()
                services.issue_due(user_id)
            except Exception as error:  # noqa: BLE001 - collected and asserted below
                errors.append(error)
            finally:
                db.session.remove()
    threads = [threading.Thread(target=issue) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1


def _issued(user, **kw):
    complete_course(user, **kw)
    [cert] = services.issue_due(user.id)
    return display(cert.number)


def test_verification_shows_holder_course_date_and_status_only(client):
    holder = make_user(name="Aïssatou N'Diaye", email="aissatou@example.org", organisation="Gendarmerie")
    number = _issued(holder, at=datetime(2026, 3, 10, 10, 0))
    response = client.get(f"/verify/{number}", headers=EN)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This certificate is valid." in page and "Aïssatou N&#39;Diaye" in page
    assert "Sample course" in page and "10 March 2026" in page
    assert "aissatou@example.org" not in page and "Gendarmerie" not in page and "Police" not in page
    assert 'name="robots" content="noindex"' in page
    # typed by hand: lower case, no dashes
    assert client.get(f"/verify/{number.replace('-', '').lower()}").status_code == 200


def test_unknown_and_malformed_numbers_are_clearly_not_found(client):
    unknown = client.get("/verify/7K2M-Q9XD-4HTR-8BWN", headers=EN)
    assert unknown.status_code == 404
    assert "No certificate has this number." in unknown.get_data(as_text=True)
    for bad in ("12345", "not-a-number", "%3Cscript%3E", "7K2M-Q9XD-4HTR-8BWN-AAAA", "a/b"):
        response = client.get(f"/verify/{bad}", headers=EN)
        assert response.status_code == 404
        assert "This is not a certificate number." in response.get_data(as_text=True)
        assert "<script>" not in response.get_data(as_text=True)


def test_the_lookup_form_leads_to_the_verification_page(client):
    number = _issued(make_user())
    response = client.get("/verify", query_string={"number": number.lower()})
    assert response.status_code == 302 and client.get(response.headers["Location"]).status_code == 200
    assert client.get("/verify", query_string={"number": ""}, headers=EN).status_code == 400
    assert client.get("/verify").status_code == 200


def test_an_employer_pastes_the_verification_link_into_the_lookup_form(client):
    number = _issued(make_user(name="Awa Diop"))
    for pasted in (f"http://127.0.0.1:5000/verify/{number}",
                   f" https://passerelle.example.org/verify/{number}#eyJhbGciOiJFZERTQSJ9.e30.c2ln ",
                   f"passerelle.example.org/verify/{number.lower()}/"):
        response = client.get("/verify", query_string={"number": pasted}, headers=EN)
        assert response.status_code == 302, pasted
        page = client.get(response.headers["Location"], headers=EN)
        assert page.status_code == 200 and "This certificate is valid." in page.get_data(as_text=True), pasted


def test_an_employer_pastes_the_number_with_the_dashes_of_a_letter(client):
    number = _issued(make_user(name="Awa Diop"))
    typed = number.replace("-", "\u2013")  # the en dash a word processor makes of "-"
    response = client.get("/verify", query_string={"number": typed}, headers=EN)
    assert response.status_code == 302
    page = client.get(response.headers["Location"], headers=EN)
    assert page.status_code == 200 and "This certificate is valid." in page.get_data(as_text=True)


def test_an_admin_revokes_with_a_reason_and_verification_says_revoked(client, auth):
    holder = make_user()
    number = _issued(holder)
    make_user(email="admin@example.org", role="admin", language="en")
    auth.login("admin@example.org")
    assert client.post(f"/admin/certificates/{number}", data={"reason": ""}, headers=EN).status_code == 400
    assert services.find(number)[0] == "valid"
    response = client.post(f"/admin/certificates/{number}", data={"reason": "Identity fraud"}, headers=EN)
    assert response.status_code == 302
    status, cert = services.find(number)
    assert status == "revoked" and cert.revoked_reason == "Identity fraud"
    page = client.get(f"/verify/{number}", headers=EN).get_data(as_text=True)
    assert "This certificate has been revoked" in page and "Identity fraud" not in page
    again = client.post(f"/admin/certificates/{number}", data={"reason": "again"}, follow_redirects=True, headers=EN)
    assert "already revoked" in again.get_data(as_text=True)
    assert services.find(number)[1].revoked_reason == "Identity fraud"


def test_only_admins_revoke(client, auth, trainee):
    number = _issued(make_user())
    assert client.post(f"/admin/certificates/{number}", data={"reason": "x"}).headers["Location"].startswith("/login")
    auth.login()
    assert client.post(f"/admin/certificates/{number}", data={"reason": "x"}).status_code == 403
    assert client.get("/admin/certificates").status_code == 403
    assert services.find(number)[0] == "valid"


def test_admins_find_certificates_by_number_or_name(client, auth):
    number = _issued(make_user(name="Đorđe Petrović"))
    _issued(make_user(name="Someone Else"))
    make_user(email="admin@example.org", role="admin", language="en")
    auth.login("admin@example.org")
    by_name = client.get("/admin/certificates", query_string={"q": "đorđe"}).get_data(as_text=True)
    assert number in by_name and "Someone Else" not in by_name
    by_number = client.get("/admin/certificates", query_string={"q": number.lower()}).get_data(as_text=True)
    assert "Đorđe Petrović" in by_number and "Someone Else" not in by_number
    assert client.get("/admin/certificates/7K2M-Q9XD-4HTR-8BWN").status_code == 404


def test_admins_find_a_certificate_by_the_name_its_holder_goes_by_now(client, auth):
    holder = make_user(name="Awa Diop")
    number = _issued(holder)
    holder.name = "Awa Diop-Sarr"  # married since: her account says so, her certificate does not change
    db.session.commit()
    make_user(email="admin@example.org", role="admin", language="en")
    auth.login("admin@example.org")
    found = client.get("/admin/certificates", query_string={"q": "diop-sarr"}, headers=EN).get_data(as_text=True)
    assert number in found and "Awa Diop" in found
    assert client.get(f"/verify/{number}", headers=EN).get_data(as_text=True).count("Awa Diop-Sarr") == 0


def test_the_printable_certificate_is_in_the_holders_language_with_a_qr_code(client, auth):
    holder = make_user(email="fr@example.org", name="Aïssatou N'Diaye", language="fr")
    number = _issued(holder, at=datetime(2026, 3, 10, 10, 0))
    auth.login("fr@example.org")
    page = client.get(f"/certificates/{number}", headers=EN).get_data(as_text=True)
    assert "Certificat de réussite" in page and "Aïssatou N&#39;Diaye" in page and "Cours d&#39;essai" in page
    assert "10 mars 2026" in page and number in page
    assert f"http://127.0.0.1:5000/verify/{number}" in page and 'src="data:image/svg+xml' in page
    assert '<html lang="fr">' in page


def test_an_english_reader_sees_a_french_certificate_in_an_english_page(client, auth):
    holder = make_user(email="fr@example.org", name="Aïssatou N'Diaye", language="fr")
    number = _issued(holder, at=datetime(2026, 3, 10, 10, 0))
    make_user(email="admin@example.org", role="admin", language="en")
    auth.login("admin@example.org")
    page = client.get(f"/certificates/{number}").get_data(as_text=True)
    assert '<html lang="en">' in page and "Sign out" in page and "Download the PDF" in page
    assert 'class="certificate" lang="fr"' in page and "Certificat de réussite" in page and "10 mars 2026" in page


def test_someone_elses_certificate_page_is_not_found(client, auth, trainee):
    number = _issued(make_user())
    auth.login()
    assert client.get(f"/certificates/{number}").status_code == 404
    assert client.get(f"/certificates/{number}/pdf").status_code == 404
    assert client.get("/certificates/nonsense").status_code == 404


def _pdf_text_map(data: bytes) -> str:
    """The PDF's streams, inflated: the ToUnicode maps list every character the document shows."""
    out = []
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            out.append(zlib.decompress(raw).decode("latin-1"))
        except zlib.error:
            out.append(raw.decode("latin-1"))
    return "\n".join(out)


def test_the_pdf_renders_names_with_any_accent(client, auth):
    for n, name in enumerate(("Aïssatou N'Diaye", "Đorđe Nguyễn")):
        email = f"holder{n}@example.org"
        number = _issued(make_user(email=email, name=name, language="en"))
        auth.login(email)
        response = client.get(f"/certificates/{number}/pdf")
        auth.logout()
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        assert response.data.startswith(b"%PDF-") and b"DejaVu" in response.data
        assert "attachment" in response.headers["Content-Disposition"]
        text_map = _pdf_text_map(response.data).upper()
        for char in set(name) - {" "}:
            assert f"<{ord(char):04X}>" in text_map, char


def test_the_verification_link_uses_the_public_address_when_configured(app, client, auth):
    app.config["BASE_URL"] = "https://passerelle.example.org"
    holder = make_user(email="holder@example.org", language="en")
    number = _issued(holder)
    auth.login("holder@example.org")
    page = client.get(f"/certificates/{number}").get_data(as_text=True)
    assert f'href="https://passerelle.example.org/verify/{number}"' in page and "http://localhost/verify" not in page


def _pdf(client, auth, email, number):
    from ..pdf_text import read
    auth.login(email)
    response = client.get(f"/certificates/{number}/pdf")
    auth.logout()
    assert response.status_code == 200
    return read(response.data)


def _assert_laid_out(page):
    """One page; every line inside the frame, below the one before, none overlapping another; the
    texts drawn before the QR code end above it."""
    assert page.pages == 1
    _, qr_top, _, _ = page.rects[0]
    first_rect = page.order.index(("rect", 0))
    above = [page.lines[i] for kind, i in page.order[:first_rect] if kind == "text"]
    below = [page.lines[i] for kind, i in page.order[first_rect:] if kind == "text"]
    assert above and len(below) == 4
    for before, after in zip(page.lines, page.lines[1:]):
        assert before.bottom <= after.top, (before, after)
    assert all(10 < line.top and line.bottom < page.height - 10 for line in page.lines)
    assert above[-1].bottom < qr_top
    assert all(20 <= line.x < 22 and line.bottom > qr_top for line in below)          # left of the QR code


def test_a_long_name_and_workshop_title_never_overlap_the_number_and_link(client, auth):
    from .test_workshop_records import DAYS, attend, workshop
    name = "Marie-Françoise Aïssatou Ndèye Coumba " * 4
    holder = make_user(email="long@example.org", name=name.strip()[:120], language="fr")
    w = workshop(members=[holder])
    w.title = ("Atelier national de formation des formatrices et des formateurs sur l’identification des "
               "victimes de la traite et l’orientation vers les services de protection")[:160]
    w.city = "Saint-Louis du Sénégal, Commune de Ndiébène Gandiole, Département de Saint-Louis"
    db.session.commit()
    attend(w, holder, DAYS)
    complete_course(holder)
    issued = services.issue_due(holder.id)
    for cert in issued:
        services.revoke(cert, by=None, reason="test")          # the revoked line too
    for cert in issued:
        page = _pdf(client, auth, "long@example.org", display(cert.number))
        _assert_laid_out(page)
        shown = " ".join(line.text for line in page.lines)
        assert "Ce certificat a été révoqué." in shown and display(cert.number) in shown


def test_an_ordinary_certificate_keeps_its_full_size_layout(client, auth):
    number = _issued(make_user(email="short@example.org", name="Awa Diop", language="en"))
    page = _pdf(client, auth, "short@example.org", number)
    _assert_laid_out(page)
    assert [line.size for line in page.lines[:4]] == [14, 28, 13, 26]       # nothing made smaller


def test_the_pdf_says_in_her_language_what_she_completed_its_number_and_where_to_check_it(client, auth):
    from .test_workshop_records import DAYS, attend, workshop
    holder = make_user(email="fr@example.org", name="Aïssatou N'Diaye", language="fr")
    w = workshop(members=[holder])
    attend(w, holder, DAYS)
    complete_course(holder, at=datetime(2026, 3, 20, 10, 0))
    certs = {c.scope: c for c in services.issue_due(holder.id)}
    for scope, cert in certs.items():
        number = display(cert.number)
        lines = [line.text for line in _pdf(client, auth, "fr@example.org", number).lines]
        assert lines[:4] == ["Passerelle", "Certificat de réussite", "Ce certificat atteste que", "Aïssatou N'Diaye"]
        assert "Cours d'essai" in lines and "Terminé le 20 mars 2026" in lines
        assert f"Numéro du certificat {number}" in lines and f"http://127.0.0.1:5000/verify/{number}" in lines
        assert not [line for line in lines if "Certificate" in line or "completed" in line]   # no English
        if scope == "course":
            assert "dans le cadre de l’atelier" not in lines
        else:
            at = lines.index("dans le cadre de l’atelier")
            assert lines[at + 1] == "Atelier de Dakar, Dakar (Sénégal), 9 mars 2026 – 11 mars 2026"
    assert sorted(certs) == ["course", f"workshop:{w.id}"]
