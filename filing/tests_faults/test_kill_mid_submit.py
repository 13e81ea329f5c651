"""Killing the server while an application is being submitted leaves it whole or untouched.

The platform runs as in production (gunicorn with deploy/gunicorn.conf.py, one worker) against
the test database; the organisation admin posts 提交 and the whole process group gets SIGKILL
at once, after a few milliseconds, after a random delay, again and again. After each kill the
database must hold either the submitted application whole (status submitted, one live version
with its complete content and matching digest, its audit entry, its first-level review) or the
draft as it was (no live version, no audit entry, no review). Then the server comes back and
the submission goes through.

It needs PostgreSQL (DATABASE_URL=postgres://…): the server is another process, and the SQLite
test database lives in the test process's memory. Elsewhere it is skipped.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from filing.applications.constants import Status
from filing.applications.models import Application
from filing.applications.tests.filling import WebFiller, start
from filing.audit.models import AuditEvent
from filing.reviews.models import Review

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

ROOT = Path(settings.BASE_DIR)
# Moments after the request is sent at which the server is killed, in seconds; then a few
# random ones. A submission takes a few hundred milliseconds here, so these fall before,
# inside and after its transaction.
MOMENTS = [0.0, 0.005, 0.05, 0.15, 0.3]
RANDOM_MOMENTS = 4


def database_url() -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "") + (f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn in a process group of its own, so one killpg takes master and worker."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": "1",
            "GUNICORN_THREADS": "2",
            "LOG_LEVEL": "WARNING",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            # Pages as in production, without running collectstatic for the test.
            "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "filing.wsgi"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                self.request("GET", "/health/", {})
                return  # it answers, healthy or not
            except OSError:
                if self.process.poll() is not None:
                    raise AssertionError(self.process.stderr.read().decode()[-3000:]) from None
                time.sleep(0.2)
        raise AssertionError("gunicorn did not start within a minute")

    def request(self, method: str, path: str, headers: dict[str, str], body: bytes = b""):
        """(status, headers, body) of one request; OSError when the server is gone."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=body or None, headers=headers)
            response = conn.getresponse()
            return response.status, response.headers, response.read()
        finally:
            conn.close()

    def kill(self) -> None:
        """SIGKILL to the whole group: no handler runs, no transaction is finished."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)


@pytest.fixture
def server():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://…): the server is another process")
    running = Server()
    yield running
    running.kill()


class Browser:
    """An organisation admin's cookies, and the form's CSRF token, against the real server."""

    def __init__(self, server: Server, session_key: str):
        self.server = server
        self.cookies = {settings.SESSION_COOKIE_NAME: session_key}

    def _header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def get(self, path: str) -> str:
        _status, headers, body = self.server.request("GET", path, {"Cookie": self._header()})
        for header in headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return body.decode()

    def post(self, path: str, token: str) -> None:
        headers = {
            "Cookie": self._header(),
            "Content-Type": "application/x-www-form-urlencoded",
            "X-CSRFToken": token,
        }
        with contextlib.suppress(OSError):  # the connection dies with the server
            self.server.request("POST", path, headers, f"csrfmiddlewaretoken={token}".encode())


def csrf_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def reviews_of(app: Application) -> list[dict]:
    return list(Review.objects.filter(application=app).order_by("pk").values())


def assert_whole_or_untouched(app: Application, reviews_before: list[dict]) -> bool:
    """The invariant after a kill; returns whether the application is submitted."""
    app.refresh_from_db()
    live = list(app.submissions.filter(withdrawn_at__isnull=True))
    audited = AuditEvent.objects.filter(
        event="application.submitted", object_id=str(app.pk)
    ).count()
    assert audited == app.submissions.count(), "an audit entry for each version, no more"
    if app.status == Status.DRAFT:
        assert live == []
        assert reviews_of(app) == reviews_before, "no level received it"
        return False
    assert app.status == Status.SUBMITTED, app.status
    assert len(live) == 1
    version = live[0]
    content = version.content
    assert {"printable", "values", "rows", "files", "call_version", "track"} <= set(content)
    assert len(content["rows"]) == app.rows.count() and len(content["files"]) == app.files.count()
    digest = hashlib.sha256(
        json.dumps(content, sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()
    assert digest == version.digest
    assert Review.objects.filter(application=app, received_at=app.submitted_at).exists()
    assert app.submitted_at is not None and app.first_level_id is not None
    return True


def test_a_submission_killed_at_any_moment_is_whole_or_not_there(
    client, server, seed_calls, applicant
):
    _org, filler, admin = applicant("210100")
    client.force_login(filler)
    app = start(client, "liaoning-2021-rehearsal", "maker_space", "沈阳断电测试众创空间")
    WebFiller(client, app).fill_everything()
    client.force_login(admin)
    browser = Browser(server, client.cookies[settings.SESSION_COOKIE_NAME].value)
    overview = reverse("applications:overview", args=[app.pk])
    submit = reverse("applications:submit", args=[app.pk])
    rng = random.Random(os.environ.get("FAULTS_SEED", "2026"))
    moments = MOMENTS + [rng.uniform(0, 0.6) for _ in range(RANDOM_MOMENTS)]
    outcomes = []
    for moment in moments:
        server.start()
        token = csrf_token(browser.get(overview))
        before = reviews_of(app)
        sender = threading.Thread(target=browser.post, args=(submit, token), daemon=True)
        sender.start()
        time.sleep(moment)
        server.kill()
        sender.join(timeout=60)
        submitted = assert_whole_or_untouched(app, before)
        outcomes.append(submitted)
        if submitted:  # take it back (as the admin may) so the next kill finds a draft again
            client.post(reverse("applications:withdraw", args=[app.pk]), {"reason": "再次测试。"})
            app.refresh_from_db()
            assert app.status == Status.DRAFT

    server.start()
    token = csrf_token(browser.get(overview))
    browser.post(submit, token)
    assert assert_whole_or_untouched(app, []), "after a restart the submission goes through"
    assert False in outcomes, "at least one kill fell before the commit"
