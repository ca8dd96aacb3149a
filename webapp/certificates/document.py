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


def qr(url: str):
    return segno.make(url, error="m", micro=False)


def qr_svg_data_uri(url: str) -> str:
    """An <img> source for the page (CSP allows data: images, not inline markup styles)."""
    return qr(url).svg_data_uri(scale=4, border=2, dark="#000", light="#fff")


def pdf(doc: Document) -> bytes:
    """A one-page A4 landscape PDF of the certificate."""
    from fpdf import FPDF

    out = FPDF(orientation="L", unit="mm", format="A4")
    out.set_auto_page_break(False)
    out.set_title(f"{doc.labels['heading']} {doc.number}")
    out.set_author("Passerelle")
    out.set_lang(doc.lang)
    out.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
    out.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    out.add_page()
    width = out.w - 2 * 20
    out.set_draw_color(10, 75, 140)
    out.set_line_width(1.2)
    out.rect(10, 10, out.w - 20, out.h - 20)

    def line(text: str, size: float, style: str = "", gap: float = 4, color=(27, 27, 27)):
        out.set_font(FONT, style, size)
        out.set_text_color(*color)
        out.set_x(20)
        out.multi_cell(width, size * 0.5, text, align="C", new_x="LMARGIN", new_y="NEXT")
        out.ln(gap)

    out.set_y(28)
    line("Passerelle", 14, "B", 6, (10, 75, 140))
    line(doc.labels["heading"], 28, "B", 10)
    line(doc.labels["certifies"], 13, "", 4)
    line(doc.holder, 26, "B", 6)
    line(doc.labels["completed"], 13, "", 3)
    line(doc.course, 17, "B", 5)
    if doc.workshop:
        line(doc.labels["workshop"], 12, "", 2)
        line(doc.workshop, 14, "B", 5)
    line(f"{doc.labels['date']} {doc.date}", 12, "", 2)
    if doc.revoked:
        line(doc.labels["revoked"], 16, "B", 2, (176, 0, 32))

    # Bottom: number and verification link on the left, QR code on the right.
    size = 34
    x, y = out.w - 20 - size, out.h - 20 - size
    _draw_qr(out, doc.verify_url, x, y, size)
    out.set_text_color(27, 27, 27)
    out.set_xy(20, y + 4)
    out.set_font(FONT, "", 11)
    out.cell(0, 6, f"{doc.labels['number']} {doc.number}", new_x="LMARGIN", new_y="NEXT")
    out.set_x(20)
    out.cell(0, 6, doc.labels["verify"], new_x="LMARGIN", new_y="NEXT")
    out.set_x(20)
    out.set_text_color(10, 75, 140)
    out.cell(0, 6, doc.verify_url, link=doc.verify_url, new_x="LMARGIN", new_y="NEXT")
    out.set_text_color(85, 85, 85)
    out.set_font(FONT, "", 9)
    out.set_x(20)
    out.cell(0, 6, doc.labels["issuer"], new_x="LMARGIN", new_y="NEXT")
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
