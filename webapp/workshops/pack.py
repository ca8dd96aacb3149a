"""The printable workshop pack: the decision aid as a text flowchart, and paper answer sheets.

The flowchart follows webapp/decision.py (the order of the questions and when one is skipped);
its labels come from lessons/decision-aid.yaml when the catalog has it (``catalog().aid``)."""
from __future__ import annotations

import random
import re
import string
from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup

from ..content.questions import QUESTION_TYPES
from ..decision import BOTH, CHOICES, NEITHER, NOT_ENOUGH, RESULTS, SMUGGLING, STEPS, TRAFFICKING
from ..links import external_url
from ..typography import french_typography

#: The parts of the pack she can choose. TESTS (the pre- and post-test sheets) is for facilitators.
LESSONS, GLOSSARY, AID, SHEETS, TESTS = "lessons", "glossary", "aid", "sheets", "tests"
PARTS = (LESSONS, GLOSSARY, AID, SHEETS, TESTS)
DEFAULT_PARTS = (LESSONS, GLOSSARY, AID, SHEETS)


def parts_for(facilitator: bool) -> tuple:
    return PARTS if facilitator else tuple(p for p in PARTS if p != TESTS)


def chosen_parts(args, facilitator: bool) -> frozenset:
    """The parts ticked in the pack's form (``chosen=1`` marks a sent form, even with none ticked);
    without the form, the whole pack but the test sheets."""
    allowed = parts_for(facilitator)
    if args.get("chosen") != "1" and "parts" not in args:
        return frozenset(DEFAULT_PARTS)
    return frozenset(p for p in args.getlist("parts") if p in allowed)


@dataclass(frozen=True)
class ChartStep:
    number: int
    key: str
    question: str
    choices: tuple    # of labels
    note: str         # when the step is skipped, or that it decides nothing
    other: str = ""   # the question in the other language (from the aid's texts), for mixed rooms


@dataclass(frozen=True)
class Flowchart:
    steps: tuple
    rules: tuple      # of (result label, what it needs)
    results: tuple    # of (result label, when)
    other_lang: str = ""
    intro: str = ""
    disclaimer: str = ""


def _fallback_texts() -> dict:
    yes_no = {"yes": _("Yes"), "no": _("No"), "unknown": _("Don't know")}
    return {
        "child": (_("Is the person under 18?"), yes_no),
        "act": (_("Has someone recruited, transported, transferred, harboured or received the person?"), yes_no),
        "purpose": (_("Was it done in order to exploit the person?"), yes_no),
        "means": (_("Were threats, force, deception, abuse of vulnerability or payments used?"), yes_no),
        "crossing": (_("Did the person cross an international border, and was the entry regular?"),
                     {"none": _("No border crossed"), "regular": _("A regular entry"),
                      "irregular": _("An irregular entry"), "unknown": _("Don't know")}),
        "benefit": (_("Did someone arrange the irregular entry for money or another material benefit?"), yes_no),
        "facilitation": (_("Apart from a journey: did someone, for a benefit, supply false or fraudulently obtained "
                           "documents to enable an entry, or help someone stay illegally?"), yes_no),
        "consent": (_("Did the person agree to the journey or the work?"), yes_no),
    }


def flowchart(cat, language: str) -> Flowchart:
    """The aid's questions in the order the rule asks them, with the rule's results."""
    aid = dict(getattr(cat, "aid", None) or {})
    fallback = _fallback_texts()

    other_lang = "en" if language == "fr" else "fr"

    def text(value, default, lang=language):
        found = (value.get(lang) or value.get("en")) if isinstance(value, dict) and value else default
        return french_typography(found) if lang == "fr" else found

    notes = {
        "means": _("Skip this question for a child: a child needs no means."),
        "benefit": _("Ask only if the entry was irregular, or may have been."),
        "facilitation": _("Skip this question when steps 5 and 6 already give smuggling."),
        "consent": _("For information only: consent never changes the result."),
    }
    steps = []
    for n, key in enumerate(STEPS, start=1):
        step = (aid.get("steps") or {}).get(key) or {}
        labels = (step.get("choices") or {})
        choices = tuple(text(labels.get(c), fallback[key][1][c]) for c in CHOICES[key])
        steps.append(ChartStep(n, key, text(step.get("question"), fallback[key][0]), choices, notes.get(key, ""),
                               text(step.get("question"), "", other_lang)))

    results = aid.get("results") or {}
    label = {r: text((results.get(r) or {}).get("label"), None) for r in RESULTS}
    label = {**{TRAFFICKING: _("Trafficking in persons"), SMUGGLING: _("Smuggling of migrants"), BOTH: _("Both"),
                NEITHER: _("Neither"), NOT_ENOUGH: _("Not enough information yet")},
             **{k: v for k, v in label.items() if v}}
    rules = aid.get("rules") or {}
    return Flowchart(
        tuple(steps),
        ((label[TRAFFICKING], text(rules.get("trafficking"), _("Act (2) and purpose (3), and either a child (1) or a "
                                                                "means (4)."))),
         (label[SMUGGLING], text(rules.get("smuggling"), _("An irregular entry (5) procured for a benefit (6), or "
                                                              "documents or an illegal stay procured for a benefit (7).")))),
        ((label[BOTH], _("Both rules are met.")),
         (label[TRAFFICKING], _("Also when trafficking is met whatever the \"don't know\" answers are and only "
                                "smuggling is open: the person is a presumed victim; smuggling may also apply.")),
         (label[NEITHER], _("Neither rule is met.")),
         (label[NOT_ENOUGH], _("A \"don't know\" answer could change the result: protect first, and find out."))),
        other_lang if aid else "", text(aid.get("intro"), ""), text(aid.get("disclaimer"), ""))


def lesson_html(lesson, language: str) -> Markup:
    """A lesson's rendered text for the pack: headings one level down (the lesson title is the
    h2) and ids prefixed by the slug, so that several lessons share one page."""
    html = lesson.text(language).html
    html = re.sub(r"<(/?)h([2-5])\b", lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", html)
    html = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{lesson.slug}--{m.group(1)}"', html)
    return Markup(html)


def edition_note(cat, language: str) -> tuple[str, str] | None:
    """(the content edition's date in words, the address of the "What changed" page) for the pack's
    cover, so that whoever holds a printed copy can see what changed after it; None without a changelog."""
    if cat.edition is None:
        return None
    return cat.edition.when(language), external_url("courses.changes")


# Paper answer sheets ------------------------------------------------------------------------------

@dataclass(frozen=True)
class PaperQuestion:
    number: int
    question: dict
    options: tuple    # of (letter, option id): what to tick, or the right-hand items of a match
    rows: tuple       # of row ids: match left items, or order items (in a fixed shuffled order)
    key: str          # the right answer as letters (for the facilitator's answer key)


def _letters(ids) -> dict:
    return {option: string.ascii_uppercase[n] for n, option in enumerate(ids)}


#: Sheet versions handed out alternately, so that neighbours' ticks tell nothing.
VERSIONS = ("A", "B")


def series_of(workshop) -> str:
    """The seed every sheet of this workshop is shuffled from: its id, which never changes, so that a
    pack printed again (or a sheet typed back in later) has the same order, and printed on each sheet."""
    return f"W{workshop.id}"


def test_series(workshop, kind: str) -> str:
    """The seed of a workshop's pre- or post-test sheets (printed on them, like ``series_of``)."""
    return f"{series_of(workshop)}-{kind}"


def paper(bank, version: str = VERSIONS[0], series: str = "") -> list[PaperQuestion]:
    """A bank's questions laid out for paper, in one sheet version (see ``paper_questions``)."""
    return paper_questions(bank.questions, version, series)


def paper_questions(questions, version: str = VERSIONS[0], series: str = "") -> list[PaperQuestion]:
    """Questions laid out for paper, in one sheet version. Every option list is shuffled
    (true/false stays in its natural order) from a seed made of the series, the version and the
    question id, so that the right answer is not always "A", each version differs, and the sheet and
    its answer key agree on every print, and with the answers typed back in from it."""
    result = []
    for number, q in enumerate(questions, start=1):
        qtype = QUESTION_TYPES[q["type"]]
        ids = qtype.option_ids(q)
        rng = random.Random(f"{series}|{version}|{q['id']}")
        shuffled = list(ids)
        if qtype.paper_shuffle:
            rng.shuffle(shuffled)
        letters = _letters(shuffled)
        options = tuple((letters[o], o) for o in shuffled)
        rows, key = qtype.paper_key(q, letters)
        result.append(PaperQuestion(number, q, options, rows, key))
    return result
