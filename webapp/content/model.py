"""The catalog: every lesson, question bank, glossary term, source and decision-aid text, loaded and
checked once.

The catalog is immutable; views ask it (``catalog.lesson(slug).text(lang)``) and never open files.
``load_catalog`` raises :class:`ContentError` listing every problem as ``file:line: message``.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from ..languages import LANGUAGES
from ..typography import french_typography
from .changelog import build_changelog, edition_on
from .checks import Problems, check_catalog
from .loader import load_files
from .render import format_date, updates_in
from .signoff import build_signoffs
from .signoff import status as signoff_status

LANGS = tuple(sorted(LANGUAGES))  # every text exists in each; checks name English first


class ContentError(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("invalid content:\n" + "\n".join(problems))


@dataclass(frozen=True)
class Section:
    anchor: str
    title: str
    level: int


@dataclass(frozen=True)
class Update:
    """A dated "since 2015" box of a lesson, as the course page lists it."""
    anchor: str      # its id in the lesson page
    as_of: str       # YYYY-MM-DD
    when: str        # the date in words, in the text's language
    source: str      # HTML
    html: str        # the box's text, HTML
    lead: str        # its first sentence, plain text: the course page lists it


@dataclass(frozen=True)
class LessonText:
    lang: str
    title: str
    summary: str
    minutes: int
    objectives: tuple
    sources: tuple
    key_points: tuple
    content_note: str
    sections: tuple
    html: str
    updates: tuple = ()  # of Update, in the order of the text


@dataclass(frozen=True)
class Lesson:
    slug: str
    number: int
    texts: MappingProxyType

    def text(self, lang: str) -> LessonText:
        return self.texts.get(lang) or self.texts["en"]

    @property
    def anchors(self) -> frozenset:
        return frozenset(s.anchor for s in self.texts["en"].sections)


@dataclass(frozen=True)
class Bank:
    lesson: str
    pass_mark: float
    questions: tuple  # of question dicts, each with "lesson" set


@dataclass(frozen=True)
class Catalog:
    lessons: tuple
    banks: MappingProxyType
    glossary: tuple
    sources: tuple
    course: MappingProxyType
    aid: MappingProxyType  # the decision aid's texts (lessons/decision-aid.yaml)
    final: MappingProxyType
    version: str
    changelog: tuple  # of changelog.Edition, newest first (lessons/CHANGELOG.yaml)
    signoffs: tuple  # of signoff.SignOff, newest first (lessons/SIGNOFF.yaml; not part of ``version``)
    _by_slug: MappingProxyType = field(repr=False)
    _questions: MappingProxyType = field(repr=False)

    def lesson(self, slug: str) -> Lesson | None:
        return self._by_slug.get(slug)

    def question(self, qid: str) -> dict | None:
        return self._questions.get(qid)

    def neighbours(self, slug: str) -> tuple:
        """(previous lesson, next lesson), either may be None."""
        slugs = [lesson.slug for lesson in self.lessons]
        i = slugs.index(slug)
        return (self.lessons[i - 1] if i else None,
                self.lessons[i + 1] if i + 1 < len(self.lessons) else None)

    @property
    def total_minutes(self) -> int:
        return sum(lesson.text("en").minutes for lesson in self.lessons)

    def all_questions(self):
        return self._questions.values()

    @property
    def final_pass_mark(self) -> float:
        return float(self.final.get("pass_mark", 0.8))

    @property
    def edition(self):
        """The current content edition (the newest changelog entry), or None."""
        return self.changelog[0] if self.changelog else None

    def edition_on(self, day):
        """The edition in force on ``day`` (a date), or None before the first one."""
        return edition_on(self.changelog, day)

    def signoff(self, version: str | None = None):
        """Whether ``version`` (default: this content) is signed off, by whom, or since when it is not:
        a :class:`signoff.Status`."""
        return signoff_status(self.signoffs, self.version if version is None else version)

    def updates(self, lang: str) -> tuple:
        """Every lesson's update boxes in one list, oldest first: (Update, ((lesson, Update), ...))
        pairs. A box repeated word for word in several lessons is listed once, with each place."""
        places = {}
        for lesson in self.lessons:
            for update in lesson.text(lang).updates:
                places.setdefault((update.as_of, update.html), []).append((lesson, update))
        return tuple((where[0][1], tuple(where)) for _key, where in sorted(places.items(), key=lambda kv: kv[0][0]))


def load_catalog(root, cache: dict | None = None) -> Catalog:
    """Load, check and render all content under ``root``; raise ContentError on any problem.

    With ``cache`` (a dict the caller keeps), a folder whose files have not changed since it was last
    loaded into that dict is not read again: a test run builds hundreds of apps on the same folders.
    The catalog is immutable, so apps can share it."""
    root = Path(root)
    key = (root.resolve(), _stamp(root)) if cache is not None else None
    if key is not None and key in cache:
        return cache[key]
    problems = Problems(root)
    files = load_files(root, problems)
    check_catalog(files, problems)
    if problems:
        raise ContentError(problems.lines())
    catalog = _build(files)
    if key is not None:
        cache[key] = catalog
    return catalog


def _stamp(root: Path) -> tuple:
    """Name, size and modification time of every content file: any edit makes a new cache key."""
    stamp = []
    for folder in (root / "lessons", root / "quizzes"):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                info = path.stat()
                stamp.append((str(path.relative_to(root)), info.st_size, info.st_mtime_ns))
    return tuple(stamp)


def _build(files) -> Catalog:
    lessons = []
    for raw in files.lessons:
        texts = {}
        for lang in LANGS:
            doc = raw.docs[lang]
            meta = doc.meta
            fix = french_typography if lang == "fr" else (lambda text: text)
            texts[lang] = LessonText(
                lang=lang, title=fix(meta["title"]), summary=fix(meta["summary"]), minutes=meta["minutes"],
                objectives=tuple(map(fix, meta["objectives"])), sources=tuple(meta.get("sources") or ()),
                key_points=tuple(map(fix, meta["key_points"])), content_note=fix(meta.get("content_note") or ""),
                sections=tuple(Section(a, fix(t), lvl) for lvl, t, a, _ in doc.headings if a),
                html=fix(doc.html),
                updates=tuple(Update(anchor, as_of, format_date(as_of, lang), fix(source), fix(html), fix(lead))
                              for anchor, as_of, source, html, lead in updates_in(doc.body)))
        lessons.append(Lesson(raw.slug, raw.number, MappingProxyType(texts)))
    banks, questions = {}, {}
    for bank in files.banks:
        qs = []
        for q in bank.data["questions"]:
            q = dict(q, lesson=bank.slug)
            qs.append(MappingProxyType(q))
            questions[q["id"]] = qs[-1]
        banks[bank.slug] = Bank(bank.slug, float(bank.data.get("pass_mark", 0.8)), tuple(qs))
    digest = hashlib.sha256()
    for path, data in sorted(files.raw_bytes.items()):
        digest.update(path.encode() + b"\0" + data)
    return Catalog(
        lessons=tuple(lessons), banks=MappingProxyType(banks),
        glossary=tuple(files.glossary.get("terms", ())), sources=tuple(files.sources.get("groups", ())),
        course=MappingProxyType(files.course), aid=MappingProxyType(files.aid),
        final=MappingProxyType(files.final),
        version=digest.hexdigest()[:12], changelog=build_changelog(files.changelog),
        signoffs=build_signoffs(files.signoff),
        _by_slug=MappingProxyType({lesson.slug: lesson for lesson in lessons}),
        _questions=MappingProxyType(questions))
