"""Letters typed in from a paper sheet become answers, per question type (the registry's
``paper_answer``); what cannot be read on the sheet is refused, never guessed."""
import pytest

from webapp.content.questions import QUESTION_TYPES

TEXT = {"en": "x", "fr": "x"}
SINGLE = {"id": "s", "type": "single", "options": [{"id": "a", "correct": True, "text": TEXT},
                                                   {"id": "b", "correct": False, "text": TEXT}]}
MULTIPLE = {**SINGLE, "type": "multiple"}
MATCH = {"id": "m", "type": "match", "pairs": [{"id": p, "left": TEXT, "right": TEXT} for p in ("x", "y", "z")]}
ORDER = {"id": "o", "type": "order", "items": [{"id": i, "text": TEXT} for i in ("one", "two", "three")]}
SHEET_AB = (("A", "b"), ("B", "a"))                   # as printed: option b is A, option a is B
SHEET_XYZ = (("A", "z"), ("B", "x"), ("C", "y"))
SHEET_ORDER = (("A", "three"), ("B", "one"), ("C", "two"))


@pytest.mark.parametrize("question, options, rows, typed, answer", [
    (SINGLE, SHEET_AB, (), "b", "a"),
    (SINGLE, SHEET_AB, (), "  ", None),
    (MULTIPLE, SHEET_AB, (), "a, b", ["a", "b"]),
    (MULTIPLE, SHEET_AB, (), "A", ["b"]),
    (MATCH, SHEET_XYZ, ("x", "y", "z"), "1→B, 2→C, 3→A", {"x": "x", "y": "y", "z": "z"}),
    (MATCH, SHEET_XYZ, ("x", "y", "z"), "B-A", {"x": "x", "z": "z"}),  # the second line left empty
    (ORDER, SHEET_ORDER, (), "B C A", {"one": 1, "two": 2, "three": 3}),
    (ORDER, SHEET_ORDER, (), "AAB", {"three": 1, "one": 3}),
])
def test_the_sheets_letters_become_the_answer_graded_online(question, options, rows, typed, answer):
    assert QUESTION_TYPES[question["type"]].paper_answer(question, options, rows, typed) == answer


@pytest.mark.parametrize("question, options, rows, typed", [
    (SINGLE, SHEET_AB, (), "C"),        # not on the sheet
    (SINGLE, SHEET_AB, (), "AB"),       # one answer asked
    (MULTIPLE, SHEET_AB, (), "AA"),
    (MATCH, SHEET_XYZ, ("x", "y", "z"), "BC"),      # a line short
    (ORDER, SHEET_ORDER, (), "ABCA"),                 # one too many
    (SINGLE, SHEET_AB, (), "É"),
])
def test_letters_that_cannot_be_read_on_the_sheet_are_refused(question, options, rows, typed):
    with pytest.raises(ValueError):
        QUESTION_TYPES[question["type"]].paper_answer(question, options, rows, typed)


def test_the_answer_key_as_printed_reads_back_as_full_marks():
    for question, options, rows in ((SINGLE, SHEET_AB, ()), (MULTIPLE, SHEET_AB, ()),
                                    (MATCH, SHEET_XYZ, ("x", "y", "z")), (ORDER, SHEET_ORDER, ())):
        qtype = QUESTION_TYPES[question["type"]]
        letters = {option: letter for letter, option in options}
        _rows, key = qtype.paper_key(question, letters)
        assert qtype.grade(question, qtype.paper_answer(question, options, rows, key)) == 1.0, question["type"]
