"""Each question's group of choices is described by its prompt: a screen-reader trainee who tabs into
the choices hears what is asked (and, after a refused submission, the error), not only "Question 2"."""
import re

from .test_quizzes import start


def groups(page: str) -> list[tuple[str, str]]:
    return re.findall(r'<fieldset class="question[^"]*" id="question-([^"]+)" aria-describedby="([^"]+)">', page)


def test_every_question_group_is_described_by_its_prompt_and_its_error(client, auth, trainee):
    auth.login()
    attempt_id = start(client, "second-steps")
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    found = groups(page)
    assert found and len(found) == page.count('<fieldset class="question')
    for qid, described in found:
        assert described == f"prompt-{qid}"
        assert f'<p class="prompt" id="prompt-{qid}">' in page
    refused = client.post(f"/attempts/{attempt_id}", data={}).get_data(as_text=True)
    for qid, described in groups(refused):
        assert described == f"prompt-{qid} error-{qid}" and f'<p class="error" id="error-{qid}">' in refused


def test_an_order_step_left_without_its_place_is_marked_at_its_own_list(client, auth, trainee):
    from webapp.content import catalog
    from webapp.content.questions import field_name
    from webapp.extensions import db
    from webapp.models import Attempt

    from .test_quizzes import right_answers
    auth.login()
    attempt_id = start(client, "second-steps")
    form = right_answers(attempt_id)
    order = next(item for item in db.session.get(Attempt, attempt_id).layout
                 if catalog().question(item["id"])["type"] == "order")
    empty = field_name(order["id"], 1)
    del form[empty]
    page = client.post(f"/attempts/{attempt_id}", data=form).get_data(as_text=True)
    assert f'<p class="error" id="{empty}-error">Choose a place for this step.</p>' in page
    assert re.search(rf'<select id="{empty}" name="{empty}" class="narrow" aria-invalid="true" '
                     rf'aria-describedby="{empty}-error">', page)
    assert page.count('aria-invalid="true"') == 1  # only that step; the kept ones are not marked
