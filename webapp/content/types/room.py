"""Questions a facilitator types in the room (workshops/own_questions.py), never put in a quiz: a poll
of the room (yes/no, no right answer) and a short free-text answer (the facilitator alone reads the
answers). Neither is scored: live answers count toward no grade anyway."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..questions import QuestionType, field_name, register

ROOM_ONLY = "is asked in the room only (typed on the live questions page), not in a question bank"
FREE_TEXT_MAX = 300  # characters of one answer: a word, a phrase, a short sentence


class Poll(QuestionType):
    """Options and no right answer: the room's distribution is the result."""
    name = "poll"
    label = _l("Poll of the room")
    fixed_order = True   # yes, then no: as typed
    paper_shuffle = False
    scored = False

    def validate(self, q):
        return [ROOM_ONLY]

    def option_ids(self, q):
        return [o["id"] for o in q["options"]]

    def wrong_parts(self, q, answer):
        return []

    def paper_key(self, q, letters):
        return (), ""

    def correct_answer(self, q):
        return []

    def grade(self, q, answer):
        return 0.0


class FreeText(QuestionType):
    """A few words typed by each trainee, read by the facilitator only (as a list and word counts)."""
    name = "free_text"
    label = _l("Free text")
    by_option = False
    scored = False
    private_answers = True
    max_length = FREE_TEXT_MAX

    def validate(self, q):
        return [ROOM_ONLY]

    def read_answer(self, q, item, form):
        value = " ".join((form.get(field_name(q["id"])) or "").split())  # one line, no runs of spaces
        return value[:FREE_TEXT_MAX] or None

    def is_offered(self, q, item, answer):
        return True  # any words are hers to type, "?" among them

    def form_values(self, q, item, answer):
        return [(field_name(q["id"]), answer)] if isinstance(answer, str) else []

    def wrong_parts(self, q, answer):
        return []

    def paper_key(self, q, letters):
        return (), ""

    def is_answered(self, q, answer):
        return isinstance(answer, str) and bool(answer.strip())

    def correct_answer(self, q):
        return None

    def grade(self, q, answer):
        return 0.0


register(Poll())
register(FreeText())
