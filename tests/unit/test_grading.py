"""Scoring of every question type: right, wrong, partial, empty, forged."""
import pytest

from webapp.content.questions import QUESTION_TYPES

T = {"en": "x", "fr": "x"}
SINGLE = {"type": "single", "options": [{"id": "a", "correct": False, "text": T}, {"id": "b", "correct": True, "text": T}]}
MULTIPLE = {"type": "multiple", "options": [{"id": "a", "correct": True, "text": T}, {"id": "b", "correct": True, "text": T},
                                            {"id": "c", "correct": False, "text": T}, {"id": "d", "correct": False, "text": T}]}
TRUE_FALSE = {"type": "true_false", "answer": False}
CLASSIFY = {"type": "classify", "answer": "both", "facts": {}}
MATCH = {"type": "match", "pairs": [{"id": i, "left": T, "right": T} for i in ("p", "q", "r", "s")]}
ORDER = {"type": "order", "items": [{"id": i, "text": T} for i in ("one", "two", "three", "four")]}


def grade(q, answer):
    return QUESTION_TYPES[q["type"]].grade(q, answer)


@pytest.mark.parametrize("q, right, wrong", [
    (SINGLE, "b", "a"), (TRUE_FALSE, "false", "true"), (CLASSIFY, "both", "smuggling")])
def test_one_answer_types_score_all_or_nothing(q, right, wrong):
    assert grade(q, right) == 1.0
    assert grade(q, wrong) == 0.0
    assert grade(q, "?") == 0.0 and grade(q, None) == 0.0


def test_multiple_gives_partial_credit_and_penalises_wrong_ticks():
    assert grade(MULTIPLE, ["a", "b"]) == 1.0
    assert grade(MULTIPLE, ["a"]) == 0.5
    assert grade(MULTIPLE, ["a", "c"]) == 0.0          # one right, one wrong
    assert grade(MULTIPLE, ["a", "b", "c"]) == 0.5
    assert grade(MULTIPLE, ["a", "b", "c", "d"]) == 0.0  # ticking everything earns nothing
    assert grade(MULTIPLE, ["c", "d"]) == 0.0          # never below zero
    assert grade(MULTIPLE, ["a", "?"]) == 0.0          # a forged id counts as a wrong tick
    assert grade(MULTIPLE, "a") == 0.0                 # wrong shape


def test_match_scores_the_share_of_right_pairs():
    assert grade(MATCH, {"p": "p", "q": "q", "r": "r", "s": "s"}) == 1.0
    assert grade(MATCH, {"p": "p", "q": "r", "r": "q", "s": "s"}) == 0.5
    assert grade(MATCH, {"p": "?", "q": "q"}) == 0.25
    assert grade(MATCH, {}) == 0.0 and grade(MATCH, ["p"]) == 0.0


def test_order_scores_the_share_of_items_in_their_place():
    assert grade(ORDER, {"one": 1, "two": 2, "three": 3, "four": 4}) == 1.0
    assert grade(ORDER, {"one": 2, "two": 1, "three": 3, "four": 4}) == 0.5
    assert grade(ORDER, {"one": 4, "two": 3, "three": 2, "four": 1}) == 0.0
    assert grade(ORDER, {"one": 1, "bogus": 2}) == 0.25


@pytest.mark.parametrize("q, answer, answered", [
    (SINGLE, None, False), (SINGLE, "a", True), (MULTIPLE, [], False), (MULTIPLE, ["a"], True),
    (MATCH, {"p": "p"}, False), (MATCH, {"p": "p", "q": "q", "r": "r", "s": "s"}, True),
    (ORDER, {"one": 1, "two": 2, "three": 3}, False), (ORDER, {"one": 1, "two": 2, "three": 3, "four": 4}, True),
])
def test_a_question_is_answered_only_when_every_part_is(q, answer, answered):
    assert QUESTION_TYPES[q["type"]].is_answered(q, answer) is answered
