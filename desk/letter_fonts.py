"""The fonts of a letter written directly (desk/letter_pdf.py): DejaVu Serif and its bold,
cut once per process to the Vietnamese alphabet, measured as Pango measures them.

Each PDF embeds the cut font with the outlines of the glyphs it shows only: the font's
tables are kept as bytes once, and a letter's font program is those tables around its own
glyph table (glyph ids unchanged, so the text, widths and ToUnicode map stay the same),
which costs far less than subsetting each letter with fontTools.
"""

from __future__ import annotations

import functools
import io
import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

from desk.pdf import subset_font

# The glyphs embedded: ASCII, the Vietnamese letters, the punctuation letters use.
ALPHABET = [
    *range(0x20, 0x7F),
    *map(ord, "\xa0ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýĂăĐđĨĩŨũƠơƯư"),
    *range(0x1EA0, 0x1EFA),
    *map(ord, "–—‘’“”…•₫№°§«»×"),
]
PANGO = 1024  # Pango's units in a CSS px
# The tables a PDF's TrueType font needs (no name, hinting or MATH table).
TABLES = ("cmap", "head", "hhea", "hmtx", "maxp", "OS/2", "post")


@dataclass(frozen=True, eq=False)  # hashed by identity: one per process
class Face:
    name: bytes  # the resource name in a page
    base: str
    codes: dict[str, str]  # character -> glyph id, as 4 hex digits
    gids: dict[str, int]
    advances: dict[str, float]  # character -> advance, in em
    ascent: float
    descent: float
    widths: dict[int, int]  # glyph id -> advance, in 1/1000 em (the CIDFont's /W)
    to_unicode: bytes  # zlib-compressed CMap
    bbox: bytes
    tables: dict[str, bytes]  # all but glyf and loca
    glyphs: list[bytes]  # each glyph's outline, by id
    components: dict[int, list[int]]  # a composite glyph's parts

    def width(self, text: str, size: float) -> float:
        advances = _advances(self, size)
        return sum(advances[c] for c in text) / PANGO

    def baseline(self, size: float, line: float) -> float:
        """From the top of a line box of this face alone to its baseline (half-leading)."""
        return size * (line + self.ascent - self.descent) / 2

    def widths_array(self, chars: Iterable[str]) -> bytes:
        """The CIDFont's /W array for ``chars``."""
        gids = sorted({self.gids[c] for c in chars})
        return ("[" + " ".join(f"{gid} [{self.widths[gid]}]" for gid in gids) + "]").encode()

    def program(self, chars: Iterable[str]) -> tuple[bytes, int]:
        """The font with the outlines of ``chars`` only (and .notdef), zlib-compressed, and
        its length uncompressed."""
        keep, stack = {0}, [self.gids[c] for c in chars]
        while stack:
            gid = stack.pop()
            if gid not in keep:
                keep.add(gid)
                stack.extend(self.components.get(gid, ()))
        glyf, offsets = bytearray(), []
        for gid, outline in enumerate(self.glyphs):
            offsets.append(len(glyf))
            if gid in keep:
                glyf += outline + b"\0" * (-len(outline) % 4)
        offsets.append(len(glyf))
        loca = struct.pack(f">{len(offsets)}I", *offsets)
        font = _sfnt({**self.tables, "glyf": bytes(glyf), "loca": loca})
        return zlib.compress(font), len(font)


def pango_size(size: float) -> int:
    """A font size as Pango takes it from WeasyPrint: whole 1/1024 px."""
    return int(size * PANGO)


@functools.cache
def _advances(face: Face, size: float) -> dict[str, int]:
    """Each character's advance at ``size`` rounded to Pango's unit, as lines are measured."""
    scale = pango_size(size)
    return {c: round(advance * scale) for c, advance in face.advances.items()}


def _sfnt(tables: dict[str, bytes]) -> bytes:
    """A TrueType file of ``tables`` (their directory sorted by tag, with checksums)."""
    tags = sorted(tables)
    selector = len(tags).bit_length() - 1
    search = 16 << selector
    header = struct.pack(">IHHHH", 0x00010000, len(tags), search, selector, len(tags) * 16 - search)
    offset, directory, body = 12 + 16 * len(tags), [], []
    for tag in tags:
        data = tables[tag]
        padded = data + b"\0" * (-len(data) % 4)
        checksum = sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF
        directory.append(struct.pack(">4sIII", tag.encode(), checksum, offset, len(data)))
        body.append(padded)
        offset += len(padded)
    return header + b"".join(directory) + b"".join(body)


def _face(font_name: str, resource: bytes) -> Face:
    from fontTools.ttLib import TTFont

    cut = io.BytesIO()
    subset_font(font_name, ALPHABET).save(cut)
    font = TTFont(io.BytesIO(cut.getvalue()))
    upm = font["head"].unitsPerEm
    hmtx, order = font["hmtx"], font.getGlyphOrder()
    codes, gids, advances, by_gid = {}, {}, {}, {}
    for code, glyph in font.getBestCmap().items():
        gid = font.getGlyphID(glyph)
        codes[chr(code)], gids[chr(code)] = f"{gid:04x}", gid
        advances[chr(code)] = hmtx[glyph][0] / upm
        by_gid.setdefault(gid, code)
    widths = {gid: round(hmtx[order[gid]][0] * 1000 / upm) for gid in by_gid}
    ranges = [sorted(by_gid.items())[i : i + 100] for i in range(0, len(by_gid), 100)]
    cmap = "\n".join(
        [
            "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
            "1 begincodespacerange <0000> <ffff> endcodespacerange",
            *(
                f"{len(chunk)} beginbfchar\n"
                + "\n".join(f"<{gid:04x}> <{code:04x}>" for gid, code in chunk)
                + "\nendbfchar"
                for chunk in ranges
            ),
            "endcmap CMapName currentdict /CMap defineresource pop end end",
        ]
    )
    # The outlines as stored, cut at the offsets of the font's own index (loca).
    raw, offsets = font.reader["glyf"], font["loca"].locations
    glyf = font["glyf"]
    components = {
        gid: [font.getGlyphID(part) for part in glyf[name].getComponentNames(glyf)]
        for gid, name in enumerate(order)
        if glyf[name].isComposite()
    }
    # The head table says a long index (loca as 32-bit offsets) and no checksum adjustment.
    head = bytearray(font.reader["head"])
    head[8:12] = b"\0\0\0\0"
    head[50:52] = struct.pack(">h", 1)
    tables = {tag: font.reader[tag] for tag in TABLES if tag != "head"}
    head_table = font["head"]
    scale = 1000 / upm
    box = (head_table.xMin, head_table.yMin, head_table.xMax, head_table.yMax)
    return Face(
        name=resource,
        base=font_name,
        codes=codes,
        gids=gids,
        advances=advances,
        ascent=font["hhea"].ascent / upm,
        descent=-font["hhea"].descent / upm,
        widths=widths,
        to_unicode=zlib.compress(cmap.encode()),
        bbox=("[" + " ".join(str(round(v * scale)) for v in box) + "]").encode(),
        tables={**tables, "head": bytes(head)},
        glyphs=[raw[offsets[i] : offsets[i + 1]] for i in range(len(order))],
        components=components,
    )


@functools.cache
def faces() -> tuple[Face, Face]:
    """The regular and bold faces, cut once per process."""
    return _face("DejaVuSerif", b"/R"), _face("DejaVuSerif-Bold", b"/B")
