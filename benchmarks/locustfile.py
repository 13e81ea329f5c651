"""The deadline surge as locust users (run by benchmarks/surge.py, not by hand).

Each `Applicant` is one organisation's admin, already logged in, with a complete draft: it opens
a section, saves it with a new text (a marker that says which save it is), and again, with no
pause, as a person would in the last minutes before a deadline; at a random moment it signs the
credit commitment and submits, then only looks at its application. Every save the server
acknowledged (302 back to the section) is remembered, so that the run can check afterwards that
the database holds the last one of each application. `Ceiling` requests the minimal view with
the same sessions.
"""

from __future__ import annotations

import html
import json
import os
import random
import re
import time
from itertools import count
from urllib.parse import urlencode

from locust import FastHttpUser, constant, events, task

PLAN = json.loads(open(os.environ["BENCH_SURGE_PLAN"]).read())  # noqa: SIM115
OUT = os.environ["BENCH_SURGE_OUT"]
SECONDS = float(os.environ.get("BENCH_SURGE_SECONDS", "60"))
CSRF = "benchcsrf" + "0" * 23  # a 32-character token: the cookie and the form carry the same
REVISION = re.compile(r'name="_revision" value="(\d+)"')
BASE = re.compile(r'name="_base" value="([^"]*)"')
FORM = {"Content-Type": "application/x-www-form-urlencoded"}

_slots = count()
acknowledged: dict[int, int] = {}  # application -> the number of its last acknowledged save
saves: dict[int, int] = {}
submit_attempts: dict[int, bool] = {}  # application -> both POSTs answered with a redirect


class Session:
    def setup(self) -> None:
        self.plan = PLAN[next(_slots) % len(PLAN)]
        self.cookie = {"Cookie": f"sessionid={self.plan['session']}; csrftoken={CSRF}"}


class Applicant(Session, FastHttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        self.setup()
        self.app = self.plan["application"]
        self.n = 0
        self.submit_at = time.monotonic() + random.uniform(0.2, 0.9) * SECONDS  # noqa: S311
        self.submitted = False

    @task
    def work(self) -> None:
        if self.submitted:
            self.client.get(self.plan["overview"], headers=self.cookie, name="overview (submitted)")
        elif time.monotonic() >= self.submit_at:
            self.submit()
        else:
            self.save()

    def save(self) -> None:
        section = self.plan["section"]
        with self.client.get(
            section, headers=self.cookie, name="section page", catch_response=True
        ) as page:
            revision, base = REVISION.search(page.text or ""), BASE.search(page.text or "")
            if page.status_code != 200 or not revision or not base:
                page.failure(f"section page: {page.status_code}")
                return
        self.n += 1
        marker = f"【保存{self.app}-{self.n}】"
        form = dict(self.plan["form"])
        text = str(form.get(self.plan["vary"], ""))
        form[self.plan["vary"]] = text[: self.plan["vary_limit"] - len(marker)] + marker
        form.update(
            _revision=revision.group(1),
            _base=html.unescape(base.group(1)),
            csrfmiddlewaretoken=CSRF,
        )
        with self.client.post(
            section,
            data=urlencode(form, doseq=True),
            headers={**self.cookie, **FORM},
            name="save draft",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            location = answer.headers.get("Location", "") if answer.headers else ""
            if answer.status_code == 302 and location.endswith(section):
                acknowledged[self.app] = self.n
                saves[self.app] = saves.get(self.app, 0) + 1
            else:
                answer.failure(f"save: {answer.status_code} to {location or 'nowhere'}")

    def submit(self) -> None:
        self.submitted = True
        ok = True
        for url, name, data in (
            (
                self.plan["commitment"],
                "sign commitment",
                {"signer_name": self.plan["signer"], "confirm": "on"},
            ),
            (self.plan["submit"], "submit", {}),
        ):
            with self.client.post(
                url,
                data=urlencode({**data, "csrfmiddlewaretoken": CSRF}),
                headers={**self.cookie, **FORM},
                name=name,
                allow_redirects=False,
                catch_response=True,
            ) as answer:
                if answer.status_code != 302:
                    answer.failure(f"{name}: {answer.status_code}")
                    ok = False
        submit_attempts[self.app] = ok


class Ceiling(Session, FastHttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        self.setup()

    @task
    def ceiling(self) -> None:
        self.client.get("/bench/ceiling/", headers=self.cookie, name="ceiling")


@events.test_stop.add_listener
def _write(**kwargs) -> None:
    with open(OUT, "w") as out:
        json.dump(
            {
                "acknowledged": acknowledged,
                "saves": saves,
                "submit_attempts": submit_attempts,
            },
            out,
            ensure_ascii=False,
        )
