"""A quiz's overview, its questions and its result have titles of their own: a screen-reader trainee
who presses "Start the quiz" hears from the title that the questions are now in front of her."""
import re

from .test_quizzes import right_answers, start


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.get_data(as_text=True), re.S).group(1)


def test_overview_questions_and_result_have_distinct_titles(client, auth, trainee):
    auth.login()
    overview = title(client.get("/quizzes/first-steps"))
    attempt_id = start(client)
    questions = title(client.get(f"/attempts/{attempt_id}"))
    assert questions != overview and re.match(r"\d+ questions? · ", questions)
    assert questions.endswith(overview)
    client.post(f"/attempts/{attempt_id}", data=right_answers(attempt_id))
    result = title(client.get(f"/attempts/{attempt_id}/result"))
    assert len({overview, questions, result}) == 3
