"""Question types: a registry of small classes. Each type owns, here, everything that depends on it:
validating a question, grading an answer, reading the answer from a form and writing it back, its
layout extras, how its wrong answers are counted, its paper layout; and, under
``templates/questions/<folder>/``, its markup: ``form.html`` (the quiz and live form), ``result.html``
(a quiz result), ``mine.html`` (what she sent to a live question), ``right.html`` (the right answer),
``items.html`` (what the facilitator's screen lists) and ``paper.html`` (the printed sheet).

Adding a type: a module in ``webapp/content/types/`` with its subclass and ``register(MyType())``
(``discover`` imports it at start), and its templates. No other file changes
(``tests/web/test_question_registry.py`` proves it with a yes/no poll).

Answers are plain JSON values so attempts can store them:
single/true_false/classify -> an option id; multiple -> a list of option ids;
match -> {left id: right id}; order -> {item id: position (1-based)}.

Scoring (also in the README): single, true_false and classify score 1 or 0. ``multiple`` gives
partial credit: (right options ticked - wrong options ticked) / right options, never below 0.
``match`` scores the share of pairs matched correctly; ``order`` the share of items put at their
right position. In a quiz, forged ids (not options of the question) count as wrong, never as an
error; a live question refuses them (``is_offered``), since they would count in the room's figures.
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ..decision import CHOICES, DECIDING, RESULTS, classify, is_asked
from ..input_numbers import whole_number
from ..languages import LANGUAGES

LANGS = tuple(sorted(LANGUAGES))  # every text exists in each; checks name English first
FORGED = "?"  # stands for a value that is no option of the question: graded wrong, never an error


def is_text(value) -> bool:
    return (isinstance(value, dict) and set(value) == set(LANGS)
            and all(isinstance(value[k], str) and value[k].strip() for k in LANGS))


@dataclass(frozen=True)
class KeptShape:
    """A question rendered whatever its layout: ``question`` and ``item`` hold, for each position,
    stand-in option ids (``ids``, in the order a layout's tokens take) and stand-in texts; ``texts``
    maps each stand-in text to the content text (``{en, fr}``) it stands for in this layout."""
    question: dict
    item: dict
    ids: tuple
    texts: dict


def _stand_in_ids(count: int) -> tuple:
    return tuple(f"\x1bP{n}\x1b" for n in range(count))  # control characters: never in content


def _texts_by_position(key: str, by_id: dict, shown: list) -> dict:
    """The stand-in text of each position, and the content text it takes in this layout."""
    return {f"\x1b{key}{n}\x1b": by_id[option] for n, option in enumerate(shown)}


class QuestionType:
    name = ""
    label = None         # the type in words, for people choosing a question (lazy: translated when shown)
    fixed_order = False  # True where the order shown is part of the question
    folder = ""          # its templates' folder under templates/questions/ (default: its name)
    by_option = True     # the room sees one bar per option (else right / partly / wrong bands)
    paper_shuffle = True  # a printed sheet's options in a seeded order (A is not always right)
    #: How a paper sheet's answer is typed back in: "one" letter, "several" letters, "rows" (a letter
    #: for each numbered line, in order) or "sequence" (the letters in the order written).
    paper_entry = "one"
    scored = True        # has a right answer (False: a poll or an open question, asked in the room only)
    private_answers = False  # True: only the facilitator sees the answers; the room sees how many came

    def template(self, part: str) -> str:
        return f"questions/{self.folder or self.name}/{part}.html"

    def layout_extras(self, q: dict, rng) -> dict:
        """What a sitting keeps besides the options' order and tokens (a match's rows, say)."""
        return {}

    def kept_shape(self, q: dict, item: dict) -> KeptShape | None:
        """How one rendering of this question's fieldset can serve every shuffle of it (see
        quizzes/kept_form.py); None: the fieldset is kept per layout, which suits a type with few
        orders (a single choice of 4 options has 24)."""
        return None

    def read_answer(self, q: dict, item: dict, form) -> object:
        """The answer from a submitted form (one token: the option it stands for)."""
        value = form.get(field_name(q["id"]))
        return item["tokens"].get(value, FORGED) if value else None

    def is_offered(self, q: dict, item: dict, answer) -> bool:
        """Whether an answer read from a form holds only values the form offered (no FORGED stand-in,
        no place out of range): a form altered by hand gives False. An empty answer gives True."""
        return answer != FORGED

    def form_values(self, q: dict, item: dict, answer) -> list[tuple[str, str]]:
        """A stored answer as the form fields that show it (to change it)."""
        token_of = {option: token for token, option in item["tokens"].items()}
        return [(field_name(q["id"]), token_of.get(answer, ""))] if isinstance(answer, str) else []

    def wrong_parts(self, q: dict, answer) -> list[tuple]:
        """The wrong parts of one answer, as keys to count (item analysis)."""
        return [] if answer == self.correct_answer(q) else [("option", answer)]

    def reasons(self, q: dict):
        """What a result page may show besides the explanation (the decision aid's reading of a
        case); None for most types."""
        return None

    def paper_key(self, q: dict, letters: dict) -> tuple[tuple, str]:
        """On paper: the rows to write against (if any), and the answer key in letters."""
        right = self.correct_answer(q)
        return (), ", ".join(sorted(letters[o] for o in right)) if isinstance(right, list) else letters[right]

    def paper_answer(self, q: dict, options: tuple, rows: tuple, typed: str) -> object:
        """The answer from the letters typed in from a paper sheet: ``options`` are the sheet's
        (letter, option id) pairs, ``rows`` its numbered lines. None when left blank; ValueError
        when the letters cannot be read on this sheet (not on it, or too many)."""
        letters = paper_letters(typed)
        if not letters:
            return None
        by_letter = dict(options)
        if len(letters) != 1 or letters[0] not in by_letter:
            raise ValueError(typed)
        return by_letter[letters[0]]

    def validate(self, q: dict) -> list[str]:
        return []

    def option_ids(self, q: dict) -> list[str]:
        return []

    def is_answered(self, q: dict, answer) -> bool:
        return answer not in (None, "", [], {})

    def missing_lines(self, q: dict, item: dict, form) -> list[int]:
        """The numbered lines (1-based) a form left empty, for a type answered line by line (to
        name them when the answer is incomplete); [] for a type answered in one go."""
        return []

    def grade(self, q: dict, answer) -> float:
        raise NotImplementedError

    def correct_answer(self, q: dict):
        raise NotImplementedError


def _shuffled_list_shape(q: dict, item: dict, key: str) -> KeptShape | None:
    """The kept shape of a question whose list ``key`` (options, steps) is shown shuffled: stand-in
    ids and texts by position, filled in from ``item["shown"]``."""
    ids = _stand_in_ids(len(q[key]))
    if len(item["shown"]) != len(ids):
        return None
    stand_in = {**q, key: [{"id": ids[n], "text": f"\x1bT{n}\x1b"} for n in range(len(ids))]}
    texts = _texts_by_position("T", {entry["id"]: entry["text"] for entry in q[key]}, item["shown"])
    return KeptShape(stand_in, {}, ids, texts)

class Single(QuestionType):
    name = "single"
    label = _l("One right answer")
    folder = "choice"

    def kept_shape(self, q, item):
        # 2-6 options shuffled: up to 720 layouts of one question, and a class starting a quiz on a
        # fresh server would render nearly all of them once. One rendering, texts by position.
        return _shuffled_list_shape(q, item, "options")

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
    label = _l("Several right answers")
    paper_entry = "several"

    def paper_answer(self, q, options, rows, typed):
        letters, by_letter = paper_letters(typed), dict(options)
        if any(letter not in by_letter for letter in letters) or len(set(letters)) != len(letters):
            raise ValueError(typed)
        return sorted(by_letter[letter] for letter in letters) or None

    def read_answer(self, q, item, form):
        values = form.getlist(field_name(q["id"]))
        return sorted({item["tokens"].get(v, FORGED) for v in values}) if values else None

    def is_offered(self, q, item, answer):
        return not isinstance(answer, list) or FORGED not in answer

    def form_values(self, q, item, answer):
        token_of = {option: token for token, option in item["tokens"].items()}
        return [(field_name(q["id"]), token_of.get(o, "")) for o in answer] if isinstance(answer, list) else []

    def wrong_parts(self, q, answer):
        right = self.correct_answer(q)
        ticked = set(answer) if isinstance(answer, list) else set()
        wrong = [("option", o) for o in sorted(ticked - set(right))]
        return wrong or [("missed", o) for o in right if o not in ticked]

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
    label = _l("True or false")
    folder = "choice"
    fixed_order = True  # true, then false
    paper_shuffle = False

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
    label = _l("A case to classify")
    folder = "choice"
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

    def reasons(self, q):
        return classify(normalise_facts(q["facts"]))

    def correct_answer(self, q):
        return q["answer"]

    def grade(self, q, answer):
        return 1.0 if answer == q["answer"] else 0.0


def _wrong_entries(kind: str, right: dict, answer) -> list[tuple]:
    """(kind, key, value) for each entry of a dict answer that differs from the key's."""
    if not isinstance(answer, dict):
        return []
    return [(kind, k, v) for k, v in sorted(answer.items(), key=lambda kv: str(kv[0])) if right.get(k) != v]


class Match(QuestionType):
    name = "match"
    label = _l("Match the pairs")
    by_option = False
    paper_entry = "rows"

    def paper_answer(self, q, options, rows, typed):
        """One letter per numbered line, in order; "-" for a line left empty."""
        letters, by_letter = paper_letters(typed), dict(options)
        if not letters:
            return None
        if len(letters) != len(rows) or any(letter not in by_letter for letter in letters if letter != "-"):
            raise ValueError(typed)
        return {row: by_letter[letter] for row, letter in zip(rows, letters) if letter != "-"} or None

    def layout_extras(self, q, rng):
        rows = list(self.option_ids(q))
        rng.shuffle(rows)
        return {"rows": rows}  # the left items, in their own shuffled order

    def read_answer(self, q, item, form):
        answer = {}
        for n, left in enumerate(item["rows"]):
            value = form.get(field_name(q["id"], n))
            if value:
                answer[left] = item["tokens"].get(value, FORGED)
        return answer or None

    def is_offered(self, q, item, answer):
        return not isinstance(answer, dict) or FORGED not in answer.values()

    def form_values(self, q, item, answer):
        token_of = {option: token for token, option in item["tokens"].items()}
        if not isinstance(answer, dict):
            return []
        return [(field_name(q["id"], n), token_of.get(answer[left], ""))
                for n, left in enumerate(item["rows"]) if left in answer]

    def missing_lines(self, q, item, form):
        return [n + 1 for n in range(len(item["rows"])) if not form.get(field_name(q["id"], n))]

    def wrong_parts(self, q, answer):
        return _wrong_entries("pair", self.correct_answer(q), answer)

    def paper_key(self, q, letters):
        ids = self.option_ids(q)
        return tuple(ids), ", ".join(f"{n}→{letters[left]}" for n, left in enumerate(ids, start=1))

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

    def kept_shape(self, q, item):
        # Rows and choices are both shuffled: 3-6 pairs make up to 518,400 layouts, so a fieldset
        # kept per layout was rendered afresh at nearly every sitting. Stand in by position instead.
        ids = _stand_in_ids(len(q["pairs"]))
        if not len(item["shown"]) == len(item["rows"]) == len(ids):
            return None
        stand_in = {**q, "pairs": [{"id": ids[n], "left": f"\x1bL{n}\x1b", "right": f"\x1bR{n}\x1b"}
                                   for n in range(len(ids))]}
        texts = _texts_by_position("R", {p["id"]: p["right"] for p in q["pairs"]}, item["shown"])
        texts.update(_texts_by_position("L", {p["id"]: p["left"] for p in q["pairs"]}, item["rows"]))
        return KeptShape(stand_in, {"rows": list(ids)}, ids, texts)

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
    label = _l("Put in order")
    by_option = False
    paper_entry = "sequence"

    def paper_answer(self, q, options, rows, typed):
        """Every letter once, in the order written: the first letter's item is put first."""
        letters, by_letter = paper_letters(typed), dict(options)
        if not letters:
            return None
        if len(letters) != len(options) or any(letter not in by_letter for letter in letters):
            raise ValueError(typed)
        answer = {}
        for position, letter in enumerate(letters, start=1):
            answer.setdefault(by_letter[letter], position)  # a letter written twice keeps its first place
        return answer

    def read_answer(self, q, item, form):
        answer = {}
        for n, option in enumerate(item["shown"]):
            value = form.get(field_name(q["id"], n), "")
            if value:
                answer[option] = whole_number(value, max_digits=2) or 0
        return answer or None

    def is_offered(self, q, item, answer):
        # A place is offered from 1 to the number of steps; one not a number was read as 0.
        return not isinstance(answer, dict) or all(1 <= n <= len(item["shown"]) for n in answer.values())

    def form_values(self, q, item, answer):
        if not isinstance(answer, dict):
            return []
        return [(field_name(q["id"], n), str(answer[option]))
                for n, option in enumerate(item["shown"]) if option in answer]

    def missing_lines(self, q, item, form):
        return [n + 1 for n in range(len(item["shown"])) if not form.get(field_name(q["id"], n))]

    def wrong_parts(self, q, answer):
        return _wrong_entries("place", self.correct_answer(q), answer)

    def paper_key(self, q, letters):
        return (), " ".join(letters[i] for i in self.option_ids(q))

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

    def kept_shape(self, q, item):
        # 3-6 steps shuffled: up to 720 layouts. One rendering, the steps' texts by position.
        return _shuffled_list_shape(q, item, "items")

    def is_answered(self, q, answer):
        return isinstance(answer, dict) and all(answer.get(i) for i in self.option_ids(q))

    def correct_answer(self, q):
        return {item_id: n for n, item_id in enumerate(self.option_ids(q), start=1)}

    def grade(self, q, answer):
        if not isinstance(answer, dict):
            return 0.0
        right = self.correct_answer(q)
        return sum(1 for i, n in right.items() if answer.get(i) == n) / len(right)


QUESTION_TYPES: dict[str, QuestionType] = {}


def register(qtype: QuestionType) -> QuestionType:
    """Make a type known everywhere: content checks, quizzes, live questions, the pack."""
    QUESTION_TYPES[qtype.name] = qtype
    return qtype


for _type in (Single(), Multiple(), TrueFalse(), Classify(), Match(), Order()):
    register(_type)


def discover(package: str = f"{__package__}.types") -> None:
    """Import every module of ``package``: each registers its types (no list to edit elsewhere)."""
    found = importlib.import_module(package)
    for module in pkgutil.iter_modules(found.__path__):
        importlib.import_module(f"{found.__name__}.{module.name}")


def paper_letters(typed: str) -> list[str]:
    """The letters typed in from a sheet, upper case, without the spaces, commas or arrows a
    facilitator may type between them; "-" stays (a line left empty)."""
    return [c for c in (typed or "").upper() if c.isalpha() or c == "-"]


def field_name(qid: str, row: int | None = None) -> str:
    """The form field of a question (or of one row of it)."""
    return f"q-{qid}" if row is None else f"q-{qid}-{row}"


def normalise_facts(facts: dict) -> dict:
    """YAML 1.1 reads yes/no as booleans; the decision rule wants the words."""
    return {k: ("yes" if v else "no") if isinstance(v, bool) else v for k, v in facts.items()}


discover()
