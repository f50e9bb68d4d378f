"""The main pages on a laptop (1366 px) and a phone (375 px), on the demo province: each has
no serious accessibility violation (axe-core), fits the phone's width without sideways
scrolling of the page (wide tables scroll in their own box), and is photographed.

The photographs go to test-artifacts/e2e/screenshots/, or to docs/screenshots/ (linked from
the README) with ``SCREENSHOTS=1``:
``SCREENSHOTS=1 make test PYTEST_ARGS="tests/e2e/test_screenshots.py"``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Count
from playwright.sync_api import Page, expect

from arrears.models import RecoveryCase
from tests.e2e.browser import ARTIFACTS, DESKTOP, PHONE, ROOT, assert_accessible, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

OUT = (
    ROOT / "docs" / "screenshots"
    if os.environ.get("SCREENSHOTS") == "1"
    else ARTIFACTS / "screenshots"
)
WIDTHS = {"1366": DESKTOP, "375": PHONE}
DEMO_PASSWORD = "demo"  # load_demo's, for its demo logins
OTHER_PAGES = (
    "/ho-so/",
    "/ho-so/bang/",
    "/ho-so/tuan-nay/",
    "/nhap-du-lieu/",
    "/nguoi-lao-dong/",
    "/viec-dinh-ky/",
    "/bao-cao/danh-sach/",
    "/bao-cao/bao-phu/",
    "/bao-cao/thu-hoi-theo-co-quan/",
    "/doi-mat-khau/",
    "/so-van-ban/",
    "/cai-dat/",
)
# Chart.js animates its charts in: draw them at once in their final state.
SETTLE_CHARTS = """() => {
  if (typeof Chart === "undefined") { return; }
  Object.values(Chart.instances).forEach(chart => {
    chart.options.animation = false;
    chart.update("none");
  });
}"""


@pytest.fixture
def demo(settings) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """A small demo province (load_demo refuses to run without DEBUG; the pages are then
    served with DEBUG off, as in production)."""
    settings.DEBUG = True
    call_command("load_demo", employers=60, stdout=StringIO())
    settings.DEBUG = False
    yield


def the_case() -> RecoveryCase:
    """The open case with the most to show: referrals, commitments, events."""
    return (
        RecoveryCase.objects.open()
        .annotate(
            referred=Count("referrals", distinct=True),
            committed=Count("commitments", distinct=True),
            logged=Count("events", distinct=True),
        )
        .order_by("-referred", "-committed", "-logged", "pk")
        .select_related("employer")
        .first()
    )


def photograph(page: Page, name: str) -> Path:
    page.evaluate(SETTLE_CHARTS)
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    return path


def fits_the_width(page: Page) -> None:
    """The page itself never scrolls sideways; only table boxes may."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    # What sticks out: elements, or text running out of its box (nowrap figures).
    wide = page.evaluate(
        """() => {
            const out = [];
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const range = document.createRange();
                range.selectNodeContents(node);
                const box = node.parentElement;
                if (range.getBoundingClientRect().right > window.innerWidth + 1
                        && !box.closest(".table-responsive")) {
                    out.push(box.tagName + "." + box.className + ": " + node.textContent.trim());
                }
            }
            return out.slice(0, 5);
        }"""
    )
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the window: {wide}"


@pytest.mark.usefixtures("demo")
@pytest.mark.parametrize("width", WIDTHS)
def test_main_pages_at_each_width(page: Page, width: str) -> None:
    page.set_viewport_size(WIDTHS[width])
    page.goto("/dang-nhap/")
    assert_accessible(page)
    log_in(page, "manager", DEMO_PASSWORD)
    case = the_case()
    pages = {
        "dashboard": "/bao-cao/",
        "employer-list": "/don-vi/?sort=name",
        "employer-statement": f"/don-vi/{case.employer.unit_code}/",
        "case": f"/ho-so/{case.pk}/",
        "report-aging": "/bao-cao/tuoi-no/",
    }
    for name, url in pages.items():
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        photograph(page, f"{name}-{width}")
        assert_accessible(page)
        fits_the_width(page)

    # The other pages of the day's work: checked, not photographed.
    for url in OTHER_PAGES:
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)
        fits_the_width(page)

    nav = page.get_by_role("navigation", name="Điều hướng chính")
    cases_link = nav.get_by_role("link", name="Hồ sơ", exact=True)
    if width == "375":
        # The menu folds behind its button, which opens it from the keyboard too.
        expect(cases_link).to_be_hidden()
        toggler = nav.get_by_role("button", name="Mở menu")
        toggler.focus()
        page.keyboard.press("Enter")
        expect(cases_link).to_be_visible()
        expect(toggler).to_have_attribute("aria-expanded", "true")
    else:
        expect(cases_link).to_be_visible()
