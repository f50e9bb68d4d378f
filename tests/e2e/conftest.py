"""Browser journeys: Playwright for Python driving Debian's chromium against a live server.

The live server is pytest-django's, but /static/ is left to WhiteNoise serving the collected,
hashed files (`make test` collects them first), as in production, so the pages under test
carry production's stylesheet, scripts and CSP. Each test gets a fresh browser context (no
cookies) with a page 1366 px wide; a failed test leaves a full-page screenshot and the page's
HTML in test-artifacts/e2e/. The journeys commit (``transaction=True``): the server thread
reads what the test wrote.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import DEFAULT_DB_ALIAS, connections
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from pytest_django.live_server_helper import LiveServer

from tests.e2e.browser import ARTIFACTS, DESKTOP, artifact, keep_failure

# This machine's network is closed: no downloads, no first-run chatter, no GPU.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keep each phase's report on the test, so the page fixture knows how the test went."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def playwright(django_db_setup: None) -> Iterator[Playwright]:
    """Playwright's sync API, which keeps an event loop running in this thread from here on.

    The ORM calls a test makes between browser steps are plain synchronous ones (the server
    answers from its own thread), hence DJANGO_ALLOW_ASYNC_UNSAFE. With a loop running,
    Django's connection handler gives this thread a new connection object (asgiref's Local
    turns context-local): it gets the database contents Django serialized at setup, so that
    ``serialized_rollback`` goes on restoring what the migrations wrote (agencies, interest
    rates) after each journey's flush."""
    serialized = getattr(connections[DEFAULT_DB_ALIAS], "_test_serialized_contents", None)
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        connection = connections[DEFAULT_DB_ALIAS]
        if serialized is not None and not hasattr(connection, "_test_serialized_contents"):
            connection._test_serialized_contents = serialized
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is missing: apt-get install chromium (see .ci/run)")
    browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    """pytest-django's live server running the plain WSGI application: WhiteNoise's
    middleware serves /static/ from the collected files, and there is no media handler (the
    app has no MEDIA_URL: files go out through views that check scope)."""
    server = LiveServer("localhost", start=False)
    server.thread.static_handler = lambda _wrapped: WSGIHandler()
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _plain_http_cookies(settings) -> None:  # type: ignore[no-untyped-def]
    # The live server speaks plain HTTP; production's cookies are HTTPS-only.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture
def context(browser: Browser, live_server: LiveServer) -> Iterator[BrowserContext]:
    context = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP, accept_downloads=True, locale="vi-VN"
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page whose script errors, CSP refusals and failed static files fail the test."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"script: {exc}"))
    page.on(
        "console",
        lambda msg: (
            errors.append(f"console: {msg.text}")
            if msg.type == "error" and not msg.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.url}")
            if "/static/" in r.url and r.status >= 400
            else None
        ),
    )
    yield page
    report = getattr(request.node, "report_call", None)
    if report is None or report.failed:
        keep_failure(page, request.node.name)
    else:
        for stale in ARTIFACTS.glob(f"{artifact(f'FAILED-{request.node.name}').name}.*"):
            stale.unlink()  # an earlier run's failure, passing now
        assert not errors, f"the browser reported errors: {errors}"
