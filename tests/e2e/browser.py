"""What the journeys do in the browser: sign in, take screenshots, run axe-core."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"  # axe-core 4.10.3 (MPL-2.0)
PASSWORD = "pw-for-tests-only"  # tests.factories.UserFactory's
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 375, "height": 812}


def artifact(name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / re.sub(r"[^\w.-]+", "-", name)


def screenshot(page: Page, name: str) -> Path:
    """A full-page screenshot in test-artifacts/e2e/<name>.png."""
    path = artifact(f"{name}.png")
    page.screenshot(path=path, full_page=True)
    return path


def keep_failure(page: Page, name: str) -> None:
    """The failed page as it was: a full-page screenshot and its HTML."""
    try:
        page.screenshot(path=artifact(f"FAILED-{name}.png"), full_page=True)
        artifact(f"FAILED-{name}.html").write_text(page.content(), encoding="utf-8")
    except Exception as exc:  # the browser itself may be what failed
        artifact(f"FAILED-{name}.txt").write_text(repr(exc), encoding="utf-8")


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Through the real login form (django-axes sees the request), landing on the home page."""
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"^[^?]*/$"))


def open_details(page: Page, summary: str) -> None:
    """Unfold the <details> whose summary reads exactly ``summary`` (the case page's forms)."""
    page.locator("summary").filter(has_text=re.compile(f"^\\s*{re.escape(summary)}\\s*$")).click()


def axe_violations(page: Page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict]:
    """axe-core's violations of these impacts on the page as it is now. The script is
    evaluated rather than added as a <script> element, so the app's CSP has no say. The
    pointer is moved off the page and its transitions finish first: a button caught half-way
    between its colours and its hover colours (the pointer left over it by the last click)
    fails the contrast check though neither state does."""
    page.mouse.move(0, 0)
    page.evaluate(
        """() => Promise.all(document.getAnimations()
            .filter(a => a instanceof CSSTransition).map(a => a.finished.catch(() => null)))"""
    )
    page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(" ") + " :: " + n.failureSummary),
            }));
        }"""
    )
    return [v for v in found if v["impact"] in impacts]


def assert_accessible(page: Page) -> None:
    """No serious or critical axe-core violation on the page."""
    violations = axe_violations(page)
    assert not violations, f"{page.url}\n" + "\n".join(
        f"{v['impact']} {v['id']}: {v['help']}\n  " + "\n  ".join(v["nodes"][:5])
        for v in violations
    )
