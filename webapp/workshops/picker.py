"""The live screen's question picker: the course's questions found by words (in the page's language,
accents and case ignored), by lesson and by type, a page at a time. A facilitator in a room finds the
question she wants in a few seconds on a slow line: the page carries one page of results, never the
whole catalog.

A search is plain GET parameters (``words``, ``lesson``, ``type``, ``page``): it works without
JavaScript, and a reload or a link shows the same list."""
from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

from ..content import Catalog
from ..content.questions import QUESTION_TYPES
from ..i18n import lang
from ..input_numbers import whole_number

PAGE_SIZE = 20
WORDS_MAX = 100  # characters of a search: a few words
ALL = "all"      # the lesson filter's "every lesson"; "" is the workshop's lessons


def fold(text: str) -> str:
    """Text as a search compares it: no accents, no case ("Élément" and "element" meet)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@dataclass(frozen=True)
class Search:
    """What she asked for; unknown values read as the default (a filter, never an error)."""
    words: str = ""
    lesson: str = ""  # "" the workshop's lessons, ALL, or one lesson's slug
    kind: str = ""    # "" any type, or a question type's name
    page: int = 1

    @classmethod
    def read(cls, args, cat: Catalog) -> Search:
        words = " ".join((args.get("words") or "").split())[:WORDS_MAX]
        lesson = args.get("lesson") or ""
        kind = args.get("type") or ""
        return cls(words=words, lesson=lesson if lesson == ALL or lesson in cat.banks else "",
                   kind=kind if kind in QUESTION_TYPES else "",
                   page=max(1, whole_number(args.get("page"), max_digits=4) or 1))

    def args(self, page: int | None = None) -> dict:
        """The URL parameters that show this search (on another page), without the defaults."""
        found = {"words": self.words, "lesson": self.lesson, "type": self.kind,
                 "page": page if page is not None else self.page}
        return {k: v for k, v in found.items() if v and (k != "page" or v > 1)}

    @property
    def narrowed(self) -> bool:
        return bool(self.words or self.lesson or self.kind)


@dataclass(frozen=True)
class Found:
    questions: list   # this page's questions, in the course's order (the workshop's lessons first)
    total: int
    page: int
    pages: int
    first: int        # the number of this page's first question in the whole list


def lessons_in_order(cat: Catalog, workshop) -> list[str]:
    """Every lesson with a question bank: the workshop's first, in its order, then the others."""
    mine = [slug for slug in workshop.lessons if slug in cat.banks]
    return mine + [slug for slug in cat.banks if slug not in mine]


def kinds_in(cat: Catalog) -> list[tuple]:
    """The question types the banks use, in the registry's order, each with its label in words
    (its name for a type that has none): the type filter's choices."""
    used = {q["type"] for bank in cat.banks.values() for q in bank.questions}
    return [(name, qtype.label or name) for name, qtype in QUESTION_TYPES.items() if name in used]


_TEXTS: dict = {}  # (catalog version, language) -> {question id: its folded texts}


def _texts(cat: Catalog, language: str) -> dict:
    """Each bank question's searchable text in one language, folded once per catalog."""
    key = (cat.version, language)
    if key not in _TEXTS:
        _TEXTS[key] = {q["id"]: fold(" ".join([q["id"], *_words_of(q, language)]))
                       for bank in cat.banks.values() for q in bank.questions}
    return _TEXTS[key]


def _words_of(q, language: str):
    """The prompt and every option's text (choices, pairs, items) in ``language``."""
    def pick(text):
        return text.get(language) or text.get("en", "") if isinstance(text, dict) else ""
    yield pick(q.get("prompt"))
    for option in q.get("options") or ():
        yield pick(option.get("text"))
    for pair in q.get("pairs") or ():
        yield pick(pair.get("left"))
        yield pick(pair.get("right"))
    for item in q.get("items") or ():
        yield pick(item.get("text"))


def search(cat: Catalog, workshop, wanted: Search, page_size: int | None = None) -> Found:
    """The questions that match every word, in the chosen lessons and type: one page of them."""
    size = page_size or PAGE_SIZE
    slugs = lessons_in_order(cat, workshop)
    if wanted.lesson == "":
        slugs = [slug for slug in slugs if slug in workshop.lessons]
    elif wanted.lesson != ALL:
        slugs = [wanted.lesson]
    texts = _texts(cat, lang())
    words = fold(wanted.words).split()
    matching = [q for slug in slugs for q in cat.banks[slug].questions
                if (not wanted.kind or q["type"] == wanted.kind) and all(w in texts[q["id"]] for w in words)]
    pages = max(1, math.ceil(len(matching) / size))
    page = min(wanted.page, pages)
    return Found(matching[(page - 1) * size:page * size], len(matching), page, pages, (page - 1) * size + 1)
