"""CSV files that open right when double-clicked in a spreadsheet: UTF-8 with a byte-order mark (accented
names), values that cannot run as formulas, and the separator of the reader's language: a French
spreadsheet splits on ";" (the comma is its decimal mark) and would put a comma-separated row in one cell."""
from __future__ import annotations

import csv
import io

BOM = "\ufeff"
SEPARATORS = {"fr": ";"}


def separator(lang: str) -> str:
    return SEPARATORS.get(lang, ",")


def cell(value) -> str:
    """A value a spreadsheet shows as text: a leading = + - @ would make it a formula. A number
    (a negative knowledge gain) stays a number: it cannot be a formula."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_text(header, rows, lang: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator(lang), lineterminator="\r\n")
    writer.writerow([cell(c) for c in header])
    for row in rows:
        writer.writerow([cell(c) for c in row])
    return BOM + out.getvalue()
