"""Which questions an attempt asks, and how each is laid out (fixed for the attempt).

Form values are random per-attempt tokens, never option ids, so the page never hints at the key
(authors often make option "a" the right one)."""
from __future__ import annotations

import random
import secrets

from ..content import Catalog
from ..content.questions import QUESTION_TYPES
from ..models.attempt import FINAL

DEFAULT_QUIZ_SIZE = 10


def quiz_exists(cat: Catalog, quiz: str) -> bool:
    return quiz == FINAL and bool(cat.final) or quiz in cat.banks


def pass_mark(cat: Catalog, quiz: str) -> float:
    if quiz == FINAL:
        return cat.final_pass_mark
    return cat.banks[quiz].pass_mark


def quiz_size(cat: Catalog, quiz: str) -> int:
    if quiz == FINAL:
        return sum(rule["count"] for rule in cat.final["draw"])
    return min(DEFAULT_QUIZ_SIZE, len(cat.banks[quiz].questions))


def draw(cat: Catalog, quiz: str, rng: random.Random, avoid: frozenset = frozenset()) -> list[dict]:
    """The questions of a new attempt, in the order they will be asked. For the final, questions in
    ``avoid`` (her previous attempt's) are drawn only when a rule's pool has too few others."""
    if quiz != FINAL:
        questions = list(cat.banks[quiz].questions)
        return rng.sample(questions, quiz_size(cat, quiz))
    chosen, taken = [], set()
    for rule in cat.final["draw"]:
        if "lesson" in rule:
            pool = [q for q in cat.banks[rule["lesson"]].questions if q["id"] not in taken]
        else:
            pool = [q for q in cat.all_questions() if q["type"] == rule["type"] and q["id"] not in taken]
        picked = _sample_fresh_first(pool, min(rule["count"], len(pool)), avoid, rng)
        chosen += picked
        taken.update(q["id"] for q in picked)
    rng.shuffle(chosen)
    return chosen


def _sample_fresh_first(pool: list[dict], count: int, avoid: frozenset, rng: random.Random) -> list[dict]:
    fresh = [q for q in pool if q["id"] not in avoid]
    if len(fresh) >= count:
        return rng.sample(fresh, count)
    return fresh + rng.sample([q for q in pool if q["id"] in avoid], count - len(fresh))


def layout(question: dict, rng: random.Random) -> dict:
    """How one question is shown: option order, and a token standing for each option."""
    qtype = QUESTION_TYPES[question["type"]]
    ids = qtype.option_ids(question)
    shown = list(ids)
    if not qtype.fixed_order:
        rng.shuffle(shown)
    item = {"id": question["id"], "shown": shown, "tokens": {_token(): option for option in shown}}
    item.update(qtype.layout_extras(question, rng))
    return item


def _token() -> str:
    return secrets.token_hex(4)
