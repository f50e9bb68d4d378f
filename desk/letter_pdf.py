"""A letter's PDF written directly (pydyf), without laying HTML out, for the letters issued by
the thousand each week.

It sets the page templates/documents/letter.html gives through WeasyPrint (desk.pdf): A4,
the same margins, font sizes, weights and alignments, the letterhead's two columns, the
justified paragraphs and the signature table, the page number below. Positions follow the
CSS box model of that template (in CSS px, as WeasyPrint writes them), so both pages agree
within a fraction of a point; tests/arrears/documents/test_letter_pdf.py compares them.

The fonts are DejaVu Serif and its bold, cut once per process to the Vietnamese alphabet
(desk/letter_fonts.py), each PDF embedding the outlines of the glyphs it shows. A letter
this module does not set like WeasyPrint raises Unsupported from ``layout`` and goes
through WeasyPrint instead: a character outside that alphabet (after NFC), a word wider than
its line, or a title without its first line.
"""

from __future__ import annotations

import functools
import io
import itertools
import re
import unicodedata
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import pydyf
from weasyprint.text.line_break import get_log_attrs

from desk.letter_fonts import PANGO, Face, faces, pango_size

# The wording letter.html sets around the letter's own text.
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
SIGNER = "GIÁM ĐỐC"
SIGNER_LINES = 5  # "GIÁM ĐỐC" and four empty lines for the signature
RECIPIENTS = "Nơi nhận:"
FILED = "- Lưu: VT, QLT."

# The page in CSS px (WeasyPrint's unit, 0.75 pt): A4, margins 2 cm, 3 cm on the left, and
# the body's default 8 px margin.
PX = 0.75
PAGE_W, PAGE_H = 793.700787, 1122.519685
CM = 37.795276
LEFT = 3 * CM + 8
TOP = 2 * CM + 8
WIDTH = PAGE_W - 5 * CM - 16
BOTTOM = PAGE_H - 2 * CM
FOOTER_BASELINE = 1088.878706  # 9 pt, in the middle of the bottom margin
# Font sizes (10, 12.5, 14 and 9 pt) and the line height of the body.
SMALL, BODY, H1, FOOT = 40 / 3, 50 / 3, 56 / 3, 12.0
LINE = 1.45
INDENT = 1.2 * CM


@dataclass(frozen=True)
class Sheet:
    """What a letter's page shows, as letter.html sets it (text as printed)."""

    superior: str
    issuer: str
    number: str
    place: str
    title: str
    subtitle: str
    paragraphs: Sequence[str]
    recipient: str
    document_title: str


# A run of text on a page: face, size, x, baseline, text, extra width after each space.
Run = tuple[Face, float, float, float, str, float]
_SPACES = re.compile(r"[ \t\n\r\f]+")  # HTML's white space, collapsed as in a paragraph
_AFTER_SPACE = re.compile(r"(?<= )")


class Unsupported(Exception):
    """The letter holds what this module does not set like WeasyPrint."""


def _clean(text: str, face: Face) -> str:
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip(" ")
    if any(c not in face.codes for c in text):
        raise Unsupported(text)
    return text


def _segments(text: str) -> list[str]:
    """The text cut where a line may break, by Pango's rules as WeasyPrint applies them (after
    a space, a hyphen before a letter, a slash…); each piece keeps its trailing space."""
    attrs = get_log_attrs(text, "vi")
    cuts = [0, *(i for i in range(1, len(text)) if attrs[i].is_line_break), len(text)]
    return [text[a:b] for a, b in itertools.pairwise(cuts)]


def _lines(text: str, face: Face, size: float, width: float, indent: float = 0) -> list:  # type: ignore[type-arg]
    """The text set in lines of ``width`` (the first indented): as many pieces as fit, the
    spaces at a line's end hanging. Each line: (text, its natural width, its spaces)."""
    lines, current, used, room = [], "", 0.0, width - indent
    for piece in _segments(text):
        trimmed = face.width(piece.rstrip(" "), size)
        if current and used + trimmed > room + 1e-6:
            line = current.rstrip(" ")
            lines.append((line, face.width(line, size), line.count(" ")))
            current, used, room = "", 0.0, width
        if not current and trimmed > room + 1e-6:
            raise Unsupported(piece)  # it would overflow its line
        current += piece
        used += face.width(piece, size)
    if current:
        line = current.rstrip(" ")
        lines.append((line, face.width(line, size), line.count(" ")))
    return lines


@functools.lru_cache(maxsize=256)
def _centred(text: str, face: Face, size: float, left: float, width: float) -> tuple:  # type: ignore[type-arg]
    """A centred block's lines (x of each line, text): the fixed parts of a letter are laid
    out once per process."""
    return tuple(
        (left + (width - natural) / 2, line) for line, natural, _ in _lines(text, face, size, width)
    )


def layout(sheet: Sheet) -> list[list[Run]]:
    """The letter's pages, each a list of runs; raises Unsupported (see the module)."""
    regular, bold = faces()
    runs: list[Run] = []
    pages = [runs]

    # The letterhead: two columns, their content 42 % and 58 % of the body's width, 1 px of
    # padding, no wrapping.
    small_line = SMALL * LINE
    columns = ((LEFT + 1, WIDTH * 0.42), (LEFT + WIDTH * 0.42 + 3, WIDTH * 0.58))
    left = [(regular, sheet.superior, 0.0), (bold, sheet.issuer, 0.0)]
    if sheet.number:
        left.append((regular, f"Số: {sheet.number}", 0.4 * SMALL))
    right = [(bold, MOTTO[0], 0.0), (bold, MOTTO[1], 0.0)]
    height = 0.0
    for (x, width), cells in zip(columns, (left, right), strict=True):
        top = TOP + 1
        for face, text, margin in cells:
            text = _clean(text, face)
            # A line wider than its column starts at the column's left edge and overflows.
            offset = max(0.0, (width - face.width(text, SMALL)) / 2)
            top += margin
            runs.append((face, SMALL, x + offset, top + face.baseline(SMALL, LINE), text, 0))
            top += small_line
        height = max(height, top + 1 - TOP)

    # The place and date, right-aligned (italic in the template, set upright by WeasyPrint
    # for want of an italic face).
    top = TOP + height + 0.6 * BODY
    place = _clean(sheet.place, regular)
    x = LEFT + WIDTH - regular.width(place, BODY)
    runs.append((regular, BODY, x, top + regular.baseline(BODY, LINE), place, 0))
    top += BODY * LINE

    # The title (h1) and its summary (h2), centred, bold.
    title = _clean(sheet.title, bold)
    if not title:
        raise Unsupported("no title")
    top += 1.2 * H1
    for x, line in _centred(title, bold, H1, LEFT, WIDTH):
        runs.append((bold, H1, x, top + bold.baseline(H1, LINE), line, 0))
        top += H1 * LINE
    margin = 0.1 * H1
    subtitle = _clean(sheet.subtitle, bold)
    if subtitle:
        top += margin
        for x, line in _centred(subtitle, bold, BODY, LEFT, WIDTH):
            runs.append((bold, BODY, x, top + bold.baseline(BODY, LINE), line, 0))
            top += BODY * LINE
        margin = 1.2 * BODY

    # The paragraphs: justified, the first line indented, orphans and widows of two lines.
    body_line = BODY * LINE
    for paragraph in sheet.paragraphs:
        text = _clean(paragraph, regular)
        lines = _lines(text, regular, BODY, WIDTH, INDENT)
        top += margin
        i = 0
        while i < len(lines):
            rest = len(lines) - i
            fit = min(rest, max(0, int((BOTTOM - top) / body_line + 1e-9)))
            if fit < rest:
                fit = min(fit, rest - 2)
                fit = fit if fit >= 2 else 0
            for line, natural, spaces in lines[i : i + fit]:
                first, last = i == 0, i == len(lines) - 1
                room = WIDTH - (INDENT if first else 0)
                extra = (room - natural) / spaces if spaces and not last else 0
                x = LEFT + (INDENT if first else 0)
                runs.append((regular, BODY, x, top + regular.baseline(BODY, LINE), line, extra))
                top += body_line
                i += 1
            if i < len(lines):
                # The rest on a new page, from its top margin (the body's is not repeated).
                runs = []
                pages.append(runs)
                top = TOP - 8
        margin = 0.7 * BODY

    # The signature table: 2 px between its cells, 1 px of padding, each cell's content half
    # the body's width (the table overflows the body by the spacing and padding).
    top += max(margin, 2 * BODY) + 2
    half = WIDTH / 2
    recipient = _clean(f"- {sheet.recipient};", regular)
    notes = [(bold, RECIPIENTS)]
    notes += [(regular, line) for line, _, _ in _lines(recipient, regular, SMALL, half)]
    notes.append((regular, FILED))
    # The first line is bold on a regular strut: its box is the taller of the two.
    first = max(bold.baseline(SMALL, LINE), regular.baseline(SMALL, LINE))
    below = SMALL * LINE - min(bold.baseline(SMALL, LINE), regular.baseline(SMALL, LINE))
    cell_top = top + 1
    height = first + below + small_line * (len(notes) - 1)
    if cell_top + max(height, SIGNER_LINES * body_line) + 3 > BOTTOM + 1e-6:
        # Kept whole (break-inside: avoid), at the top of the next page, its margin dropped.
        runs = []
        pages.append(runs)
        cell_top = TOP - 8 + 3
    y = cell_top + first
    for face, text in notes:
        runs.append((face, SMALL, LEFT + 3, y, text, 0))
        y += small_line
    for x, line in _centred(SIGNER, bold, BODY, LEFT + 7 + half, half):
        runs.append((bold, BODY, x, cell_top + bold.baseline(BODY, LINE), line, 0))
    return pages


def _text(run: Run) -> bytes:
    face, size, x, y, text, extra = run
    codes = face.codes
    if extra:
        # Justified: each space followed by the extra width (TJ's unit: 1/1000 of the size).
        gap = f"> {-extra * 1000 / size:.3f} <".encode()
        shown = gap.join(
            "".join(codes[c] for c in word).encode() for word in _AFTER_SPACE.split(text)
        )
    else:
        shown = "".join(codes[c] for c in text).encode()
    size = pango_size(size) / PANGO
    return b"BT %s %.6f Tf 1 0 0 -1 %.4f %.4f Tm [<%s>] TJ ET" % (face.name, size, x, y, shown)


@dataclass(frozen=True)
class Pages:
    """Pages set: their content streams (compressed), the characters each face shows (the
    glyphs its PDF embeds)."""

    streams: list[bytes]
    chars: dict[bytes, frozenset[str]]


def page_streams(pages: list[list[Run]]) -> Pages:
    """Each page's content, with its number ("1/2") below."""
    regular = faces()[0]
    streams, chars = [], {face.name: set() for face in faces()}
    for number, runs in enumerate(pages, 1):
        footer = f"{number}/{len(pages)}"
        x = LEFT - 8 + (WIDTH + 16 - regular.width(footer, FOOT)) / 2
        runs = [*runs, (regular, FOOT, x, FOOTER_BASELINE, footer, 0)]
        ops = [b"%.2f 0 0 %.2f 0 %.6f cm 0 0 0 rg" % (PX, -PX, PAGE_H * PX)]
        ops += [_text(run) for run in runs]
        for face, _size, _x, _y, text, _extra in runs:
            chars[face.name].update(text)
        streams.append(zlib.compress(b"\n".join(ops)))
    return Pages(streams, {name: frozenset(used) for name, used in chars.items()})


def joined(sets: Sequence[Pages]) -> Pages:
    """Several letters' pages, in order, for one PDF."""
    return Pages(
        [stream for pages in sets for stream in pages.streams],
        {face.name: frozenset().union(*(p.chars[face.name] for p in sets)) for face in faces()},
    )


def _font(pdf: pydyf.PDF, face: Face, chars: frozenset[str]) -> pydyf.Dictionary:
    def add(obj):  # type: ignore[no-untyped-def]
        pdf.add_object(obj)
        return obj.reference

    program, length = face.program(chars)
    file = pydyf.Stream([program], {"Filter": "/FlateDecode", "Length1": length})
    descriptor = pydyf.Dictionary(
        {
            "Type": "/FontDescriptor",
            "FontName": "/DESKVI+" + face.base,
            "Flags": 4,
            "FontBBox": face.bbox,
            "ItalicAngle": 0,
            "Ascent": round(face.ascent * 1000),
            "Descent": round(-face.descent * 1000),
            "CapHeight": round(face.ascent * 1000),
            "StemV": 80,
            "FontFile2": add(file),
        }
    )
    cid = pydyf.Dictionary(
        {
            "Type": "/Font",
            "Subtype": "/CIDFontType2",
            "BaseFont": "/DESKVI+" + face.base,
            "CIDSystemInfo": b"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>",
            "CIDToGIDMap": "/Identity",
            "FontDescriptor": add(descriptor),
            "W": face.widths_array(chars),
        }
    )
    unicode = pydyf.Stream([face.to_unicode], {"Filter": "/FlateDecode"})
    font = pydyf.Dictionary(
        {
            "Type": "/Font",
            "Subtype": "/Type0",
            "BaseFont": "/DESKVI+" + face.base,
            "Encoding": "/Identity-H",
            "DescendantFonts": pydyf.Array([add(cid)]),
            "ToUnicode": add(unicode),
        }
    )
    return add(font)


def write(pages: Pages, title: str) -> bytes:
    """A PDF of pages already set (``page_streams``), each font embedded once."""
    pdf = pydyf.PDF()
    fonts = pydyf.Dictionary(
        {face.name.decode()[1:]: _font(pdf, face, pages.chars[face.name]) for face in faces()}
    )
    resources = pydyf.Dictionary({"Font": fonts})
    pdf.add_object(resources)
    for stream in pages.streams:
        content = pydyf.Stream([stream], {"Filter": "/FlateDecode"})
        pdf.add_object(content)
        page = pydyf.Dictionary(
            {
                "Type": "/Page",
                "Parent": pdf.pages.reference,
                "MediaBox": pydyf.Array([0, 0, PAGE_W * PX, PAGE_H * PX]),
                "Resources": resources.reference,
                "Contents": content.reference,
            }
        )
        pdf.add_page(page)
    pdf.info["Producer"] = pydyf.String("Arrears desk")
    if title:
        pdf.info["Title"] = pydyf.String(title)
    out = io.BytesIO()
    pdf.write(out)
    return out.getvalue()
