"""Read the content files: front matter, Markdown, YAML. Parse errors become problems, not crashes."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..languages import LANGUAGES
from .render import HEADING, render_body

LESSON_DIR = re.compile(r"^(\d\d)-([a-z0-9]+(?:-[a-z0-9]+)*)$")
BANK_FILE = re.compile(r"^(\d\d)-([a-z0-9]+(?:-[a-z0-9]+)*)\.yaml$")
LANGS = tuple(sorted(LANGUAGES))  # every text exists in each; checks name English first
CHANGELOG = "CHANGELOG.yaml"  # what changed, by date: the public "What changed" page
SIGNOFF = "SIGNOFF.yaml"  # expert sign-offs of content versions: a record about the content, not content
# libyaml's parser where it is installed: the same documents and errors, several times faster.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _yaml(text: str):
    return yaml.load(text, Loader=_YAML_LOADER)  # noqa: S506 - a safe loader


@dataclass
class LessonDoc:
    path: str
    meta: dict
    body: str
    body_line: int  # line number of the body's first line in the file
    headings: list  # (level, title, anchor or None, line)
    html: str = ""


@dataclass
class RawLesson:
    slug: str
    number: int
    dir: str
    docs: dict = field(default_factory=dict)


@dataclass
class RawBank:
    slug: str
    number: int
    path: str
    text: str
    data: dict


@dataclass
class Files:
    lessons: list = field(default_factory=list)
    banks: list = field(default_factory=list)
    glossary: dict = field(default_factory=dict)
    sources: dict = field(default_factory=dict)
    course: dict = field(default_factory=dict)
    aid: dict = field(default_factory=dict)
    final: dict = field(default_factory=dict)
    changelog: dict = field(default_factory=dict)  # lessons/CHANGELOG.yaml; optional
    signoff: dict = field(default_factory=dict)  # lessons/SIGNOFF.yaml; optional, not in raw_bytes
    final_text: str = ""
    texts: dict = field(default_factory=dict)  # relative path -> text, for line look-ups
    raw_bytes: dict = field(default_factory=dict)  # relative path -> bytes: what the content version hashes


def load_files(root: Path, problems) -> Files:
    files = Files()
    lessons_dir, quizzes_dir = root / "lessons", root / "quizzes"
    if not lessons_dir.is_dir():
        problems.add("lessons/", None, "the lessons folder is missing")
        return files
    for folder in sorted(p for p in lessons_dir.iterdir() if p.is_dir()):
        m = LESSON_DIR.match(folder.name)
        rel_dir = f"lessons/{folder.name}"
        if not m:
            problems.add(rel_dir, None, "lesson folders are named NN-slug (two digits, lower-case-with-dashes)")
            continue
        lesson = RawLesson(slug=m.group(2), number=int(m.group(1)), dir=rel_dir)
        for lang in LANGS:
            path = folder / f"{lang}.md"
            if path.exists():
                lesson.docs[lang] = _read_lesson(root, path, files, problems)
        files.lessons.append(lesson)
    files.course = _read_yaml(root, lessons_dir / "course.yaml", files, problems) or {}
    files.glossary = _read_yaml(root, lessons_dir / "glossary.yaml", files, problems) or {}
    files.sources = _read_yaml(root, lessons_dir / "sources.yaml", files, problems) or {}
    files.aid = _read_yaml(root, lessons_dir / "decision-aid.yaml", files, problems) or {}
    if (lessons_dir / CHANGELOG).exists():
        files.changelog = _read_yaml(root, lessons_dir / CHANGELOG, files, problems) or {}
    if (lessons_dir / SIGNOFF).exists():
        # Not hashed: the content version is what an expert signs off, so recording her sign-off must
        # not change it (a later change to any content file does, and so voids the sign-off).
        files.signoff = _read_yaml(root, lessons_dir / SIGNOFF, files, problems, hashed=False) or {}
    if quizzes_dir.is_dir():
        for path in sorted(quizzes_dir.glob("*.yaml")):
            if path.name == "final.yaml":
                files.final = _read_yaml(root, path, files, problems) or {}
                continue
            m = BANK_FILE.match(path.name)
            rel = _rel(root, path)
            if not m:
                problems.add(rel, None, "question banks are named NN-slug.yaml after their lesson")
                continue
            data = _read_yaml(root, path, files, problems)
            if data is not None:
                files.banks.append(RawBank(m.group(2), int(m.group(1)), rel, files.texts[rel], data))
    return files


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _read_text(root, path, files, hashed: bool = True) -> str:
    data = path.read_bytes()
    rel = _rel(root, path)
    if hashed:
        files.raw_bytes[rel] = data
    text = data.decode("utf-8")
    files.texts[rel] = text
    return text


def _read_yaml(root: Path, path: Path, files: Files, problems, hashed: bool = True):
    rel = _rel(root, path)
    if not path.exists():
        problems.add(rel, None, "file is missing")
        return None
    try:
        data = _yaml(_read_text(root, path, files, hashed))
    except UnicodeDecodeError:
        problems.add(rel, None, "is not UTF-8 text")
        return None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problems.add(rel, mark.line + 1 if mark else None, f"invalid YAML: {getattr(error, 'problem', error)}")
        return None
    except ValueError as error:  # a well-formed date that does not exist, e.g. 2026-02-30
        problems.add(rel, None, f"invalid YAML: {error}")
        return None
    if not isinstance(data, dict):
        problems.add(rel, 1, "must be a YAML mapping")
        return None
    return data


def _read_lesson(root: Path, path: Path, files: Files, problems) -> LessonDoc | None:
    rel = _rel(root, path)
    try:
        text = _read_text(root, path, files)
    except UnicodeDecodeError:
        problems.add(rel, None, "is not UTF-8 text")
        return None
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        problems.add(rel, 1, "must start with front matter between '---' lines")
        return None
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        problems.add(rel, 1, "front matter is not closed by a '---' line")
        return None
    try:
        meta = _yaml("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problems.add(rel, mark.line + 2 if mark else 1, f"invalid front matter: {getattr(error, 'problem', error)}")
        return None
    except ValueError as error:  # a well-formed date that does not exist
        problems.add(rel, 1, f"invalid front matter: {error}")
        return None
    if not isinstance(meta, dict):
        problems.add(rel, 2, "front matter must be a YAML mapping")
        return None
    body = "\n".join(lines[end + 1:])
    headings = []
    in_code = False
    for n, line in enumerate(lines[end + 1:], start=end + 2):
        if line.startswith("```"):
            in_code = not in_code
        m = None if in_code else HEADING.match(line)
        if m:
            headings.append((len(m.group(1)), m.group(2), m.group(3), n))
    doc = LessonDoc(rel, meta, body, end + 2, headings)
    doc.html = render_body(body, path.stem)
    return doc
