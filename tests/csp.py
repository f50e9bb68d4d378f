"""What the Content Security Policy (settings.SECURE_CSP: scripts and styles from 'self' only)
would block in a page: inline scripts, event-handler attributes, ``javascript:`` links, style
attributes and <style> elements."""

from __future__ import annotations

from html.parser import HTMLParser

# Data blocks are not run: json_script writes the dashboard's figures as one.
_DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._script: str | None = None  # an inline script's opening tag, while inside it

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        where = self.get_starttag_text() or tag
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"event handler {name}= in {where}")
            elif name == "style":
                self.found.append(f"style attribute in {where}")
            elif name in {"href", "src", "action", "formaction"} and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.found.append(f"javascript: URL in {where}")
        if tag == "style":
            self.found.append("<style> element")
        data_block = (values.get("type") or "").lower() in _DATA_SCRIPT_TYPES
        if tag == "script" and not values.get("src") and not data_block:
            self._script = where

    def handle_data(self, data: str) -> None:
        if self._script is not None and data.strip():
            self.found.append(f"inline script {self._script}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None


def inline_code(html: str) -> list[str]:
    """Everything in ``html`` that the policy would refuse to run or apply."""
    finder = _Finder()
    finder.feed(html)
    finder.close()
    return finder.found
