"""The certificate as a document: its texts in the holder's language, a QR code, and a PDF.

The PDF embeds DejaVu Sans (shipped in webapp/data/fonts with its licence), so every name renders:
"Aïssatou N'Diaye", "Đorđe", "Nguyễn". The QR code is drawn as vector squares: sharp when printed."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import segno

FONTS = Path(__file__).resolve().parent.parent / "data" / "fonts"
FONT = "DejaVu"


@dataclass(frozen=True)
class Document:
    lang: str
    number: str          # as displayed: ABCD-EFGH-JKMN-PQRS
    holder: str
    course: str
    workshop: str        # "" when it is a course certificate
    date: str            # already formatted in the holder's language
    verify_url: str
    revoked: bool
    labels: dict         # heading, certifies, completed, workshop, date, number, verify, revoked, issuer
    qr_text: str = ""    # the link and the signed statement (webapp/credentials/issuing.py); else the link

    @property
    def qr_content(self) -> str:
        return self.qr_text or self.verify_url


def qr(url: str):
    return segno.make(url, error="m", micro=False)


def qr_svg_data_uri(url: str) -> str:
    """An <img> source for the page (CSP allows data: images, not inline markup styles)."""
    return qr(url).svg_data_uri(scale=4, border=2, dark="#000", light="#fff")


INK, BLUE, RED, GREY = (27, 27, 27), (10, 75, 140), (176, 0, 32), (85, 85, 85)
MARGIN, TOP, QR_SIZE = 20, 28, 40  # 40 mm: the signed statement makes a version-14 code, 0.5 mm a module
MIN_SCALE = 0.5       # the top block's fonts shrink down to half their size before lines are cut
MAX_LINES = 3         # then a text keeps at most this many lines, the last one ending with "…"


def _top_block(doc: Document) -> list[tuple[str, float, str, float, tuple]]:
    """(text, font size, style, gap after, colour) of each paragraph above the number and link."""
    block = [("Passerelle", 14, "B", 6, BLUE), (doc.labels["heading"], 28, "B", 10, INK),
             (doc.labels["certifies"], 13, "", 4, INK), (doc.holder, 26, "B", 6, INK),
             (doc.labels["completed"], 13, "", 3, INK), (doc.course, 17, "B", 5, INK)]
    if doc.workshop:
        block += [(doc.labels["workshop"], 12, "", 2, INK), (doc.workshop, 14, "B", 5, INK)]
    block.append((f"{doc.labels['date']} {doc.date}", 12, "", 2, INK))
    if doc.revoked:
        block.append((doc.labels["revoked"], 16, "B", 2, RED))
    return block


def _lines(out, text: str, size: float, style: str, width: float, cap: int | None = None) -> list[str]:
    out.set_font(FONT, style, size)
    lines = out.multi_cell(width, size * 0.5, text, align="C", dry_run=True, output="LINES") or [""]
    if cap is not None and len(lines) > cap:
        lines, last = lines[:cap], lines[cap - 1].rstrip()
        while last and out.get_string_width(last + "…") > width:
            last = last[:-1].rstrip()
        lines[-1] = last + "…"
    return lines


def _fit_top(out, block, width: float, room: float) -> tuple[float, list[list[str]]]:
    """The largest scale (1 down to MIN_SCALE) at which the block fits in ``room`` mm, with its lines;
    at MIN_SCALE long texts are cut to MAX_LINES so that the block always fits above the number."""
    scale = 1.0
    while True:
        cap = MAX_LINES if scale <= MIN_SCALE else None
        lines = [_lines(out, text, size * scale, style, width, cap) for text, size, style, _, _ in block]
        height = sum(len(ls) * size * scale * 0.5 + gap * scale for ls, (_, size, _, gap, _) in zip(lines, block))
        if height <= room or cap is not None:
            return scale, lines
        scale = max(round(scale - 0.05, 2), MIN_SCALE)


def _fitting_size(out, text: str, size: float, width: float, style: str = "") -> float:
    """``size``, or smaller until ``text`` fits on one line of ``width`` mm (a long address)."""
    while size > 6:
        out.set_font(FONT, style, size)
        if out.get_string_width(text) <= width:
            break
        size -= 0.5
    return size


def pdf(doc: Document) -> bytes:
    """A one-page A4 landscape PDF of the certificate. Long names and workshop titles make the top
    block's fonts smaller (then are cut short) so that nothing overlaps the number and the QR code."""
    from fpdf import FPDF

    out = FPDF(orientation="L", unit="mm", format="A4")
    out.set_auto_page_break(False)
    out.set_title(f"{doc.labels['heading']} {doc.number}")
    out.set_author("Passerelle")
    out.set_lang(doc.lang)
    out.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
    out.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    out.add_page()
    width = out.w - 2 * MARGIN
    out.set_draw_color(*BLUE)
    out.set_line_width(1.2)
    out.rect(10, 10, out.w - 20, out.h - 20)

    qr_x, qr_y = out.w - MARGIN - QR_SIZE, out.h - MARGIN - QR_SIZE
    block = _top_block(doc)
    scale, lines = _fit_top(out, block, width, room=qr_y - 4 - TOP)
    out.set_y(TOP)
    for paragraph, (_, size, style, gap, colour) in zip(lines, block):
        out.set_font(FONT, style, size * scale)
        out.set_text_color(*colour)
        for text in paragraph:
            out.set_x(MARGIN)
            out.cell(width, size * scale * 0.5, text, align="C", new_x="LMARGIN", new_y="NEXT")
        out.ln(gap * scale)

    # Bottom: number and verification link on the left, QR code on the right.
    _draw_qr(out, doc.qr_content, qr_x, qr_y, QR_SIZE)
    room = qr_x - 4 - MARGIN
    out.set_xy(MARGIN, qr_y + 4)
    for text, size, colour, link in ((f"{doc.labels['number']} {doc.number}", 11, INK, None),
                                     (doc.labels["verify"], 11, INK, None),
                                     (doc.verify_url, 11, BLUE, doc.verify_url),
                                     (doc.labels["issuer"], 9, GREY, None)):
        out.set_font(FONT, "", _fitting_size(out, text, size, room))
        out.set_text_color(*colour)
        out.set_x(MARGIN)
        out.cell(room, 6, text, link=link or "", new_x="LMARGIN", new_y="NEXT")
    return bytes(out.output())


def _draw_qr(out, url: str, x: float, y: float, size: float) -> None:
    rows = [list(row) for row in qr(url).matrix_iter(scale=1, border=2)]
    module = size / len(rows)
    out.set_fill_color(255, 255, 255)
    out.rect(x, y, size, size, style="F")
    out.set_fill_color(0, 0, 0)
    for r, row in enumerate(rows):
        c = 0
        while c < len(row):  # one rectangle per run of dark modules keeps the file small
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                out.rect(x + start * module, y + r * module, (c - start) * module, module, style="F")
            else:
                c += 1
