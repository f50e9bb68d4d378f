"""Every URL of the configuration, as every role, with hostile values in every query
parameter and form field: no 500 anywhere, the public verification page included.

The world and the roles are the access matrix's. For each page and role the fields are
read from the page itself (every <input>, <select> and <textarea> of its forms, and the
forms' actions), then each hostile value is sent in all of them at once: by GET to the page,
and by POST to each form's action (in a savepoint rolled back after each request). A value
in a path (``/xac-minh/<code>/``) is tried there too.
"""

from __future__ import annotations

import traceback
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import pytest
from django.db import transaction
from django.test import Client

from tests import test_access_matrix as matrix
from tests.test_access_matrix import MATRIX, ROLES, ROUTES, World, _as, _path

# The access matrix's world, built once for this module too.
_world = matrix._world
world = matrix.world

HOSTILE = [
    "²",
    "\x00",
    str(2**63),
    str(-(2**63) - 1),
    "9999-12-31",
    "31/12/9999",
    "0001-01-01",
    "'\"<>",
    "x" * 5000,
    "١٢",
    "NaN",
    "-1",
]
# Query parameters of the pages whose forms are not on the page itself, or are links.
COMMON = ["format", "page", "sort", "q", "on", "as_of", "office", "commune", "by", "don_vi"]


class _Forms(HTMLParser):
    """The fields and the POST actions of a page's forms."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: set[str] = set()
        self.posts: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form" and (values.get("method") or "").lower() == "post":
            self.posts.add(values.get("action") or "")
        elif tag in {"input", "select", "textarea"} and values.get("name"):
            self.fields.add(values["name"] or "")


def _forms(client: Client, url: str) -> _Forms:
    found = _Forms()
    response = client.get(url)
    if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
        found.feed(response.content.decode())
    return found


def _call(client: Client, method: str, url: str, data: dict[str, str]) -> str | None:
    """The failure, if the request answered 500 or raised."""
    try:
        with transaction.atomic():
            response = client.get(url, data) if method == "GET" else client.post(url, data)
            transaction.set_rollback(True)
    except Exception as exc:  # the test client re-raises what the view raised
        ours = [
            f for f in traceback.extract_tb(exc.__traceback__) if "site-packages" not in f.filename
        ]
        where = f"{ours[-1].filename.rsplit('/', 2)[-2:]}:{ours[-1].lineno}" if ours else "?"
        return f"{method} {url} at {where}: {type(exc).__name__}: {str(exc)[:120]}"
    if response.status_code >= 500:
        return f"{method} {url}: {response.status_code}"
    return None


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(set(MATRIX) - {"logout"}))
def test_hostile_values_never_answer_500(request: pytest.FixtureRequest, name: str) -> None:
    here: World = request.getfixturevalue("world")
    method = MATRIX[name][0]
    url = _path(here, name)
    failures: list[str] = []
    for role in ROLES:
        client = _as(here, role)
        forms = _forms(client, url) if method == "GET" else _Forms()
        fields = sorted(forms.fields | set(COMMON))
        posts = {action or url for action in forms.posts if action.startswith(("/", ""))}
        if method == "POST":
            posts = {url}
        for value in HOSTILE:
            data = dict.fromkeys(fields, value)
            if method == "GET":
                failures.append(_call(client, "GET", url, data))
            for action in sorted(posts):
                failures.append(_call(client, "POST", action, data))
    failures = [failure for failure in failures if failure]
    assert not failures, "\n".join(dict.fromkeys(failures))


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(n for n, route in ROUTES.items() if "<str:" in route))
def test_hostile_values_in_a_path(request: pytest.FixtureRequest, name: str) -> None:
    here: World = request.getfixturevalue("world")
    url = _path(here, name)
    failures = []
    for role in ("anonymous", "officer_a", "manager"):
        client = _as(here, role)
        for value in HOSTILE:
            for text in (value, "%00", "%C2%B2"):
                # The last part of the path replaced: the code, the unit code.
                parts = urlsplit(url).path.rstrip("/").split("/")
                parts[-1] = quote(text, safe="%")
                failures.append(_call(client, "GET", "/".join(parts) + "/", {}))
    failures = [failure for failure in failures if failure]
    assert not failures, "\n".join(dict.fromkeys(failures))
