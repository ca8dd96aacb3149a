"""Reading back what a PDF made by fpdf2 shows: each line of text (decoded through its font's
ToUnicode map) with its font size and position, and the filled rectangles (the QR code).

Enough for our certificates (uncompressed object table, Flate content streams, Identity-H fonts);
not a general PDF reader."""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

PT = 72 / 25.4           # points per millimetre
ASCENT, DESCENT = 0.928, 0.236  # DejaVu Sans, as a fraction of the font size


@dataclass(frozen=True)
class Line:
    text: str
    size: float          # points
    x: float             # mm from the left edge
    baseline: float      # mm from the top edge

    @property
    def top(self) -> float:
        return self.baseline - self.size * ASCENT / PT

    @property
    def bottom(self) -> float:
        return self.baseline + self.size * DESCENT / PT


@dataclass(frozen=True)
class Page:
    pages: int
    height: float        # mm
    lines: list          # Line, in the order they are drawn
    rects: list          # (x, top, width, height) in mm of filled rectangles, in drawing order
    order: list          # ("text", index) / ("rect", index): what was drawn when


def _objects(data: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    """Each object's dictionary and its stream, cut by the stream's /Length: compressed bytes may hold
    anything, "endobj" or a final "\r" included, so no pattern can find where a stream ends."""
    objects = {}
    for match in re.finditer(rb"(\d+) 0 obj\b", data):
        start = match.end()
        opening = re.search(rb"stream\r?\n", data[start:])
        closing = data.find(b"endobj", start)
        if opening is not None and start + opening.start() < closing:
            head = data[start:start + opening.start()]
            length = int(re.search(rb"/Length (\d+)", head).group(1))
            stream = data[start + opening.end():start + opening.end() + length]
            if b"/FlateDecode" in head:
                stream = zlib.decompress(stream)
            objects[int(match.group(1))] = (head, stream)
        else:
            objects[int(match.group(1))] = (data[start:closing], None)
    return objects


def _cmap(stream: bytes) -> dict[int, str]:
    text = stream.decode("latin-1")
    mapping = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for code, uni in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(code, 16)] = bytes.fromhex(uni).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for low, high, uni in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            start = int(uni, 16)
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                mapping[code] = chr(start + offset)
    return mapping


def _unescape(raw: bytes) -> bytes:
    out, i = bytearray(), 0
    simple = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}
    while i < len(raw):
        c = raw[i]
        if c != 0x5C:
            out.append(c)
            i += 1
            continue
        n = raw[i + 1]
        if n in simple:
            out.append(simple[n])
            i += 2
        elif 48 <= n <= 55:
            j, value = i + 1, 0
            while j < len(raw) and j < i + 4 and 48 <= raw[j] <= 55:
                value, j = value * 8 + raw[j] - 48, j + 1
            out.append(value)
            i = j
        else:
            out.append(n)
            i += 2
    return bytes(out)


TOKEN = re.compile(rb"/(F\d+) ([\d.]+) Tf|BT ([\d.-]+) ([\d.-]+) Td.*?\(((?:\\.|[^\\)])*)\) Tj"
                   rb"|([\d.-]+) ([\d.-]+) ([\d.-]+) ([\d.-]+) re f", re.S)


def read(data: bytes) -> Page:
    objects = _objects(data)
    pages_head = next(head for head, _ in objects.values() if b"/Type /Pages" in head)
    count = int(re.search(rb"/Count (\d+)", pages_head).group(1))
    page_head = next(head for head, _ in objects.values() if re.search(rb"/Type /Page\b(?!s)", head))
    box = re.search(rb"/MediaBox \[0 0 [\d.]+ ([\d.]+)\]", page_head) or re.search(
        rb"/MediaBox \[0 0 [\d.]+ ([\d.]+)\]", pages_head)
    height = float(box.group(1))
    contents = objects[int(re.search(rb"/Contents (\d+) 0 R", page_head).group(1))][1]
    resources = next(head for head, _ in objects.values() if b"/Font <<" in head)
    cmaps = {}
    for name, ref in re.findall(rb"/(F\d+) (\d+) 0 R", resources):
        font_head = objects[int(ref)][0]
        cmaps[name] = _cmap(objects[int(re.search(rb"/ToUnicode (\d+) 0 R", font_head).group(1))][1])
    lines, rects, order, font, size = [], [], [], None, 0.0
    for m in TOKEN.finditer(contents):
        if m.group(1):
            font, size = m.group(1), float(m.group(2))
        elif m.group(3):
            raw = _unescape(m.group(5))
            codes = [int.from_bytes(raw[i:i + 2], "big") for i in range(0, len(raw), 2)]
            text = "".join(cmaps[font].get(code, "\ufffd") for code in codes)
            order.append(("text", len(lines)))
            lines.append(Line(text, size, float(m.group(3)) / PT, (height - float(m.group(4))) / PT))
        else:
            x, y, w, h = (float(m.group(n)) for n in (6, 7, 8, 9))
            order.append(("rect", len(rects)))
            rects.append((x / PT, (height - y) / PT, w / PT, -h / PT))
    return Page(count, height / PT, lines, rects, order)
