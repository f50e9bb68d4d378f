"""HTML to PDF with WeasyPrint, for reports, certificates, minutes, and the letters
desk/letter_pdf.py does not set directly.

Letters go out by the thousand each week, so the costs WeasyPrint pays per document are
paid once per process here: the font configuration is shared, and the fonts are DejaVu cut
down once to the Vietnamese alphabet (Latin, its extensions, combining marks, U+1EA0-1EF9,
the đồng sign) without layout tables, which the subsetting of every PDF would otherwise
decompile again. No resource is fetched from the network.
"""

from __future__ import annotations

import atexit
import functools
import io
import threading
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

SYSTEM_FONTS = Path("/usr/share/fonts/truetype/dejavu")
FACES = {
    ("serif", "normal"): "DejaVuSerif",
    ("serif", "bold"): "DejaVuSerif-Bold",
    ("sans", "normal"): "DejaVuSans",
    ("sans", "bold"): "DejaVuSans-Bold",
}
VIETNAMESE = [
    *range(0x20, 0x7F),
    *range(0xA0, 0x250),
    *range(0x300, 0x370),
    *range(0x1EA0, 0x1F00),
    *range(0x2000, 0x2070),
    0x20AB,  # ₫
    0x20AC,
    0x2116,
]
_lock = threading.Lock()


def _font_dir() -> Path:
    return Path(settings.DATA_DIR) / "fonts"


def subset_font(name: str, unicodes: Iterable[int]):  # type: ignore[no-untyped-def]
    """The system font ``name`` cut down to ``unicodes``, without layout tables or hinting
    (a fontTools TTFont)."""
    from fontTools import subset

    options = subset.Options()
    options.layout_features = []
    options.drop_tables += ["GPOS", "GSUB", "GDEF", "kern", "FFTM"]
    options.notdef_outline = True
    options.hinting = False
    font = subset.load_font(str(SYSTEM_FONTS / f"{name}.ttf"), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    return font


def _cut_font(name: str) -> Path:
    target = _font_dir() / f"{name}-vi.ttf"
    if target.exists():
        return target
    font = subset_font(name, VIETNAMESE)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    font.save(str(partial))
    partial.replace(target)  # atomic: concurrent workers never read half a font
    return target


@functools.cache
def _fonts():  # type: ignore[no-untyped-def]
    """The shared font configuration and the @font-face rules for the cut fonts."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    with _lock:
        faces = []
        for (family, weight), name in FACES.items():
            path = _cut_font(name)
            faces.append(
                f"@font-face {{ font-family: 'Desk {family}'; font-weight: {weight}; "
                f"src: url('{path.as_uri()}'); }}"
            )
        config = FontConfiguration()
        return config, CSS(string="\n".join(faces), font_config=config)


# Let the font configuration go while the interpreter still works (its __del__ needs it).
atexit.register(_fonts.cache_clear)


def _local_only():  # type: ignore[no-untyped-def]
    """Letters and reports embed only local files (fonts, the letterhead's images) and
    inline data (a certificate's QR code); nothing is fetched from the network. One per
    document: a fetcher keeps state between its calls."""
    import ssl

    from weasyprint.urls import URLFetcher

    # HTTPS is refused anyway: a bare TLS context spares loading the system's certificates
    # for every document.
    bare = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    return URLFetcher(allowed_protocols={"file", "data"}, ssl_context=bare)


def render_pdf(html: str) -> bytes:
    """One PDF from one HTML document (its own CSS inside a <style> element)."""
    from weasyprint import HTML

    config, faces = _fonts()
    return HTML(string=html, url_fetcher=_local_only()).write_pdf(
        stylesheets=[faces], font_config=config
    )


def _rendered(htmls: Iterable[str]) -> list:  # type: ignore[type-arg]
    from weasyprint import HTML

    config, faces = _fonts()
    return [
        HTML(string=html, url_fetcher=_local_only()).render(stylesheets=[faces], font_config=config)
        for html in htmls
    ]


def render_merged_pdf(htmls: Iterable[str]) -> bytes:
    """Several HTML documents as one PDF, pages in order (the week's letters for the post)."""
    documents = _rendered(htmls)
    if not documents:
        return b""
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()


def render_each_and_merged(htmls: Iterable[str]) -> tuple[list[bytes], bytes]:
    """Each HTML document as its own PDF, and all of them as one, each laid out once (the
    letters kept as issued, and the same letters for the post).

    Writing a PDF subsets its fonts, which costs several times the layout of a letter; so
    the documents are written once, together, and each one's pages are then cut out of that
    PDF (they share its font subsets), with its own title."""
    documents = _rendered(htmls)
    if not documents:
        return [], b""
    pages = [page for document in documents for page in document.pages]
    whole = documents[0].copy(pages).write_pdf()
    return _split(whole, documents), whole


def render_each(htmls: Iterable[str]) -> list[bytes]:
    """Each HTML document as its own PDF, the fonts subset once for them all (see
    ``render_each_and_merged``)."""
    return render_each_and_merged(htmls)[0]


def _split(whole: bytes, documents: list) -> list[bytes]:  # type: ignore[type-arg]
    """The PDF of each document: its pages cut out of ``whole``, where they follow in order."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(whole))
    producer = reader.metadata.get("/Producer", "") if reader.metadata else ""
    pdfs, start = [], 0
    for document in documents:
        writer = PdfWriter()
        for page in reader.pages[start : start + len(document.pages)]:
            writer.add_page(page)
        start += len(document.pages)
        writer.add_metadata({"/Producer": producer, "/Title": document.metadata.title or ""})
        out = io.BytesIO()
        writer.write(out)
        pdfs.append(out.getvalue())
    return pdfs
