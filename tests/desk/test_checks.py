"""The settings that must agree: the largest upload arrives within gunicorn's timeout, and a
file the page imports while it waits is small."""

from pathlib import Path

from desk.checks import upload_fits_the_timeout

ROOT = Path(__file__).resolve().parents[2]


def test_the_defaults_agree(settings) -> None:  # type: ignore[no-untyped-def]
    assert upload_fits_the_timeout() == []
    assert settings.STATEMENT_UPLOAD_MAX_BYTES / (2 * 1024 * 1024) <= settings.WEB_TIMEOUT


def test_an_upload_limit_beyond_the_timeout_is_an_error(settings) -> None:  # type: ignore[no-untyped-def]
    settings.STATEMENT_UPLOAD_MAX_BYTES = 500 * 1024 * 1024
    settings.WEB_TIMEOUT = 120
    assert [error.id for error in upload_fits_the_timeout()] == ["desk.E001"]
    settings.WEB_TIMEOUT = 300
    assert upload_fits_the_timeout() == []


def test_a_large_foreground_import_is_an_error(settings) -> None:  # type: ignore[no-untyped-def]
    settings.STATEMENT_BACKGROUND_BYTES = 50 * 1024 * 1024
    assert [error.id for error in upload_fits_the_timeout()] == ["desk.E002"]


def test_gunicorn_takes_the_applications_timeout(settings) -> None:  # type: ignore[no-untyped-def]
    from config import gunicorn

    assert gunicorn.timeout == settings.WEB_TIMEOUT
    web = next(
        line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:")
    )
    assert "-c config/gunicorn.py" in web
