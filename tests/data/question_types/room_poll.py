"""A yes/no poll of the room, as a new question type would be added: this module and its templates
(templates/questions/room_poll/), nothing else. Used by tests/web/test_question_registry.py."""
from webapp.content.questions import QuestionType


class YesNo(QuestionType):
    name = "room_poll"
    fixed_order = True  # yes, then no
    paper_shuffle = False

    def validate(self, q):
        return [] if q.get("answer") in ("yes", "no") else ["answer must be yes or no (quoted)"]

    def option_ids(self, q):
        return ["yes", "no"]

    def correct_answer(self, q):
        return q["answer"]

    def grade(self, q, answer):
        return 1.0 if answer == q["answer"] else 0.0

