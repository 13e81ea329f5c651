"""Fixtures of the browser tests: Debian's Chromium, headless, against the platform served
from inside the test process (server.py), with the seed calls loaded.

One Chromium and one server for the whole session; each person in a test gets a browser
context of their own (their own cookies), as if at their own desk.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium reaches out to Google's services at start,
# and on a closed network it then refuses connections; no sandbox, as it runs as root in CI.
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
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium (the `chromium` package) driven by Playwright, headless.

    Playwright's synchronous API keeps an asyncio loop in this thread, which Django takes for
    async code and refuses the database to; the test's own code here is synchronous, so the
    check is switched off while the browser runs. Starting it also gives this thread a fresh
    context (Playwright switches greenlets, each with its own context variables), where
    Django would open new database connections: the test database's own are put back, so
    that the test and the server keep sharing them (on SQLite, the one in-memory database).
    """
    if not Path(CHROMIUM).exists():
        pytest.skip(
            f"Chromium not found at {CHROMIUM}: run scripts/install as root "
            "(or apt-get install chromium), or name another binary in CHROMIUM"
        )
    from playwright.sync_api import sync_playwright

    unsafe = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from django.db import connections

    before = {alias: connections[alias] for alias in connections}
    try:
        with sync_playwright() as playwright:
            for alias, connection in before.items():
                connections[alias] = connection
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if unsafe is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = unsafe


@pytest.fixture(scope="session")
def live(django_db_setup, django_db_blocker):
    """The platform on a free port of 127.0.0.1, for the whole session."""
    from filing.tests_browser.server import LiveServer

    with django_db_blocker.unblock():
        server = LiveServer("127.0.0.1")
    yield server
    server.stop()


@pytest.fixture
def stage(transactional_db, live, chromium, settings):
    """The live server with what the migrations load (regions, the field catalogue, the
    authorities, the first national filed list), the seed calls and their rehearsal copies
    (dated from today), and cookies over plain HTTP (the test server has no TLS).

    The tests are transactional, so that the server sees what the test commits; the database
    is then emptied after each of them, and after any transactional test before them, so the
    migrations' data is loaded again here when it is missing.
    """
    from filing.calls.loading import definition_files, load_paths, make_rehearsals
    from filing.calls.models import Call

    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    with live.quiet():
        _load_migrations_data()
        load_paths(definition_files(Path(settings.CALL_DEFINITIONS_DIR)))
        make_rehearsals(list(Call.objects.filter(is_rehearsal=False)), timezone.localdate())
    return live


def _load_migrations_data() -> None:
    from filing.orgs.loading import load_authorities
    from filing.orgs.models import Authority
    from filing.reference.loading import load_fields, load_regions
    from filing.reference.models import HighTechField, Region
    from filing.registry.loading import DATA_DIR, load_file
    from filing.registry.models import FiledSpace

    if not Region.objects.exists():
        load_regions(Region)
    if not HighTechField.objects.exists():
        load_fields(HighTechField)
    if not Authority.objects.exists():
        load_authorities(Authority, Region)
    if not FiledSpace.objects.exists():
        load_file(FiledSpace, Authority, DATA_DIR / "first-national-demonstration-2016.yaml")


@pytest.fixture
def screenshots():
    """The folder var/screenshots/<route>/, emptied first; screenshot files are NN-step.png."""

    def folder(route: str) -> Path:
        path = SCREENSHOTS / route
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        return path

    return folder
