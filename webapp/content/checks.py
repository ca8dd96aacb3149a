"""Content rules. Each problem names the file, the line where it can, and what is wrong."""
from __future__ import annotations

import re
from collections import Counter

from ..languages import LANGUAGES
from .aid_checks import check_aid
from .changelog import check_changelog
from .questions import QUESTION_TYPES, is_text
from .render import ANCHOR, SPECIAL_LINK, parse_blocks, update_problems
from .signoff import check_signoffs

LANGS = tuple(sorted(LANGUAGES))  # every text exists in each; checks name English first
REQUIRED_META = ("title", "summary", "minutes", "objectives", "sources", "key_points")
OPTIONAL_META = ("content_note", "tags")
# A lesson tagged with one of these describes exploitation and must warn its reader first.
NEEDS_CONTENT_NOTE = {"exploitation"}
TAGS = NEEDS_CONTENT_NOTE
# "(Porto 2015, Session 3, Name; Session 4, Other)": the sessions a sentence is cited to.
CITATION = re.compile(r"Porto 2015, ([^*)]+)")
SESSION_NAME = re.compile(r"^(?:opening|ouverture|conclusions|session \d+)$", re.IGNORECASE)
_SESSION_ALIASES = {"ouverture": "opening"}
QUESTION_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A grouped number (5 500, 5,500, 300 000) before a plain or decimal one (0,4 / 0.4 / 80).
NUMBER = re.compile(r"(?<![\d.,])(\d{1,3}(?:[ \u00a0\u202f,.]\d{3})+(?![\d])|\d+(?:[.,]\d+)?)")
GROUPED = re.compile(r"\d{1,3}(?:[ \u00a0\u202f,.]\d{3})+")
_NOT_PROSE = re.compile(r"\{#[^}]*\}|\]\([^)]*\)")


class Problems:
    def __init__(self, root):
        self.root = root
        self._items = []

    def add(self, path: str, line, message: str):
        self._items.append((path, line, message))

    def __bool__(self):
        return bool(self._items)

    def lines(self) -> list[str]:
        return [f"{path}:{line}: {msg}" if line else f"{path}: {msg}" for path, line, msg in self._items]


def numbers_in(text: str) -> set[str]:
    """The numbers a text states, written one way whatever the language's digit style:
    5 500, 5,500 and 5500 give "5500"; 0,4 and 0.4 give "0.4"."""
    found = set()
    for m in NUMBER.finditer(_NOT_PROSE.sub(" ", text)):
        token = m.group(1)
        if GROUPED.fullmatch(token):
            found.add(re.sub(r"\D", "", token))
        else:
            found.add(token.replace(",", "."))
    return found


def line_of(text: str, needle: str, default=None):
    for n, line in enumerate(text.split("\n"), start=1):
        if needle in line:
            return n
    return default


def check_catalog(files, problems: Problems) -> None:
    slugs = _check_lessons(files, problems)
    glossary_ids = _check_glossary(files, problems)
    _check_links(files, slugs, glossary_ids, problems)
    _check_course(files, problems)
    _check_sources(files, problems)
    check_aid(files, problems)
    _check_banks(files, slugs, problems)
    _check_final(files, slugs, problems)
    check_changelog(files, slugs, problems)
    check_signoffs(files, slugs, problems)


def _lesson_anchors(files) -> dict:
    return {lesson.slug: {h[2] for h in lesson.docs["en"].headings if h[2]}
            for lesson in files.lessons if lesson.docs.get("en")}


def _check_lessons(files, problems) -> set:
    seen_numbers, seen_slugs = {}, set()
    for lesson in files.lessons:
        if lesson.number in seen_numbers:
            problems.add(lesson.dir, None, f"number {lesson.number:02d} is also used by {seen_numbers[lesson.number]}")
        seen_numbers[lesson.number] = lesson.dir
        if lesson.slug in seen_slugs:
            problems.add(lesson.dir, None, f"slug {lesson.slug} is used twice")
        seen_slugs.add(lesson.slug)
        missing = [lang for lang in LANGS if lang not in lesson.docs]
        for lang in missing:
            problems.add(f"{lesson.dir}/{lang}.md", None,
                         "is missing: the lesson exists in one language only")
        docs = [lesson.docs[lang] for lang in LANGS if lesson.docs.get(lang)]
        for doc in docs:
            _check_doc(doc, problems)
        if len(docs) == 2 and not missing:
            _check_parity(*docs, problems)
    return seen_slugs


def _check_doc(doc, problems):
    meta = doc.meta
    for key in REQUIRED_META:
        if key not in meta or meta[key] in (None, "", []):
            problems.add(doc.path, 2, f"front matter: '{key}' is missing")
    for key in meta:
        if key not in REQUIRED_META + OPTIONAL_META:
            problems.add(doc.path, 2, f"front matter: unknown key '{key}'")
    if "minutes" in meta and not (isinstance(meta["minutes"], int) and 0 < meta["minutes"] <= 120):
        problems.add(doc.path, 2, "front matter: 'minutes' must be a whole number of minutes (1-120)")
    for key in ("objectives", "key_points", "sources"):
        value = meta.get(key)
        if value is not None and not (isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)):
            problems.add(doc.path, 2, f"front matter: '{key}' must be a list of texts")
    for key in ("title", "summary", "content_note"):
        if key in meta and not isinstance(meta[key], str):
            problems.add(doc.path, 2, f"front matter: '{key}' must be a text")
    tags = meta.get("tags")
    if tags is not None:
        if not (isinstance(tags, list) and all(t in TAGS for t in tags)):
            problems.add(doc.path, 2, f"front matter: 'tags' must be a list of: {', '.join(sorted(TAGS))}")
        elif NEEDS_CONTENT_NOTE & set(tags) and not meta.get("content_note"):
            problems.add(doc.path, 2, "front matter: a lesson tagged 'exploitation' needs a 'content_note' "
                                      "that warns the reader before the text")
    _check_blocks(doc, problems)
    _check_citations(doc, problems)
    objectives = meta.get("objectives")
    if isinstance(objectives, list) and not 1 <= len(objectives) <= 6:
        problems.add(doc.path, 2, "front matter: give 1-6 objectives")
    seen = set()
    for level, title, anchor, line in doc.headings:
        if anchor is None:
            if level == 2:
                problems.add(doc.path, line, f"heading '{title}' needs an anchor: ## {title} {{#some-anchor}}")
            continue
        if not ANCHOR.match(anchor):
            problems.add(doc.path, line, f"anchor '{anchor}' must be lower-case-with-dashes")
        if anchor in seen:
            problems.add(doc.path, line, f"anchor '{anchor}' is used twice")
        seen.add(anchor)
    if not any(level == 2 for level, *_ in doc.headings):
        problems.add(doc.path, doc.body_line, "has no section: add '## Title {#anchor}' headings")


def _check_blocks(doc, problems):
    segments, errors = parse_blocks(doc.body)
    for index, message in errors:
        problems.add(doc.path, doc.body_line + index, message)
    for kind, attrs, text, first in segments:
        if kind == "update":
            for message in update_problems(attrs):
                problems.add(doc.path, doc.body_line + first, message)
        if kind in ("update", "course-note") and not text.strip():
            problems.add(doc.path, doc.body_line + first, f"'::: {kind}' block is empty")


def _session_key(name: str) -> str:
    key = " ".join(name.split()).lower()
    return _SESSION_ALIASES.get(key, key)


def _check_citations(doc, problems):
    sources = doc.meta.get("sources")
    if not isinstance(sources, list):
        return
    listed = {_session_key(s) for s in sources if isinstance(s, str)}
    meta_lines = [str(v) for v in (doc.meta.get("key_points") or [])]
    for text in meta_lines:
        for session in _cited_sessions(text):
            if _session_key(session) not in listed:
                problems.add(doc.path, 2, f"key point cites '{session}', which 'sources' does not list")
    for n, line in enumerate(doc.body.split("\n"), start=doc.body_line):
        for session in _cited_sessions(line):
            if _session_key(session) not in listed:
                problems.add(doc.path, n, f"cites '{session}', which the lesson's 'sources' do not list")


def _cited_sessions(text: str) -> list[str]:
    """Every session a line cites: the first name after "Porto 2015, ", and the first name of each
    later "; Session N, ..." part of the same citation (other parts, such as a remark, are skipped)."""
    found = []
    for m in CITATION.finditer(text):
        parts = [part.split(",")[0].strip() for part in m.group(1).split(";")]
        found.append(parts[0])
        found.extend(part for part in parts[1:] if SESSION_NAME.match(part))
    return found


def _check_parity(en, fr, problems):
    for key in sorted(set(en.meta) ^ set(fr.meta)):
        where, other = (en, fr) if key in en.meta else (fr, en)
        problems.add(other.path, 2, f"front matter: '{key}' is in {where.path} but not here")
    if en.meta.get("minutes") != fr.meta.get("minutes"):
        problems.add(fr.path, 2, f"front matter: minutes differ from {en.path}")
    for key in ("objectives", "key_points"):
        a, b = en.meta.get(key), fr.meta.get(key)
        if isinstance(a, list) and isinstance(b, list) and len(a) != len(b):
            problems.add(fr.path, 2, f"front matter: {len(b)} {key} here, {len(a)} in {en.path}")
    en_blocks = [(k, a.get("as-of")) for k, a, _, _ in parse_blocks(en.body)[0] if k]
    fr_blocks = [(k, a.get("as-of")) for k, a, _, _ in parse_blocks(fr.body)[0] if k]
    if en_blocks != fr_blocks:
        problems.add(fr.path, fr.body_line, f"':::' blocks differ from {en.path} (same kinds and as-of dates, "
                                            f"in the same order): {fr_blocks} here, {en_blocks} there")
    en_anchors = [(lvl, a) for lvl, _, a, _ in en.headings if a]
    fr_anchors = [(lvl, a) for lvl, _, a, _ in fr.headings if a]
    if en_anchors != fr_anchors:
        only_en = [a for _, a in en_anchors if (_, a) not in fr_anchors]
        only_fr = [a for _, a in fr_anchors if (_, a) not in en_anchors]
        if only_en or only_fr:
            detail = "; ".join(filter(None, [
                only_en and f"only in en: {', '.join(only_en)}", only_fr and f"only in fr: {', '.join(only_fr)}"]))
        else:
            detail = "same anchors in a different order"
        problems.add(fr.path, None, f"sections differ from {en.path} ({detail})")
    en_numbers, fr_numbers = _doc_numbers(en), _doc_numbers(fr)
    for lang_doc, other, numbers in ((en, fr, en_numbers - fr_numbers), (fr, en, fr_numbers - en_numbers)):
        for number in sorted(numbers):
            problems.add(lang_doc.path, _number_line(lang_doc, number),
                         f"the number {number} is not in {other.path}")


def _doc_numbers(doc) -> set:
    meta_text = " ".join(str(v) for k, v in doc.meta.items() if k != "minutes")
    return numbers_in(meta_text + "\n" + doc.body)


def _number_line(doc, number):
    for n, line in enumerate(doc.body.split("\n"), start=doc.body_line):
        if number in numbers_in(line):
            return n
    return 2


def _check_glossary(files, problems) -> set:
    path, text = "lessons/glossary.yaml", files.texts.get("lessons/glossary.yaml", "")
    terms = files.glossary.get("terms") if files.glossary else None
    if files.glossary and not isinstance(terms, list):
        problems.add(path, 1, "needs a list 'terms'")
        return set()
    ids = set()
    for term in terms or ():
        tid = term.get("id") if isinstance(term, dict) else None
        line = line_of(text, f"id: {tid}")
        if not isinstance(tid, str) or not QUESTION_ID.match(tid):
            problems.add(path, line, f"term id {tid!r} must be lower-case-with-dashes")
            continue
        if tid in ids:
            problems.add(path, line, f"term id '{tid}' is used twice")
        ids.add(tid)
        for key in ("term", "definition"):
            if not is_text(term.get(key)):
                problems.add(path, line, f"term '{tid}': {key} needs both en and fr")
    return ids


def _check_links(files, slugs, glossary_ids, problems):
    anchors = _lesson_anchors(files)
    for lesson in files.lessons:
        for doc in lesson.docs.values():
            if not doc:
                continue
            for n, line in enumerate(doc.body.split("\n"), start=doc.body_line):
                for m in SPECIAL_LINK.finditer(line):
                    scheme, target = m.groups()
                    if scheme == "glossary" and target not in glossary_ids:
                        problems.add(doc.path, n, f"link to unknown glossary term '{target}'")
                    elif scheme == "lesson":
                        slug, _, anchor = target.partition("#")
                        if slug not in slugs:
                            problems.add(doc.path, n, f"link to unknown lesson '{slug}'")
                        elif anchor and anchor not in anchors.get(slug, ()):
                            problems.add(doc.path, n, f"link to unknown section '{anchor}' of lesson '{slug}'")


def _check_course(files, problems):
    path = "lessons/course.yaml"
    for key in ("title", "purpose", "audience", "meeting", "path"):
        if files.course and not is_text(files.course.get(key)):
            problems.add(path, line_of(files.texts.get(path, ""), f"{key}:", 1), f"'{key}' needs both en and fr")


def _check_sources(files, problems):
    path, text = "lessons/sources.yaml", files.texts.get("lessons/sources.yaml", "")
    groups = files.sources.get("groups") if files.sources else None
    if files.sources and not isinstance(groups, list):
        problems.add(path, 1, "needs a list 'groups'")
        return
    for group in groups or ():
        if not isinstance(group, dict) or not is_text(group.get("title")):
            problems.add(path, line_of(text, f"id: {group.get('id') if isinstance(group, dict) else ''}"),
                         "each group needs an id and a title in en and fr")
            continue
        for item in group.get("items") or ():
            if not isinstance(item, dict) or not is_text(item.get("text")):
                problems.add(path, line_of(text, f"id: {item.get('id') if isinstance(item, dict) else ''}"),
                             "each source needs a text in en and fr")


def _check_banks(files, slugs, problems):
    anchors = _lesson_anchors(files)
    seen_ids = {}
    for bank in files.banks:
        if bank.slug not in slugs:
            problems.add(bank.path, None, f"no lesson has the slug '{bank.slug}'")
        if bank.data.get("lesson") != bank.slug:
            problems.add(bank.path, line_of(bank.text, "lesson:", 1), f"'lesson' must be '{bank.slug}'")
        pass_mark = bank.data.get("pass_mark", 0.8)
        if not isinstance(pass_mark, (int, float)) or isinstance(pass_mark, bool) or not 0 < pass_mark <= 1:
            problems.add(bank.path, line_of(bank.text, "pass_mark:", 1), "pass_mark must be a share between 0 and 1")
        questions = bank.data.get("questions")
        if not isinstance(questions, list) or not questions:
            problems.add(bank.path, None, "needs a list 'questions'")
            bank.data["questions"] = []
            continue
        for q in questions:
            if not isinstance(q, dict):
                problems.add(bank.path, None, "each question must be a mapping")
                continue
            _check_question(q, bank, anchors, seen_ids, problems)
        bank.data["questions"] = [q for q in questions if isinstance(q, dict)]


def _check_question(q, bank, anchors, seen_ids, problems):
    qid = q.get("id")
    line = line_of(bank.text, f"id: {qid}")
    if not isinstance(qid, str) or not QUESTION_ID.match(qid):
        problems.add(bank.path, line, f"question id {qid!r} must be lower-case-with-dashes")
        return
    if qid in seen_ids:
        problems.add(bank.path, line, f"question id '{qid}' is also used in {seen_ids[qid]}")
    seen_ids[qid] = bank.path
    qtype = QUESTION_TYPES.get(q.get("type"))
    if qtype is None:
        problems.add(bank.path, line, f"question '{qid}': unknown type {q.get('type')!r} "
                                      f"(one of {', '.join(QUESTION_TYPES)})")
        return
    see = q.get("see")
    slug, _, anchor = (see or "").rpartition("#") if "#" in (see or "") else (bank.slug, "", see)
    if not see:
        problems.add(bank.path, line, f"question '{qid}': 'see' (the section that teaches it) is missing")
    elif anchor not in anchors.get(slug, ()):
        problems.add(bank.path, line, f"question '{qid}': see '{see}' names no section of lesson '{slug}'")
    for key in ("prompt", "explanation"):
        if not is_text(q.get(key)):
            problems.add(bank.path, line, f"question '{qid}': {key} needs both en and fr")
    for problem in qtype.validate(q):
        problems.add(bank.path, line, f"question '{qid}': {problem}")


def _check_final(files, slugs, problems):
    path = "quizzes/final.yaml"
    if not files.final:
        return
    text = files.texts.get(path, "")
    draw = files.final.get("draw")
    if not isinstance(draw, list) or not draw:
        problems.add(path, 1, "needs a list 'draw'")
        return
    available = Counter()
    for bank in files.banks:
        for q in bank.data.get("questions", ()):
            available[("lesson", bank.slug)] += 1
            available[("type", q.get("type"))] += 1
    for rule in draw:
        if not isinstance(rule, dict) or not isinstance(rule.get("count"), int) or rule["count"] < 1:
            problems.add(path, line_of(text, "count", 1), "each draw rule needs a positive 'count'")
            continue
        if "lesson" in rule:
            key = ("lesson", rule["lesson"])
            if rule["lesson"] not in slugs:
                problems.add(path, line_of(text, str(rule["lesson"]), 1), f"no lesson '{rule['lesson']}'")
        elif rule.get("type") in QUESTION_TYPES:
            key = ("type", rule["type"])
        else:
            problems.add(path, line_of(text, "count", 1), "each draw rule names a 'lesson' or a question 'type'")
            continue
        if available[key] < rule["count"]:
            problems.add(path, line_of(text, str(key[1]), 1),
                         f"asks for {rule['count']} questions from {key[1]} but the banks hold {available[key]}")
