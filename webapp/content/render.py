"""Markdown to sanitized HTML, with the course's own link schemes."""
from __future__ import annotations

import datetime
import re
from html import unescape as html_unescape

import markdown
import nh3

HEADING = re.compile(r"^(#{2,3})\s+(.+?)\s*(?:\{#([^}\s]*)\})?\s*$")
SPECIAL_LINK = re.compile(r"\]\((glossary|lesson):([^)\s]*)\)")
ANCHOR = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

_TAGS = {"h2", "h3", "h4", "p", "ul", "ol", "li", "a", "em", "strong", "blockquote", "table",
         "thead", "tbody", "tr", "th", "td", "code", "br", "hr", "abbr", "sup", "sub"}
# lang: a title in the other language (*Trafficking in Persons Report*{lang=en}) is read in its own.
_ATTRS = {"h2": {"id"}, "h3": {"id"}, "a": {"href", "title"}, "abbr": {"title"}, "em": {"lang"},
          "th": {"scope", "align"}, "td": {"align"}}


def link_target(scheme: str, target: str) -> str:
    """The site path of a ``glossary:`` or ``lesson:`` link (language-neutral)."""
    if scheme == "glossary":
        return f"/glossary#{target}"
    slug, _, anchor = target.partition("#")
    return f"/lessons/{slug}" + (f"#{anchor}" if anchor else "")


# A block of the course's own voice, or a dated update, between a ':::' opening and closing line:
#   ::: course-note            ::: update as-of="2025-01-29" source="[ECOWAS](https://ecowas.int)"
#   text                       text
#   :::                        :::
BLOCK_OPEN = re.compile(r"^:::\s*([a-z-]+)((?:\s+[a-z-]+=\"[^\"]*\")*)\s*$")
BLOCK_ATTR = re.compile(r'([a-z-]+)="([^"]*)"')
BLOCK_KINDS = ("course-note", "update")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"],
}
_LABELS = {
    "en": {"course-note": "Course note", "update": "Update, as of", "source": "Source:"},
    "fr": {"course-note": "Note du cours", "update": "Mise à jour au", "source": "Source :"},
}


def parse_blocks(body: str):
    """The body cut into plain Markdown and ':::' blocks: (segments, errors).
    A segment is (kind or None, attrs, text, first line index); an error is (line index, message)."""
    segments, errors = [], []
    plain, start, block = [], 0, None
    for i, line in enumerate(body.split("\n")):
        if block is None:
            m = BLOCK_OPEN.match(line)
            if m:
                segments.append((None, {}, "\n".join(plain), start))
                attrs = dict(BLOCK_ATTR.findall(m.group(2)))
                block = (m.group(1), attrs, [], i)
                if m.group(1) not in BLOCK_KINDS:
                    errors.append((i, f"unknown block '::: {m.group(1)}' (use: {', '.join(BLOCK_KINDS)})"))
                continue
            if line.strip().startswith(":::"):
                errors.append((i, "a ':::' line with no block open (open with '::: course-note' or '::: update')"))
            plain.append(line)
        elif line.strip() == ":::":
            kind, attrs, lines, first = block
            segments.append((kind, attrs, "\n".join(lines), first))
            block, plain, start = None, [], i + 1
        else:
            if BLOCK_OPEN.match(line):
                errors.append((i, "blocks cannot be nested: close the one above with ':::' first"))
            block[2].append(line)
    if block is not None:
        errors.append((block[3], f"'::: {block[0]}' is not closed by a ':::' line"))
        kind, attrs, lines, first = block
        segments.append((kind, attrs, "\n".join(lines), first))
    else:
        segments.append((None, {}, "\n".join(plain), start))
    return segments, errors


def update_problems(attrs: dict) -> list[str]:
    found = []
    as_of = attrs.get("as-of", "")
    if not ISO_DATE.match(as_of) or not _valid_date(as_of):
        found.append("an update needs its date: as-of=\"YYYY-MM-DD\"")
    if not attrs.get("source", "").strip():
        found.append("an update needs an outside source: source=\"[title](https://...)\"")
    return found


def _valid_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def format_date(iso: str, lang: str) -> str:
    year, month, day = (int(x) for x in iso.split("-"))
    day_text = "1er" if lang == "fr" and day == 1 else str(day)
    return f"{day_text} {_MONTHS[lang][month - 1]} {year}"


def update_anchor(number: int) -> str:
    """The id of a lesson's ``number``-th update box (from 1): the same in both languages, since
    both have the same blocks in the same order."""
    return f"update-{number}"


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý])")


def updates_in(text: str) -> list[tuple[str, str, str, str, str]]:
    """The update boxes of a lesson body, in order:
    (anchor, as-of date, source HTML, text HTML, first sentence as plain text)."""
    found = []
    for kind, attrs, inner, _first in parse_blocks(text)[0]:
        if kind == "update":
            html = render_markdown(inner)
            plain = " ".join(nh3.clean(html, tags=set()).split())
            lead = _SENTENCE_END.split(plain, maxsplit=1)[0]
            found.append((update_anchor(len(found) + 1), attrs.get("as-of", ""), _inline(attrs.get("source", "")),
                          html, html_unescape(lead)))
    return found


def render_body(text: str, lang: str = "en") -> str:
    """A lesson body: Markdown, with course notes and update boxes as discreet asides."""
    segments, _ = parse_blocks(text)
    out = []
    labels = _LABELS.get(lang, _LABELS["en"])
    updates = 0
    for kind, attrs, inner, _first in segments:
        if kind is None:
            if inner.strip():
                out.append(render_markdown(inner))
            continue
        html = render_markdown(inner)
        if kind == "course-note":
            out.append(f'<div class="course-note" role="note"><p class="block-label">{labels[kind]}</p>{html}</div>')
        elif kind == "update":
            as_of = attrs.get("as-of", "")
            when = format_date(as_of, lang) if ISO_DATE.match(as_of) and _valid_date(as_of) else ""
            source = _inline(attrs.get("source", ""))
            updates += 1
            out.append(f'<div class="update-note" role="note" id="{update_anchor(updates)}">'
                       f'<p class="block-label">{labels[kind]} '
                       f'<time datetime="{as_of}">{when}</time></p>{html}'
                       f'<p class="update-source">{labels["source"]} {source}</p></div>')
    return "\n".join(out)


def _inline(text: str) -> str:
    html = render_markdown(text).strip()
    if html.startswith("<p>") and html.endswith("</p>"):
        html = html[3:-4]
    return html


def render_markdown(text: str) -> str:
    text = SPECIAL_LINK.sub(lambda m: f"]({link_target(m.group(1), m.group(2))})", text)
    html = markdown.markdown(text, extensions=["attr_list", "tables", "sane_lists"],
                             output_format="html")
    # Tables get header scope for screen readers.
    html = html.replace("<th>", '<th scope="col">')
    return nh3.clean(html, tags=_TAGS, attributes=_ATTRS, url_schemes={"https", "http", "mailto"},
                     link_rel="noopener")
