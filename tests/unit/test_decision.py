"""The decision rule of outline section 4.2, and its agreement with every classify question."""
import pytest

from webapp.content import load_catalog
from webapp.content.questions import normalise_facts
from webapp.decision import classify

from ..unit.test_content import ROOT

VECTORS = [
    # child, act, purpose, means, crossing, benefit -> result
    ("no", "yes", "yes", "yes", "none", None, "trafficking"),
    ("yes", "yes", "yes", None, "none", None, "trafficking"),
    ("no", "yes", "yes", "no", "regular", None, "neither"),
    ("no", "yes", "no", "no", "irregular", "yes", "smuggling"),
    ("no", "yes", "yes", "yes", "irregular", "yes", "both"),
    ("no", "yes", "no", "no", "irregular", "no", "neither"),
    ("yes", "yes", "unknown", None, "regular", None, "not_enough_information"),
    ("unknown", "yes", "yes", "no", "none", None, "not_enough_information"),
    ("no", "yes", "unknown", "unknown", "irregular", "yes", "not_enough_information"),
    ("no", "no", "no", "no", "none", None, "neither"),
]


@pytest.mark.parametrize("child, act, purpose, means, crossing, benefit, expected", VECTORS)
def test_rule_vectors_from_the_outline(child, act, purpose, means, crossing, benefit, expected):
    facts = dict(child=child, act=act, purpose=purpose, means=means, crossing=crossing, benefit=benefit)
    assert classify(facts).result == expected


def test_not_enough_information_says_what_to_find_out():
    decision = classify(dict(child="yes", act="yes", purpose="unknown", crossing="regular"))
    assert decision.find_out == ("purpose",)
    decision = classify(dict(child="no", act="yes", purpose="unknown", means="unknown",
                             crossing="irregular", benefit="yes"))
    assert set(decision.find_out) == {"purpose", "means"}


def test_unknown_crossing_makes_the_unasked_benefit_matter():
    decision = classify(dict(child="no", act="no", purpose="no", means="no", crossing="unknown", benefit="unknown"))
    assert decision.result == "not_enough_information"
    assert set(decision.find_out) == {"crossing", "benefit"}


def test_consent_never_changes_the_result():
    base = dict(child="no", act="yes", purpose="yes", means="yes", crossing="none")
    assert classify(dict(base, consent="yes")).result == classify(dict(base, consent="no")).result == "trafficking"


def test_skipped_questions_are_reported_as_not_needed():
    decision = classify(dict(child="yes", act="yes", purpose="yes", means="yes", crossing="none"))
    assert decision.elements["means"] == "not_needed"
    assert decision.elements["benefit"] == "not_needed"


def test_invalid_answers_are_refused():
    with pytest.raises(ValueError):
        classify(dict(child="maybe"))


def test_every_classify_question_of_the_course_gets_its_answer_from_the_rule():
    cat = load_catalog(ROOT)
    cases = [q for q in cat.all_questions() if q["type"] == "classify"]
    assert cases, "the course has classify questions"
    for q in cases:
        assert classify(normalise_facts(q["facts"])).result == q["answer"], q["id"]
