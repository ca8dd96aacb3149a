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


# Outline 4.2, revised December 2026: the smuggling offences of art. 6(1)(b) and (c).
VECTORS_FACILITATION = [
    # child, act, purpose, means, crossing, benefit, facilitation -> result, smuggling still open
    ("no", "no", "no", "no", "none", None, "yes", "smuggling", False),
    ("no", "no", "no", "no", "regular", None, "yes", "smuggling", False),
    ("no", "yes", "yes", "yes", "regular", None, "yes", "both", False),
    ("no", "yes", "yes", "yes", "unknown", "unknown", "no", "trafficking", True),
    ("no", "yes", "yes", "yes", "unknown", "unknown", "unknown", "trafficking", True),
    ("no", "no", "no", "no", "none", None, "unknown", "not_enough_information", False),
]


@pytest.mark.parametrize("child, act, purpose, means, crossing, benefit, expected", VECTORS)
def test_rule_vectors_from_the_outline(child, act, purpose, means, crossing, benefit, expected):
    facts = dict(child=child, act=act, purpose=purpose, means=means, crossing=crossing, benefit=benefit,
                 facilitation="no")
    assert classify(facts).result == expected


@pytest.mark.parametrize("child, act, purpose, means, crossing, benefit, facilitation, expected, open_",
                         VECTORS_FACILITATION)
def test_rule_vectors_with_documents_and_stays(child, act, purpose, means, crossing, benefit, facilitation,
                                               expected, open_):
    facts = dict(child=child, act=act, purpose=purpose, means=means, crossing=crossing, benefit=benefit,
                 facilitation=facilitation)
    decision = classify(facts)
    assert decision.result == expected
    assert decision.smuggling_open is open_


def test_established_trafficking_names_what_would_tell_smuggling():
    decision = classify(dict(child="no", act="yes", purpose="yes", means="yes", crossing="unknown",
                             benefit="unknown", facilitation="no"))
    assert decision.result == "trafficking" and decision.smuggling_open
    assert set(decision.find_out) == {"crossing", "benefit"}
    # A child trafficked by an unknown route: the same, child or not.
    decision = classify(dict(child="yes", act="yes", purpose="yes", crossing="unknown", facilitation="unknown"))
    assert decision.result == "trafficking" and set(decision.find_out) == {"crossing", "benefit", "facilitation"}


def test_facilitation_is_not_asked_once_the_crossing_gives_smuggling():
    from webapp.decision import is_asked
    assert not is_asked("facilitation", dict(crossing="irregular", benefit="yes"))
    assert is_asked("facilitation", dict(crossing="irregular", benefit="no"))
    assert is_asked("facilitation", dict(crossing="regular"))
    decision = classify(dict(child="no", act="no", purpose="no", means="no", crossing="irregular", benefit="yes"))
    assert decision.result == "smuggling" and decision.elements["facilitation"] == "not_needed"


def test_a_missing_facilitation_counts_as_unknown_where_it_matters():
    # Facts written before the revision: the rule does not guess "no".
    decision = classify(dict(child="no", act="yes", purpose="no", means="no", crossing="regular"))
    assert decision.result == "not_enough_information" and decision.find_out == ("facilitation",)
    # An unknown benefit makes the unasked facilitation matter too.
    decision = classify(dict(child="no", act="no", purpose="no", means="no", crossing="irregular",
                             benefit="unknown", facilitation="no"))
    assert decision.result == "not_enough_information" and decision.find_out == ("benefit",)


def test_not_enough_information_says_what_to_find_out():
    decision = classify(dict(child="yes", act="yes", purpose="unknown", crossing="regular", facilitation="no"))
    assert decision.find_out == ("purpose",)
    decision = classify(dict(child="no", act="yes", purpose="unknown", means="unknown",
                             crossing="irregular", benefit="yes"))
    assert set(decision.find_out) == {"purpose", "means"}


def test_unknown_crossing_makes_the_unasked_benefit_matter():
    decision = classify(dict(child="no", act="no", purpose="no", means="no", crossing="unknown", benefit="unknown",
                             facilitation="no"))
    assert decision.result == "not_enough_information"
    assert set(decision.find_out) == {"crossing", "benefit"}


def test_consent_never_changes_the_result():
    base = dict(child="no", act="yes", purpose="yes", means="yes", crossing="none", facilitation="no")
    assert classify(dict(base, consent="yes")).result == classify(dict(base, consent="no")).result == "trafficking"


def test_skipped_questions_are_reported_as_not_needed():
    decision = classify(dict(child="yes", act="yes", purpose="yes", means="yes", crossing="none", facilitation="no"))
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
        facts = normalise_facts(q["facts"])
        assert facts.get("facilitation") in ("yes", "no", "unknown", "skip"), q["id"]
        assert classify(facts).result == q["answer"], q["id"]
