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
