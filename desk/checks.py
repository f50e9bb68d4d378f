"""System checks: settings that must agree, and (``manage.py check --deploy``) what the machine
must provide."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Warning, register


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


# The slowest a web worker may receive an upload, from the proxy (which buffers the body) or
# straight from an office's line, and write it to a temporary file.
UPLOAD_MIN_BYTES_PER_SECOND = 2 * 1024 * 1024


@register
def upload_fits_the_timeout(**kwargs: Any) -> list[Error]:
    """The largest statement upload must arrive within gunicorn's timeout; the import of a
    large one runs in the background, so receiving it is all the request does."""
    needed = settings.STATEMENT_UPLOAD_MAX_BYTES / UPLOAD_MIN_BYTES_PER_SECOND
    errors = []
    if needed > settings.WEB_TIMEOUT:
        errors.append(
            Error(
                f"STATEMENT_UPLOAD_MAX_BYTES ({settings.STATEMENT_UPLOAD_MAX_BYTES}) takes "
                f"{needed:.0f} s to receive at 2 MB/s, more than WEB_TIMEOUT "
                f"({settings.WEB_TIMEOUT} s).",
                hint="Lower STATEMENT_UPLOAD_MAX_BYTES or raise WEB_TIMEOUT.",
                id="desk.E001",
            )
        )
    if settings.STATEMENT_BACKGROUND_BYTES > UPLOAD_MIN_BYTES_PER_SECOND * 10:
        errors.append(
            Error(
                "STATEMENT_BACKGROUND_BYTES is over 20 MB: the page would import such files "
                "while the request waits.",
                hint="Keep it at a few megabytes; larger files go to a Celery worker.",
                id="desk.E002",
            )
        )
    return errors
