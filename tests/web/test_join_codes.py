"""Join codes against guessing: look-ups limited per address and over the site (in the database, so
across workers and servers), long codes, closed workshops that show nothing, and "everyone present"
that names whom it marks."""
import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from webapp.extensions import db
from webapp.models import AttendanceMark, CodeLookup, Workshop
from webapp.models.base import utcnow
from webapp.workshops import services

from ..factories import join_workshop, make_user, make_workshop
from .workshop_helpers import signed_in, text

pytestmark = pytest.mark.engine_sensitive  # look-ups are counted per window in SQL

DAY1 = "2026-03-24"


def look(app, code, address="203.0.113.5", language="en", client=None):
    client = client or app.test_client()
    return client.get(f"/join/{code}", headers={"Accept-Language": language}, environ_base={"REMOTE_ADDR": address})


def wrong(n: int) -> str:
    return f"ZZZZ{n:04d}".replace("0", "Q").replace("1", "R")[:8]  # letters only, never a real code


def main_of(response) -> str:
    return text(response).split("<main", 1)[1].split("</main>", 1)[0]


# Limits ------------------------------------------------------------------------------------------

def test_guessing_codes_from_one_address_is_refused_past_the_limit(app):
    app.config["JOIN_MAX_FAILURES_PER_ADDRESS"] = 5
    workshop = make_workshop(make_user(role="facilitator"))
    for n in range(5):
        assert look(app, wrong(n)).status_code == 404
    # The sixth look-up is refused without looking, the right code included, with when to retry.
    refused = look(app, workshop.join_code)
    assert refused.status_code == 429 and "Atelier de Dakar" not in text(refused)
    assert 890 <= int(refused.headers["Retry-After"]) <= 900
    assert "Try again in 15 minutes" in text(refused)
    french = look(app, workshop.join_code, language="fr")
    assert french.status_code == 429 and "Réessayez dans 15 minutes" in text(french)
    typed = app.test_client().get(f"/join?code={workshop.join_code}", environ_base={"REMOTE_ADDR": "203.0.113.5"})
    assert typed.status_code == 429
    # Another address is not held back by this one; the refused look-ups were not counted.
    assert look(app, workshop.join_code, address="198.51.100.7").status_code == 200
    assert db.session.scalar(select(func.count()).select_from(CodeLookup)) == 5


def test_guessing_from_many_addresses_meets_the_limit_of_the_site(app):
    app.config["JOIN_MAX_FAILURES"] = 4
    workshop = make_workshop(make_user(role="facilitator"))
    for n in range(4):
        assert look(app, wrong(n), address=f"203.0.113.{n + 1}").status_code == 404
    assert look(app, workshop.join_code, address="198.51.100.99").status_code == 429


def test_right_codes_cost_nothing_so_a_room_behind_one_address_gets_in(app):
    app.config["JOIN_MAX_FAILURES_PER_ADDRESS"] = 3
    workshop = make_workshop(make_user(role="facilitator"))
    for n in range(40):
        client = signed_in(app, make_user(email=f"t{n}@example.org"))
        assert look(app, workshop.join_code, client=client).status_code == 200
        assert client.post(f"/join/{workshop.join_code}", environ_base={"REMOTE_ADDR": "203.0.113.5"}).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(CodeLookup)) == 0


def test_failures_age_out_of_the_window_and_old_rows_are_deleted(app):
    app.config["JOIN_MAX_FAILURES_PER_ADDRESS"] = 2
    workshop = make_workshop(make_user(role="facilitator"))
    look(app, wrong(1))
    look(app, wrong(2))
    assert look(app, workshop.join_code).status_code == 429
    db.session.execute(update(CodeLookup).values(at=utcnow() - timedelta(seconds=901)))
    db.session.commit()
    assert look(app, workshop.join_code).status_code == 200
    assert look(app, wrong(3)).status_code == 404
    assert db.session.scalar(select(func.count()).select_from(CodeLookup)) == 1  # the aged rows went


def test_parallel_guesses_never_try_more_codes_than_the_limit(app):
    """Twenty guesses at once from one address (several workers): no more than five are looked at."""
    app.config["JOIN_MAX_FAILURES_PER_ADDRESS"] = 5
    statuses, barrier = [], threading.Barrier(20)

    def guess(n):
        client = app.test_client()
        barrier.wait()
        statuses.append(look(app, wrong(n), client=client).status_code)
    threads = [threading.Thread(target=guess, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(statuses) == 20 and set(statuses) <= {404, 429}
    assert statuses.count(404) <= 5
    assert db.session.scalar(select(func.count()).select_from(CodeLookup)) <= 5


# Codes ------------------------------------------------------------------------------------------

def test_new_codes_are_eight_letters_shown_in_two_groups(app):
    owner = make_user(role="facilitator", language="en")
    workshop = make_workshop(owner)
    assert re.fullmatch(f"[{services.CODE_ALPHABET}]{{8}}", workshop.join_code)
    shown = f"{workshop.join_code[:4]}-{workshop.join_code[4:]}"
    client = signed_in(app, owner)
    assert shown in text(client.get(f"/workshops/{workshop.id}"))
    assert shown in text(client.get(f"/workshops/{workshop.id}/projector"))
    typed = client.get(f"/join?code={shown.lower()}")
    assert typed.headers["Location"] == f"/join/{workshop.join_code}"


def test_a_six_letter_code_made_before_still_opens_its_workshop(app):
    workshop = make_workshop(make_user(role="facilitator", language="en"))
    workshop.join_code = "ABCDEF"
    db.session.commit()
    trainee = signed_in(app, make_user(language="en"))
    assert trainee.get("/join?code=abc-def").headers["Location"] == "/join/ABCDEF"
    assert trainee.post("/join/ABCDEF").headers["Location"] == f"/workshops/{workshop.id}"
    owner_page = text(signed_in(app, workshop.owner).get(f"/workshops/{workshop.id}"))
    assert "ABC-DEF" in owner_page


def test_a_closed_workshops_code_shows_nothing_more_than_an_unknown_code(app):
    workshop = make_workshop(make_user(role="facilitator"), title="Atelier secret")
    member = make_user(language="en")
    join_workshop(workshop, member)
    services.set_joining(workshop, False)
    for client in (app.test_client(), signed_in(app, make_user(language="en"))):
        unknown, response = look(app, "QQQQRRRR", client=client), look(app, workshop.join_code, client=client)
        assert response.status_code == 404
        body = main_of(response)
        assert body.replace(workshop.join_code, "CODE") == main_of(unknown).replace("QQQQRRRR", "CODE")
        assert "Atelier secret" not in text(response) and "Dakar" not in text(response)
        assert "2026" not in body
    typed = app.test_client().get(f"/join?code={workshop.join_code}", headers={"Accept-Language": "en"})
    assert typed.status_code == 404 and "Atelier secret" not in text(typed)
    assert "No open workshop has this code" in text(typed)
    # Someone already in it still gets to it from the link.
    assert look(app, workshop.join_code, client=signed_in(app, member)).headers["Location"] == f"/workshops/{workshop.id}"


def test_a_mistyped_workshop_link_offers_the_code_again(app):
    """A code copied wrong from the slide into the address: the page to type it again, not a dead end."""
    response = look(app, "ABCD-EFGX", language="fr")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "<title>Erreur\u00a0:" in page
    form = re.search(r'<form method="get" action="/join"[^>]*>.*?</form>', page, re.S).group(0)
    assert 'value="ABCD-EFGX"' in form and 'aria-invalid="true"' in form
    assert "Aucun atelier ouvert n’a ce code" in page
    too_long = look(app, "A" * 300)
    assert too_long.status_code == 404 and 'value="AAAA' not in too_long.get_data(as_text=True)


# Everyone present ---------------------------------------------------------------------------------

def test_everyone_present_names_whom_it_will_mark_and_marks_nothing_before_the_yes(app):
    owner = make_user(role="facilitator", language="en")
    workshop = make_workshop(owner)
    ana, ben = make_user(name="Ana Diallo"), make_user(name="Ben Sow")
    join_workshop(workshop, ana, ben)
    client = signed_in(app, owner)
    response = client.post(f"/workshops/{workshop.id}/attendance/{DAY1}", data={"everyone": "1"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/workshops/{workshop.id}/attendance/{DAY1}/everyone"
    assert db.session.scalar(select(func.count()).select_from(AttendanceMark)) == 0
    page = text(client.get(response.headers["Location"]))
    assert "Ana Diallo" in page and "Ben Sow" in page and "This marks these 2 trainees present" in page
    assert db.session.scalar(select(func.count()).select_from(AttendanceMark)) == 0
    # A stranger joins with a photo of the code while the page is open: the "yes" does not mark her.
    stranger = make_user(name="Photo Stranger")
    join_workshop(workshop, stranger)
    listed = re.findall(r'name="user" value="(\d+)"', page)
    done = client.post(f"/workshops/{workshop.id}/attendance/{DAY1}/everyone", data={"user": listed})
    assert done.headers["Location"] == f"/workshops/{workshop.id}/attendance/{DAY1}"
    marked = set(db.session.scalars(select(AttendanceMark.user_id)))
    assert marked == {ana.id, ben.id}


def test_everyone_present_keeps_other_marks_and_ignores_people_outside_the_workshop(app):
    owner = make_user(role="facilitator", language="en")
    workshop = make_workshop(owner)
    ana, ben, outsider = make_user(name="Ana"), make_user(name="Ben"), make_user(name="Out")
    join_workshop(workshop, ana, ben)
    client = signed_in(app, owner)
    client.post(f"/workshops/{workshop.id}/attendance/{DAY1}/mark", data={"user": ana.id, "present": "1"})
    client.post(f"/workshops/{workshop.id}/attendance/{DAY1}/everyone", data={"user": [str(ben.id), str(outsider.id), "x"]})
    assert set(db.session.scalars(select(AttendanceMark.user_id))) == {ana.id, ben.id}
    assert db.session.get(Workshop, workshop.id) is not None
