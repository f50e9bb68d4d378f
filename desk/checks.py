"""System checks of what the machine must provide, run by ``manage.py check --deploy``."""

from __future__ import annotations

from typing import Any

from django.core.checks import Warning, register


@register(deploy=True)
def pdf_font_subsetting(**kwargs: Any) -> list[Warning]:
    """WeasyPrint subsets the fonts of every PDF with HarfBuzz when the library is there, and
    falls back to fontTools, much slower per letter, which a province's weekly run
    cannot afford."""
    from weasyprint.text import ffi

    if ffi.harfbuzz_subset is not None:
        return []
    return [
        Warning(
            "HarfBuzz-Subset is missing: PDF letters are about five times slower.",
            hint="Install the libharfbuzz-subset0 package (Debian) on web and worker machines.",
            id="desk.W001",
        )
    ]
