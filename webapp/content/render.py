"""Markdown to sanitized HTML, with the course's own link schemes."""
from __future__ import annotations

import re

import markdown
import nh3

HEADING = re.compile(r"^(#{2,3})\s+(.+?)\s*(?:\{#([^}\s]*)\})?\s*$")
SPECIAL_LINK = re.compile(r"\]\((glossary|lesson):([^)\s]*)\)")
ANCHOR = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

_TAGS = {"h2", "h3", "h4", "p", "ul", "ol", "li", "a", "em", "strong", "blockquote", "table",
         "thead", "tbody", "tr", "th", "td", "code", "br", "hr", "abbr", "sup", "sub"}
_ATTRS = {"h2": {"id"}, "h3": {"id"}, "a": {"href", "title"}, "abbr": {"title"},
          "th": {"scope", "align"}, "td": {"align"}}


def link_target(scheme: str, target: str) -> str:
    """The site path of a ``glossary:`` or ``lesson:`` link (language-neutral)."""
    if scheme == "glossary":
        return f"/glossary#{target}"
    slug, _, anchor = target.partition("#")
    return f"/lessons/{slug}" + (f"#{anchor}" if anchor else "")


def render_markdown(text: str) -> str:
    text = SPECIAL_LINK.sub(lambda m: f"]({link_target(m.group(1), m.group(2))})", text)
    html = markdown.markdown(text, extensions=["attr_list", "tables", "sane_lists"],
                             output_format="html")
    # Tables get header scope for screen readers.
    html = html.replace("<th>", '<th scope="col">')
    return nh3.clean(html, tags=_TAGS, attributes=_ATTRS, url_schemes={"https", "http", "mailto"},
                     link_rel="noopener")
