"""Compile the translation catalogues (locale/*/LC_MESSAGES/*.po) into the .mo files Django
reads, in pure Python (polib): Django's own compilemessages needs GNU msgfmt, which a fresh
machine may lack. The .mo files are build output, not committed; `make run` and `make test`
build them. A catalogue whose .mo is newer than its .po is left alone."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def compile_catalogue(po_path: Path, *, force: bool = False) -> bool:
    """Write ``po_path``'s .mo beside it (fuzzy and untranslated entries left out, as msgfmt
    does); returns whether it was written."""
    mo_path = po_path.with_suffix(".mo")
    if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
        return False
    try:
        catalogue = polib.pofile(str(po_path))
    except (OSError, ValueError) as exc:
        raise CommandError(f"{po_path}: {exc}") from exc
    # Written aside and renamed: parallel test workers never read half a file.
    handle, temporary = tempfile.mkstemp(dir=po_path.parent, suffix=".mo.tmp")
    os.close(handle)
    try:
        catalogue.save_as_mofile(temporary)
        os.chmod(temporary, 0o644)
        os.replace(temporary, mo_path)
    finally:
        Path(temporary).unlink(missing_ok=True)
    return True


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po into .mo files (pure Python, no msgfmt needed)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", action="store_true", help="Compile even if up to date.")

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        catalogues = sorted(
            po for folder in settings.LOCALE_PATHS for po in Path(folder).glob("*/LC_MESSAGES/*.po")
        )
        if not catalogues:
            raise CommandError(f"No catalogue under {', '.join(map(str, settings.LOCALE_PATHS))}.")
        written = [po for po in catalogues if compile_catalogue(po, force=force)]
        for po in written:
            self.stdout.write(f"compiled {po.relative_to(settings.BASE_DIR)}")
