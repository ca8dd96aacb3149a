"""The "trafficking or smuggling?" rule (outline section 4.2, revised December 2026), as one pure
function.

The decision aid pages and every ``classify`` question use :func:`classify`, so the aid and the
quizzes can never teach different things. No Flask, no database.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import product

YES, NO, UNKNOWN, SKIP = "yes", "no", "unknown", "skip"
NONE, REGULAR, IRREGULAR = "none", "regular", "irregular"

TRAFFICKING, SMUGGLING, BOTH, NEITHER, NOT_ENOUGH = (
    "trafficking", "smuggling", "both", "neither", "not_enough_information")
RESULTS = (TRAFFICKING, SMUGGLING, BOTH, NEITHER, NOT_ENOUGH)

#: The questions in the order the aid asks them, with the answers each accepts.
STEPS = ("child", "act", "purpose", "means", "crossing", "benefit", "facilitation", "consent")
CHOICES = {
    "child": (YES, NO, UNKNOWN),
    "act": (YES, NO, UNKNOWN),
    "purpose": (YES, NO, UNKNOWN),
    "means": (YES, NO, UNKNOWN),
    "crossing": (NONE, REGULAR, IRREGULAR, UNKNOWN),
    "benefit": (YES, NO, UNKNOWN),
    "facilitation": (YES, NO, UNKNOWN),
    "consent": (YES, NO, UNKNOWN),
}
# What an unknown answer may turn out to be.
_POSSIBLE = {
    "child": (YES, NO), "act": (YES, NO), "purpose": (YES, NO), "means": (YES, NO),
    "crossing": (NONE, REGULAR, IRREGULAR), "benefit": (YES, NO), "facilitation": (YES, NO),
}
DECIDING = tuple(_POSSIBLE)


@dataclass(frozen=True)
class Decision:
    result: str
    #: element -> "met" | "not_met" | "unknown" | "not_needed", for the reasons on the result page
    elements: dict
    #: the unknown answers whose value would change the result ("what to find out next")
    find_out: tuple
    #: trafficking is established whatever the unknown answers are, but smuggling is still open:
    #: the result is trafficking, and ``find_out`` names what would tell whether it is both
    smuggling_open: bool = False


def is_asked(key: str, facts: dict) -> bool:
    """Whether the aid asks ``key`` given the answers so far (means is skipped for a child,
    benefit unless the crossing may have been irregular, facilitation once the crossing and the
    benefit already make smuggling)."""
    if key == "means":
        return facts.get("child") != YES
    if key == "benefit":
        return facts.get("crossing") in (IRREGULAR, UNKNOWN)
    if key == "facilitation":
        return not crossing_smuggling(facts)
    return True


def crossing_smuggling(facts: dict) -> bool:
    """Steps 5-6 give smuggling: an irregular entry procured for a benefit."""
    return facts.get("crossing") == IRREGULAR and facts.get("benefit") == YES


def _normalise(facts: dict) -> dict:
    clean = {}
    for key in DECIDING:
        value = facts.get(key)
        if value in (None, SKIP) or not is_asked(key, facts):
            clean[key] = SKIP
        elif value not in CHOICES[key]:
            raise ValueError(f"{key}: {value!r} is not one of {', '.join(CHOICES[key])}")
        else:
            clean[key] = value
    return clean


def _certain_result(f: dict) -> str:
    trafficking = f["act"] == YES and f["purpose"] == YES and (f["child"] == YES or f["means"] == YES)
    smuggling = crossing_smuggling(f) or f["facilitation"] == YES
    if trafficking and smuggling:
        return BOTH
    if trafficking:
        return TRAFFICKING
    return SMUGGLING if smuggling else NEITHER


def _completions(facts: dict):
    """Every way of filling in the unknown answers, and the skipped ones that a filled-in answer
    makes relevant (a child turns out "no": means matters; the crossing turns out irregular:
    benefit matters; the benefit turns out "no": facilitation matters). Keys are filled in step
    order, so each is_asked() sees the answers it depends on already filled."""
    for key in DECIDING:
        if facts[key] == UNKNOWN or (facts[key] == SKIP and is_asked(key, facts)):
            for value in _POSSIBLE[key]:
                yield from _completions(dict(facts, **{key: value}))
            return
    yield facts


def classify(facts: dict) -> Decision:
    """Classify a case from its facts (keys of :data:`STEPS`; missing keys count as not asked).

    Every unknown answer is filled in every possible way; if all give the same result, that is
    the result. If trafficking holds in every way and only smuggling varies, the result is
    trafficking with ``smuggling_open`` (a presumed victim whatever the route). Otherwise it is
    "not enough information". In both uncertain cases ``find_out`` names the answers that would
    change the result.
    """
    f = _normalise(facts)
    outcomes = {}
    for filled in _completions(f):
        result = _certain_result(filled)
        # The answers this completion does not need could be anything: list them every way, so
        # that _matters() compares completions that differ in one answer only.
        idle = [k for k in DECIDING if filled[k] == SKIP]
        for values in product(*(_POSSIBLE[k] for k in idle)):
            outcomes[tuple(sorted({**filled, **dict(zip(idle, values))}.items()))] = result
    results = set(outcomes.values())
    if len(results) == 1:
        return Decision(results.pop(), _elements(f), ())
    find_out = tuple(k for k in DECIDING if f[k] in (UNKNOWN, SKIP) and _matters(k, outcomes))
    if results == {TRAFFICKING, BOTH}:
        return Decision(TRAFFICKING, _elements(f), find_out, smuggling_open=True)
    return Decision(NOT_ENOUGH, _elements(f), find_out)


def _matters(key: str, outcomes: dict) -> bool:
    seen = {}
    for filled, result in outcomes.items():
        rest = tuple(item for item in filled if item[0] != key)
        seen.setdefault(rest, set()).add(result)
    return any(len(results) > 1 for results in seen.values())


def _elements(f: dict) -> dict:
    def state(value, met=YES):
        if value == SKIP:
            return "not_needed"
        if value == UNKNOWN:
            return "unknown"
        return "met" if value == met else "not_met"

    return {
        "child": state(f["child"]),
        "act": state(f["act"]),
        "purpose": state(f["purpose"]),
        "means": state(f["means"]),
        "crossing": state(f["crossing"], IRREGULAR),
        "benefit": state(f["benefit"]),
        "facilitation": state(f["facilitation"]),
    }
