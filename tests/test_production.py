"""The production settings: `check --deploy` has nothing to say, DEBUG off refuses to start
without SECRET_KEY and ALLOWED_HOSTS, every response carries the Content Security Policy and
no template holds what it would block, and oversized requests are refused before they are
read."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.csp import inline_code

ROOT = Path(__file__).resolve().parent.parent
# Rendered to PDF by WeasyPrint, never served to a browser: their <style> is not the CSP's.
PDF_TEMPLATES = {
    "documents/letter.html",
    "documents/insured_months.html",
    "reports/_pdf_base.html",
    "reports/pdf.html",
    "reports/summary_pdf.html",
    "reports/certificate.html",
    "arrears/sessions/minutes_pdf.html",
}
STRONG_KEY = "k7Qm2vX9pL4rT8wZ1nB6cF3hJ5sD0gY-aE_uI7oP2qR9tV4xW8zM1nC6bK3jH5fG"


def _django(code: str, **env: str | None) -> subprocess.CompletedProcess[str]:
    """Run ``code`` after django.setup() in a fresh interpreter with the environment changed
    by ``env`` (None removes a variable)."""
    # Not the browser journeys' DJANGO_ALLOW_ASYNC_UNSAFE, set in this process when they run
    # first: no production process has it (and check --deploy rightly says so).
    env = {"DJANGO_ALLOW_ASYNC_UNSAFE": None, **env}
    environ = {k: v for k, v in os.environ.items() if k not in env or env[k] is not None}
    environ.update({k: v for k, v in env.items() if v is not None})
    script = f"import django; django.setup(); {code}"
    return subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environ | {"DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_check_deploy_finds_nothing_with_production_settings() -> None:
    done = _django(
        "from django.core.management import call_command; "
        "call_command('check', deploy=True, fail_level='WARNING')",
        DEBUG="0",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="thuno.bhxh.example.vn",
        SECURE_SSL_REDIRECT=None,  # production's default: on
        SECURE_HSTS_SECONDS=None,
    )
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout + done.stderr


def test_check_deploy_would_catch_a_weakened_setting() -> None:
    """The check above is not vacuous: turning off the HTTPS redirect is reported."""
    done = _django(
        "from django.core.management import call_command; "
        "call_command('check', deploy=True, fail_level='WARNING')",
        DEBUG="0",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="thuno.bhxh.example.vn",
        SECURE_SSL_REDIRECT="0",
    )
    assert done.returncode != 0
    assert "security.W008" in done.stderr


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "SECRET_KEY must be set when DEBUG is off."),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS must be set when DEBUG is off."),
    ],
)
def test_debug_off_refuses_to_start_without(missing: str, message: str) -> None:
    env: dict[str, str | None] = {
        "DEBUG": "0",
        "SECRET_KEY": STRONG_KEY,
        "ALLOWED_HOSTS": "thuno.bhxh.example.vn",
    }
    env[missing] = None
    done = _django("print('started')", **env)
    assert done.returncode != 0
    assert "started" not in done.stdout
    assert f"ImproperlyConfigured: {message}" in done.stderr


def test_production_cookies_and_transport() -> None:
    """The values `make test` runs with (DEBUG off) are production's, but for the redirect."""
    assert not settings.DEBUG
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SECURE_HSTS_SECONDS >= 31536000
    assert settings.SECURE_HSTS_INCLUDE_SUBDOMAINS and settings.SECURE_HSTS_PRELOAD
    assert settings.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
    assert settings.X_FRAME_OPTIONS == "DENY"


@pytest.mark.django_db
def test_every_page_carries_the_policy(client: Client) -> None:
    response = client.get("/dang-nhap/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert inline_code(response.content.decode()) == []


def test_the_inline_code_finder_finds() -> None:
    html = (
        '<div style="color:red"><script>alert(1)</script><a onclick="x()" href="#">a</a>'
        '<a href="javascript:void(0)">b</a><style>p{}</style>'
        '<script src="/static/x.js"></script><script type="application/json">{"a": 1}</script>'
    )
    assert [found.split(" ", 2)[:2] for found in inline_code(html)] == [
        ["style", "attribute"],
        ["inline", "script"],
        ["event", "handler"],
        ["javascript:", "URL"],
        ["<style>", "element"],
    ]


def _served_templates() -> list[Path]:
    """Every template of the project and its apps, but those only ever rendered to PDF."""
    found = [*ROOT.glob("templates/**/*.html"), *ROOT.glob("*/templates/**/*.html")]
    return sorted(p for p in found if _name(p) not in PDF_TEMPLATES)


def _name(path: Path) -> str:
    parts = path.parts
    return "/".join(parts[parts.index("templates") + 1 :])


def test_no_template_holds_inline_code() -> None:
    """Partials and pages no test renders too: the template source itself."""
    offending = {}
    for path in _served_templates():
        source = re.sub(r"\{#.*?#\}", "", path.read_text())  # template comments
        source = re.sub(r"\{% comment %\}.*?\{% endcomment %\}", "", source, flags=re.S)
        found = inline_code(source)
        if found:
            offending[str(path.relative_to(ROOT))] = found
    assert offending == {}


@pytest.mark.django_db
def test_an_oversized_request_is_refused_before_it_is_read(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.REQUEST_MAX_BYTES = 1000
    response = client.post("/dang-nhap/", data=b"x" * 2000, content_type="application/octet-stream")
    assert response.status_code == 413
    assert client.post("/dang-nhap/", {"username": "a", "password": "b"}).status_code == 200


def test_deploy_check_names_a_missing_harfbuzz_subset(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from weasyprint.text import ffi

    from desk.checks import pdf_font_subsetting

    monkeypatch.setattr(ffi, "harfbuzz_subset", None)
    [warning] = pdf_font_subsetting()
    assert warning.id == "desk.W001"
    assert "libharfbuzz-subset0" in warning.hint
    monkeypatch.setattr(ffi, "harfbuzz_subset", object())
    assert pdf_font_subsetting() == []
