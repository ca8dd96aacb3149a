"""A trainee without JavaScript in the room: her workshop page reloads itself while something is going
on (a meta refresh inside <noscript>), but never while she is choosing an answer; and whatever comes of
an answer she sends, she lands on her page by a 303, so that a reload never sends the form again."""
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import LiveAnswer

from ..factories import join_workshop, make_user, make_workshop
from .workshop_helpers import current_live, live_form, signed_in, text

REFRESH = re.compile(r'<noscript><meta http-equiv="refresh" content="(\d+); url=/workshops/\d+"></noscript>')


def room(app, *, today=False):
    """A workshop (held today, or on days long past), its facilitator's browser and one trainee's."""
    owner = make_user(role="facilitator", language="en")
    start = datetime.now(UTC).date() - timedelta(days=1) if today else None
    workshop = make_workshop(owner, start=start, days=3)
    trainee = make_user(language="en")
    join_workshop(workshop, trainee)
    return workshop, signed_in(app, owner), signed_in(app, trainee)


def refresh_of(page: str) -> int | None:
    found = REFRESH.search(page.split("</head>", 1)[0])
    return int(found.group(1)) if found else None


def flashes(page: str) -> str:
    found = re.search(r'<div class="flashes" role="status">(.*?)</div>', page, re.S)
    return found.group(1) if found else ""


def answers() -> int:
    return db.session.scalar(select(func.count()).select_from(LiveAnswer))


def test_the_page_refreshes_itself_in_every_state_of_the_room_but_while_she_chooses(app):
    workshop, facilitator, phone = room(app, today=True)
    url = f"/workshops/{workshop.id}"
    page = text(phone.get(url))  # a workshop day, nothing asked yet: she waits for the first question
    assert refresh_of(page) == 3 and "This page refreshes by itself." in page
    facilitator.post(f"{url}/live", data={"question": "fs-elements"})
    live = current_live(workshop.id)
    page = text(phone.get(url))  # open, not answered: a reload would wipe what she is choosing
    assert refresh_of(page) is None
    assert "This page will refresh by itself once you have sent your answer." in page
    assert f'<a href="/workshops/{workshop.id}">Refresh</a>' in page  # no #fragment: that would only scroll
    phone.post(f"{url}/live/{live.id}/answer", data=live_form(live, "a"))
    page = text(phone.get(url))  # answered: she waits for the answer to be shown
    assert refresh_of(page) == 3 and "once you have sent your answer" not in page
    facilitator.post(f"{url}/live/{live.id}/close")
    assert refresh_of(text(phone.get(url))) == 3
    facilitator.post(f"{url}/live/{live.id}/reveal")
    page = text(phone.get(url))
    assert refresh_of(page) == 3 and "You were right." in page


def test_a_room_gone_quiet_stops_refreshing_and_an_open_test_starts_it_again(app):
    workshop, facilitator, phone = room(app)  # the workshop's days are long past
    url = f"/workshops/{workshop.id}"
    page = text(phone.get(url))
    assert refresh_of(page) is None and "Reload the page to see it." in page  # no live session at all
    facilitator.post(f"{url}/live", data={"question": "fs-border"})
    live = current_live(workshop.id)
    facilitator.post(f"{url}/live/{live.id}/reveal")
    assert refresh_of(text(phone.get(url))) == 3  # just shown: the next question is likely to come
    live.closed_at -= timedelta(minutes=20)
    db.session.commit()
    assert refresh_of(text(phone.get(url))) is None  # shown long ago: the page stays still
    facilitator.post(f"{url}/tests/pre/open")
    assert refresh_of(text(phone.get(url))) == 3


def test_the_refresh_follows_the_poll_interval_in_whole_seconds(app):
    app.config["LIVE_POLL_SECONDS"] = 4.2
    workshop, _facilitator, phone = room(app, today=True)
    assert refresh_of(text(phone.get(f"/workshops/{workshop.id}"))) == 5


def test_every_answer_ends_on_her_page_with_its_message_shown_once(app):
    workshop, facilitator, phone = room(app, today=True)
    url = f"/workshops/{workshop.id}"
    facilitator.post(f"{url}/live", data={"question": "fs-elements"})
    live = current_live(workshop.id)
    answer = f"{url}/live/{live.id}/answer"
    # A refusal comes back without the fragment, which would cancel the autofocus on its message.
    outcomes = [({}, "Choose an answer, then send it.", url),
                (live_form(live, "a"), "Your answer is saved.", f"{url}#live-panel"),
                ("close", "This question is closed: your answer was not saved.", url)]
    for form, message, back in outcomes:
        if form == "close":
            facilitator.post(f"{url}/live/{live.id}/close")
            form = live_form(live, "b")
        response = phone.post(answer, data=form)
        assert response.status_code == 303 and response.headers["Location"] == back
        page = text(phone.get(response.headers["Location"]))
        assert message in flashes(page) and "How many elements has trafficking?" in page
        assert flashes(text(phone.get(url))) == ""  # a reload does not say it again
    assert answers() == 1 and db.session.scalar(select(LiveAnswer.answer)) == "a"


def test_an_incomplete_change_of_a_sent_answer_is_kept_and_the_page_stays_still(app):
    workshop, facilitator, phone = room(app, today=True)
    url = f"/workshops/{workshop.id}"
    facilitator.post(f"{url}/live", data={"question": "ss-match"})
    live = current_live(workshop.id)
    token = {option: tok for tok, option in live.layout["tokens"].items()}
    full = {f"q-ss-match-{n}": token[left] for n, left in enumerate(live.layout["rows"])}
    phone.post(f"{url}/live/{live.id}/answer", data=full)
    changed = {name: value for name, value in full.items() if not name.endswith(("-0", "-2"))}
    response = phone.post(f"{url}/live/{live.id}/answer", data=changed)
    page = text(phone.get(response.headers["Location"]))
    assert "Lines 1, 3 have no answer yet: complete them, then send your answer." in flashes(page)
    assert page.count(" checked") == 1 and refresh_of(page) is None  # what she is changing stays
    assert refresh_of(text(phone.get(url))) == 3  # then her saved answer, and the room, again
    assert answers() == 1


def test_an_answer_to_a_question_asked_since_is_refused_without_showing_the_new_one_as_wrong(app):
    workshop, facilitator, phone = room(app, today=True)
    url = f"/workshops/{workshop.id}"
    facilitator.post(f"{url}/live", data={"question": "ss-match"})
    first = current_live(workshop.id)
    token = next(iter(first.layout["tokens"]))
    response = phone.post(f"{url}/live/{first.id}/answer", data={"q-ss-match-0": token})  # incomplete
    facilitator.post(f"{url}/live", data={"question": "fs-elements"})  # before she sees her page again
    page = text(phone.get(response.headers["Location"]))
    assert "How many elements has trafficking?" in page and "Answer this question." not in page
    assert "invalid" not in page.split('id="live-panel"', 1)[1].split("</section>", 1)[0]
