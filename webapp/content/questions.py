"""Question types: a registry of small classes, each with ``validate`` and ``grade``.

Adding a type touches this module only. Answers are plain JSON values so attempts can store them:
single/true_false/classify -> an option id; multiple -> a list of option ids;
match -> {left id: right id}; order -> {item id: position (1-based)}.

Scoring (also in the README): single, true_false and classify score 1 or 0. ``multiple`` gives
partial credit: (right options ticked - wrong options ticked) / right options, never below 0.
``match`` scores the share of pairs matched correctly; ``order`` the share of items put at their
right position. Forged ids (not options of the question) count as wrong, never as an error.
"""
from __future__ import annotations

from ..decision import CHOICES, DECIDING, RESULTS, classify, is_asked

LANGS = ("en", "fr")


def is_text(value) -> bool:
    return (isinstance(value, dict) and set(value) == set(LANGS)
            and all(isinstance(value[k], str) and value[k].strip() for k in LANGS))


class QuestionType:
    name = ""
    fixed_order = False  # True where the order shown is part of the question

    def validate(self, q: dict) -> list[str]:
        return []

    def option_ids(self, q: dict) -> list[str]:
        return []

    def is_answered(self, q: dict, answer) -> bool:
        return answer not in (None, "", [], {})

    def grade(self, q: dict, answer) -> float:
        raise NotImplementedError

    def correct_answer(self, q: dict):
        raise NotImplementedError


class Single(QuestionType):
    name = "single"

    def validate(self, q):
        problems = []
        options = q.get("options")
        if not isinstance(options, list) or not 2 <= len(options) <= 6:
            return ["needs 2-6 options"]
        ids = [o.get("id") for o in options if isinstance(o, dict)]
        if len(ids) != len(options) or len(set(ids)) != len(ids) or not all(isinstance(i, str) for i in ids):
            problems.append("option ids must be unique strings")
        for o in options:
            if not isinstance(o, dict):
                continue
            if not is_text(o.get("text")):
                problems.append(f"option {o.get('id')}: text needs both en and fr")
            if "feedback" in o and not is_text(o["feedback"]):
                problems.append(f"option {o.get('id')}: feedback needs both en and fr")
            if not isinstance(o.get("correct"), bool):
                problems.append(f"option {o.get('id')}: correct must be true or false")
        right = sum(1 for o in options if isinstance(o, dict) and o.get("correct") is True)
        problems += self._count_problems(right)
        return problems

    def _count_problems(self, right):
        return [] if right == 1 else ["needs exactly one correct option" if right else "has no correct answer"]

    def option_ids(self, q):
        return [o["id"] for o in q["options"]]

    def correct_answer(self, q):
        return next(o["id"] for o in q["options"] if o["correct"])

    def grade(self, q, answer):
        return 1.0 if answer == self.correct_answer(q) else 0.0


class Multiple(Single):
    name = "multiple"

    def _count_problems(self, right):
        return [] if right else ["has no correct answer"]

    def correct_answer(self, q):
        return sorted(o["id"] for o in q["options"] if o["correct"])

    def grade(self, q, answer):
        if not isinstance(answer, list):
            return 0.0
        right = set(self.correct_answer(q))
        ticked = set(a for a in answer if isinstance(a, str))
        return max(0.0, (len(ticked & right) - len(ticked - right)) / len(right))


class TrueFalse(QuestionType):
    name = "true_false"

    def validate(self, q):
        problems = []
        if not isinstance(q.get("answer"), bool):
            problems.append("answer must be true or false")
        feedback = q.get("feedback")
        if feedback is not None:
            # YAML reads the keys true/false as booleans.
            if not isinstance(feedback, dict) or set(map(str, feedback)) - {"True", "False", "true", "false"}:
                problems.append("feedback must have the keys true and false")
            elif not all(is_text(v) for v in feedback.values()):
                problems.append("feedback needs both en and fr")
        return problems

    def option_ids(self, q):
        return ["true", "false"]

    def correct_answer(self, q):
        return "true" if q["answer"] else "false"

    def grade(self, q, answer):
        return 1.0 if answer == self.correct_answer(q) else 0.0


class Classify(QuestionType):
    name = "classify"
    fixed_order = True  # the five results always read in the same order

    def validate(self, q):
        facts = q.get("facts")
        if not isinstance(facts, dict):
            return ["needs facts (child, act, purpose, means, crossing, benefit, facilitation, consent)"]
        problems = []
        facts = normalise_facts(facts)
        for key, allowed in CHOICES.items():
            value = facts.get(key)
            if value is None:
                problems.append(f"facts: {key} is missing")
            elif value not in allowed + ("skip",):
                problems.append(f"facts: {key} is {value!r}, not one of {', '.join(allowed)}")
        for key in DECIDING:
            if facts.get(key) == "skip" and is_asked(key, facts):
                problems.append(f"facts: {key} is skip, but the aid asks it for these facts: state yes, no or unknown")
        if q.get("answer") not in RESULTS:
            problems.append(f"answer must be one of {', '.join(RESULTS)}")
        if problems:
            return problems
        try:
            computed = classify(facts).result
        except ValueError as error:
            return [f"facts: {error}"]
        if computed != q["answer"]:
            problems.append(f"answer is {q['answer']} but the decision rule gives {computed} for these facts")
        return problems

    def option_ids(self, q):
        return list(RESULTS)

    def correct_answer(self, q):
        return q["answer"]

    def grade(self, q, answer):
        return 1.0 if answer == q["answer"] else 0.0


class Match(QuestionType):
    name = "match"

    def validate(self, q):
        pairs = q.get("pairs")
        if not isinstance(pairs, list) or not 3 <= len(pairs) <= 6:
            return ["needs 3-6 pairs"]
        problems = []
        ids = [p.get("id") if isinstance(p, dict) else None for p in pairs]
        if len(set(ids)) != len(ids) or not all(isinstance(i, str) for i in ids):
            problems.append("pair ids must be unique strings")
        for p in pairs:
            if isinstance(p, dict) and not (is_text(p.get("left")) and is_text(p.get("right"))):
                problems.append(f"pair {p.get('id')}: left and right need both en and fr")
        return problems

    def option_ids(self, q):
        return [p["id"] for p in q["pairs"]]

    def is_answered(self, q, answer):
        return isinstance(answer, dict) and all(answer.get(i) for i in self.option_ids(q))

    def correct_answer(self, q):
        return {p["id"]: p["id"] for p in q["pairs"]}

    def grade(self, q, answer):
        if not isinstance(answer, dict):
            return 0.0
        ids = self.option_ids(q)
        return sum(1 for i in ids if answer.get(i) == i) / len(ids)


class Order(QuestionType):
    name = "order"

    def validate(self, q):
        items = q.get("items")
        if not isinstance(items, list) or not 3 <= len(items) <= 6:
            return ["needs 3-6 items"]
        problems = []
        ids = [i.get("id") if isinstance(i, dict) else None for i in items]
        if len(set(ids)) != len(ids) or not all(isinstance(i, str) for i in ids):
            problems.append("item ids must be unique strings")
        for item in items:
            if isinstance(item, dict) and not is_text(item.get("text")):
                problems.append(f"item {item.get('id')}: text needs both en and fr")
        return problems

    def option_ids(self, q):
        return [i["id"] for i in q["items"]]

    def is_answered(self, q, answer):
        return isinstance(answer, dict) and all(answer.get(i) for i in self.option_ids(q))

    def correct_answer(self, q):
        return {item_id: n for n, item_id in enumerate(self.option_ids(q), start=1)}

    def grade(self, q, answer):
        if not isinstance(answer, dict):
            return 0.0
        right = self.correct_answer(q)
        return sum(1 for i, n in right.items() if answer.get(i) == n) / len(right)


QUESTION_TYPES = {t.name: t for t in (Single(), Multiple(), TrueFalse(), Classify(), Match(), Order())}


def normalise_facts(facts: dict) -> dict:
    """YAML 1.1 reads yes/no as booleans; the decision rule wants the words."""
    return {k: ("yes" if v else "no") if isinstance(v, bool) else v for k, v in facts.items()}
