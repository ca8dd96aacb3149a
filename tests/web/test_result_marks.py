"""The result of a match or an order question says right or wrong in words for a screen reader, and
each row is headed by its item (the ✓ and ✗ alone are read as nothing, or in English)."""
import re

from webapp.content import catalog
from webapp.content.questions import field_name
from webapp.extensions import db
from webapp.models import Attempt

from .test_quizzes import right_answers, start


def test_match_and_order_results_say_right_and_wrong_in_words(client, auth, trainee):
    auth.login()
    attempt_id = start(client, "second-steps")
    form = right_answers(attempt_id)
    attempt = db.session.get(Attempt, attempt_id)
    order = next(item for item in attempt.layout if catalog().question(item["id"])["type"] == "order")
    first, second = field_name(order["id"], 0), field_name(order["id"], 1)
    form[first], form[second] = form[second], form[first]  # two places swapped: both wrong
    assert client.post(f"/attempts/{attempt_id}", data=form).status_code == 302
    page = client.get(f"/attempts/{attempt_id}/result", ).get_data(as_text=True)
    marks = re.findall(r'<span aria-hidden="true">([✓✗])</span><span class="visually-hidden">\((right|wrong)\)</span>', page)
    assert marks and all((glyph == "✓") == (word == "right") for glyph, word in marks)
    assert ("✗", "wrong") in marks and ("✓", "right") in marks
    assert not re.search(r"</td> *[✓✗]|> *[✓✗] *</td>", page)  # no glyph left without its words
    assert page.count('<th scope="row">') == len(marks)


def test_each_review_link_on_a_result_names_its_question(client, auth, trainee):
    auth.login()
    attempt_id = start(client, "second-steps")
    client.post(f"/attempts/{attempt_id}", data=right_answers(attempt_id))
    page = client.get(f"/attempts/{attempt_id}/result").get_data(as_text=True)
    links = re.findall(r'>Review this in the lesson<span class="visually-hidden"> \((Question \d+)\)</span></a>', page)
    assert links == [f"Question {n}" for n in range(1, len(links) + 1)] and len(links) >= 2
    assert page.count("Review this in the lesson") == len(links)
