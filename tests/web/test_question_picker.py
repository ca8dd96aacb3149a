"""The live screen's question picker: a facilitator finds a question by words (in her language, accents
and case ignored), by lesson and by type, sees its options, and asks it with its own button. The page
carries one page of results, never the whole catalog."""
import re

from webapp.workshops import picker

from ..factories import join_workshop, make_user, make_workshop
from .workshop_helpers import current_live, signed_in, text


def screen(app, *, language="en", lessons=("first-steps", "second-steps")):
    owner = make_user(role="facilitator", language=language)
    workshop = make_workshop(owner, lessons=lessons)
    return workshop, signed_in(app, owner)


def listed(page: str) -> list[str]:
    """The ids of the questions offered, in their order."""
    return re.findall(r'<button class="primary" name="question" value="([^"]+)"', page)


def count_line(page: str) -> str:
    return re.search(r"<p class=\"picker-count\"[^>]*>(.*?)</p>", page, re.S).group(1)


def test_without_a_search_the_picker_offers_the_workshops_lessons_with_their_options(app):
    workshop, facilitator = screen(app, lessons=("second-steps",))
    page = text(facilitator.get(f"/workshops/{workshop.id}/live"))
    assert listed(page) == ["ss-match", "ss-order"] and count_line(page) == "2 questions match"
    assert '<select id="question"' not in page  # no list of every question of the course
    match = page.split('id="pick-ss-match"', 1)[1].split("</li>\n", 1)[0]
    assert "Match the pairs · 2. Second steps" in match and "<details><summary>Options and right answer" in match
    assert "80% → Women among victims" in match
    everything = text(facilitator.get(f"/workshops/{workshop.id}/live?lesson=all"))
    assert listed(everything) == ["ss-match", "ss-order", "fs-elements", "fs-forms", "fs-border", "fs-case"]
    lessons = everything.split('<select id="lesson"', 1)[1].split("</select>", 1)[0]
    assert lessons.index("2. Second steps") < lessons.index("1. First steps")  # hers first


def test_words_are_found_in_the_pages_language_whatever_the_accents_and_case(app):
    workshop, facilitator = screen(app)
    url = f"/workshops/{workshop.id}/live"
    assert listed(text(facilitator.get(f"{url}?words=ELEMENTS"))) == ["fs-elements"]
    assert listed(text(facilitator.get(f"{url}?words=paid+journey"))) == ["fs-forms"]  # an option's words
    assert listed(text(facilitator.get(f"{url}?words=women"))) == ["ss-match"]  # a pair's
    assert listed(text(facilitator.get(f"{url}?words=mendicite"))) == []  # French words on an English page
    _workshop, french = screen(app, language="fr")
    french_url = f"/workshops/{_workshop.id}/live"
    assert listed(text(french.get(f"{french_url}?words=mendicite+forcee"))) == ["fs-forms"]
    assert listed(text(french.get(f"{french_url}?words=Élément"))) == ["fs-elements"]
    assert listed(text(french.get(f"{french_url}?words=FRONTIERE"))) == ["fs-border", "fs-case"]
    page = text(french.get(f"{french_url}?words=frontiere"))
    assert "2\u00a0questions correspondent" in page or "2 questions correspondent" in page


def test_the_lesson_and_type_filters_narrow_the_list(app):
    workshop, facilitator = screen(app)
    url = f"/workshops/{workshop.id}/live"
    assert listed(text(facilitator.get(f"{url}?lesson=first-steps"))) == ["fs-elements", "fs-forms", "fs-border", "fs-case"]
    page = text(facilitator.get(f"{url}?type=true_false"))
    assert listed(page) == ["fs-border"]
    assert '<option value="true_false" selected>True or false</option>' in page
    assert listed(text(facilitator.get(f"{url}?words=border&type=classify&lesson=first-steps"))) == ["fs-case"]
    page = text(facilitator.get(f"{url}?type=no-such-type&lesson=no-such-lesson&page=x"))
    assert len(listed(page)) == 6  # unknown filters read as none: never an error


def test_a_search_that_finds_nothing_says_so_and_offers_every_lesson(app):
    workshop, facilitator = screen(app, lessons=("second-steps",))
    page = text(facilitator.get(f"/workshops/{workshop.id}/live?words=border"))
    assert count_line(page) == "0 questions match" and "No question matches this search." in page
    assert listed(page) == [] and 'action="/workshops/1/live" class="live-pick"' not in page
    link = re.search(r'<a href="([^"]+)">Search all lessons</a>', page).group(1).replace("&amp;", "&")
    assert listed(text(facilitator.get(link))) == ["fs-border", "fs-case"]


def test_results_come_a_page_at_a_time(app, monkeypatch):
    monkeypatch.setattr(picker, "PAGE_SIZE", 4)
    workshop, facilitator = screen(app)
    url = f"/workshops/{workshop.id}/live"
    first = text(facilitator.get(url))
    assert len(listed(first)) == 4 and count_line(first) == "6 questions match · Page 1 of 2"
    following = re.search(r'<a href="([^"]+)">Next page</a>', first).group(1).replace("&amp;", "&")
    second = text(facilitator.get(following))
    assert listed(second) == ["ss-match", "ss-order"] and '<ol class="picker-results" start="5">' in second
    assert "Previous page" in second and "Next page" not in second
    assert listed(text(facilitator.get(f"{url}?page=99"))) == ["ss-match", "ss-order"]  # past the end: the last


def test_asking_from_a_result_opens_it_and_comes_back_to_the_same_list(app):
    workshop, facilitator = screen(app)
    trainee = make_user(language="en")
    join_workshop(workshop, trainee)
    url = f"/workshops/{workshop.id}/live"
    page = text(facilitator.get(f"{url}?words=border&type=classify"))
    assert '<input type="hidden" name="words" value="border">' in page
    response = facilitator.post(url, data={"question": "fs-case", "words": "border", "type": "classify"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"{url}?words=border&type=classify#live-panel"
    assert current_live(workshop.id).question_id == "fs-case"
    screen_page = text(facilitator.get(response.headers["Location"]))
    panel = screen_page.split('id="live-panel"', 1)[1]
    assert "A man pays to cross a border without papers." in panel and "0 of 1 answered" in panel
    assert listed(screen_page) == ["fs-case"]
    assert "A man pays to cross" in text(signed_in(app, trainee).get(f"/workshops/{workshop.id}"))
