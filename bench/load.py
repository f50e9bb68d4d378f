"""The locustfile of the load test (bench/load_test.py runs it headless): office staff going
through their day, each signed in with a session prepared for them.

LOAD_USERS names a JSON file: [{"session": key, "cases": [pk, ...]}, ...]; each simulated
user takes the next one. Pages: the dashboard, the employer list (sorted by arrears, and a
search), the case list, a case page, and the aging report on screen.
"""

from __future__ import annotations

import itertools
import json
import os
import random
from pathlib import Path

from locust import HttpUser, between, task

_PROFILES = json.loads(Path(os.environ["LOAD_USERS"]).read_text())
_NEXT = itertools.cycle(_PROFILES)


class Staff(HttpUser):
    wait_time = between(0.5, 2.0)  # reading the page before the next click

    def on_start(self) -> None:
        profile = next(_NEXT)
        self.cases = profile["cases"]
        self.client.cookies.set("sessionid", profile["session"])

    def _page(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, catch_response=True) as response:
            # A lost session would come back as the login page: that is an error here too.
            if response.status_code != 200 or "/dang-nhap/" in response.url:
                response.failure(f"{response.status_code} at {response.url}")

    @task(3)
    def dashboard(self) -> None:
        self._page("/", "dashboard /")

    @task(3)
    def employers(self) -> None:
        self._page("/don-vi/?sort=arrears", "employer list /don-vi/")

    @task(1)
    def search(self) -> None:
        self._page("/don-vi/?q=cong+ty", "employer search /don-vi/?q=")

    @task(2)
    def case_list(self) -> None:
        self._page("/ho-so/", "case list /ho-so/")

    @task(4)
    def case(self) -> None:
        if self.cases:
            self._page(f"/ho-so/{random.choice(self.cases)}/", "case page /ho-so/<pk>/")  # noqa: S311

    @task(1)
    def report(self) -> None:
        self._page("/bao-cao/tuoi-no/", "aging report /bao-cao/tuoi-no/")


# The hostile mode (bench/load_test.py --hostile): besides the staff, a few signed-in users
# upload the hostile files of issue 19 again and again, while the staff's pages are measured.
_HOSTILE = os.environ.get("LOAD_HOSTILE")
if _HOSTILE:
    _FILES = Path(_HOSTILE)
    _UPLOADS = {
        "bomb.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "wide.csv": "text/csv",
        "quote.csv": "text/csv",
        "many.csv": "text/csv",
    }

    class Attacker(HttpUser):
        fixed_count = int(os.environ.get("LOAD_HOSTILE_USERS", "4"))
        wait_time = between(1.0, 3.0)

        def on_start(self) -> None:
            self.client.cookies.set("sessionid", next(_NEXT)["session"])
            # The server thinks it is behind TLS (as in production), so that the CSRF cookie,
            # Secure there, is given; it is kept for plain HTTP on the loopback.
            self.https = {"X-Forwarded-Proto": "https"}
            page = self.client.get("/nhap-du-lieu/", headers=self.https, name="hostile: form")
            self.token = page.cookies.get("csrftoken") or ""
            self.client.cookies.set("csrftoken", self.token)

        def _upload(self, name: str) -> None:
            host = self.host.replace("http://", "https://")
            headers = {**self.https, "X-CSRFToken": self.token, "Referer": f"{host}/nhap-du-lieu/"}
            with (
                (_FILES / name).open("rb") as file,
                self.client.post(
                    "/nhap-du-lieu/",
                    data={"kind": "payments"},
                    files={"file": (name, file, _UPLOADS[name])},
                    headers=headers,
                    name=f"hostile: {name}",
                    allow_redirects=False,
                    catch_response=True,
                ) as response,
            ):
                # Refused with its reasons (200), or queued for a worker (302): never a 5xx,
                # never the login page.
                if response.status_code not in (200, 302) or "/dang-nhap/" in (
                    response.headers.get("Location") or ""
                ):
                    response.failure(f"{response.status_code}")

        @task(3)
        def bomb(self) -> None:
            self._upload("bomb.xlsx")

        @task(3)
        def wide(self) -> None:
            self._upload("wide.csv")

        @task(3)
        def quote(self) -> None:
            self._upload("quote.csv")

        @task(1)
        def many(self) -> None:
            self._upload("many.csv")
