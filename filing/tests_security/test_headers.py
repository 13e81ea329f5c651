"""Every HTML page carries the Content-Security-Policy and the other security headers, and
nothing inline that the policy would refuse; in production HSTS is on and the session and CSRF
cookies travel only over HTTPS, the session cookie out of reach of scripts, both SameSite=Lax.

The pages are those of the access matrix, each opened by a person allowed to open it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.urls import reverse

from filing.orgs.tests.factories import PASSWORD
from filing.tests_security.matrix import MATRIX, url_of
from filing.tests_security.world import ROLES, World

ROOT = Path(__file__).resolve().parents[2]
POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# What the policy refuses in a page: style attributes and blocks, scripts without a source,
# event-handler attributes, htmx's own inline handlers and javascript: links.
INLINE = re.compile(
    r"""\sstyle\s*=|<style|<script(?![^>]*\ssrc=)[^>]*>|\son[a-z]+\s*=|hx-on|javascript:""",
    re.IGNORECASE,
)
# Mail clients need inline styles; the 申报书 and letter templates are only ever laid out by
# WeasyPrint on the server (a private template engine, filing/documents/pdf.py), never served.
EXEMPT_TEMPLATES = ("notices/templates/notices/email/", "documents/templates/documents/")


def policy_of(header: str) -> dict[str, list[str]]:
    """The directives of a Content-Security-Policy header."""
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.fixture(scope="module")
def html_pages(world: World, django_db_blocker) -> dict[str, HttpResponse]:
    """Each page of the matrix that answers HTML, as the first role allowed to open it
    (opened once for the module; whatever opening them writes is undone)."""
    pages = {}
    with django_db_blocker.unblock(), transaction.atomic():
        for row in MATRIX:
            if row.get is None or row.name == "admin:*":
                continue
            role = next(r for r in ROLES if r in row.get)
            response = world.client_for(role).get(url_of(world, row))
            if response.get("Content-Type", "").startswith("text/html"):
                pages[row.name] = response
        transaction.set_rollback(True)
    return pages


def test_every_html_page_carries_the_security_headers(html_pages):
    assert len(html_pages) > 40
    for name, response in html_pages.items():
        assert policy_of(response["Content-Security-Policy"]) == POLICY, name
        assert response["X-Frame-Options"] == "DENY", name
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["Referrer-Policy"] == "same-origin", name


def test_no_page_carries_anything_inline(html_pages):
    """What the pages render (templates and HTML made in Python, such as the QR code)."""
    found = {
        name: match.group(0)
        for name, response in html_pages.items()
        if (match := INLINE.search(response.content.decode()))
    }
    assert not found


def test_error_pages_carry_the_policy_too(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert policy_of(response["Content-Security-Policy"]) == POLICY


def test_the_policy_allows_nothing_inline():
    header = " ".join(" ".join(v) for v in POLICY.values())
    assert "unsafe-inline" not in header and "unsafe-eval" not in header
    assert settings.CONTENT_SECURITY_POLICY["DIRECTIVES"] == POLICY


def test_no_template_has_anything_inline():
    """The source too, so that a branch no test renders cannot bring inline code back."""
    templates = [
        p
        for p in (ROOT / "filing").rglob("templates/**/*.html")
        if not any(part in p.as_posix() for part in EXEMPT_TEMPLATES)
    ]
    assert len(templates) > 50
    found = {
        str(p.relative_to(ROOT)): m.group(0)
        for p in templates
        if (m := INLINE.search(p.read_text(encoding="utf-8")))
    }
    assert not found


def test_the_pattern_finds_what_it_must():
    """The search above can fail: each kind of inline code is found."""
    for snippet in [
        '<th style="width:35%">',
        "<style>p{}</style>",
        "<script>alert(1)</script>",
        '<button onclick="go()">',
        '<div hx-on:click="x">',
        '<a href="javascript:void(0)">',
    ]:
        assert INLINE.search(snippet), snippet
    assert not INLINE.search('<script src="/static/filing/site.js" defer></script>')


def test_htmx_is_told_not_to_add_its_indicator_style(client, db):
    page = client.get(reverse("front:home")).content.decode()
    assert """<meta name="htmx-config" content='{"includeIndicatorStyles":false}'>""" in page
    css = (ROOT / "filing" / "static" / "filing" / "site.css").read_text(encoding="utf-8")
    assert ".htmx-indicator" in css


def test_the_session_and_csrf_cookies_are_secure(cast, client):
    """Outside debug mode (as the tests run) cookies are Secure; SameSite=Lax; the session
    cookie is HttpOnly."""
    client.get(reverse("login"))
    response = client.post(
        reverse("login"), {"username": "filler", "password": PASSWORD}, REMOTE_ADDR="192.0.2.9"
    )
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    csrf = client.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["secure"] and csrf["samesite"] == "Lax"


def test_hsts_is_sent_over_https(client, db, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    secure = client.get(reverse("front:home"), secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in client.get(reverse("front:home"))


def _production_settings(**env: str) -> dict:
    """The settings in a fresh interpreter with production's environment (not in debug mode,
    not under pytest)."""
    code = (
        "import json, filing.settings as s;"
        "print(json.dumps({n: getattr(s, n) for n in ("
        "'DEBUG', 'SECURE_HSTS_SECONDS', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE',"
        "'SESSION_COOKIE_HTTPONLY', 'SESSION_COOKIE_SAMESITE', 'CSRF_COOKIE_SAMESITE',"
        "'X_FRAME_OPTIONS', 'SECURE_CONTENT_TYPE_NOSNIFF', 'CONTENT_SECURITY_POLICY',"
        "'REQUIRE_STAFF_2FA', 'MIDDLEWARE')}))"
    )
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    environment.update(env)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_turns_on_hsts_secure_cookies_and_two_factor():
    found = _production_settings(SECRET_KEY="a-production-secret")
    assert found["DEBUG"] is False
    assert found["SECURE_HSTS_SECONDS"] >= 31536000
    assert found["SESSION_COOKIE_SECURE"] and found["CSRF_COOKIE_SECURE"]
    assert found["SESSION_COOKIE_HTTPONLY"]
    assert found["SESSION_COOKIE_SAMESITE"] == found["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert found["X_FRAME_OPTIONS"] == "DENY" and found["SECURE_CONTENT_TYPE_NOSNIFF"]
    assert found["CONTENT_SECURITY_POLICY"]["DIRECTIVES"] == POLICY
    assert "csp.middleware.CSPMiddleware" in found["MIDDLEWARE"]
    assert found["REQUIRE_STAFF_2FA"] is True


def test_debug_mode_relaxes_them_for_a_developer():
    """The contrast: the same switches are off on a developer's machine over plain HTTP."""
    found = _production_settings(DEBUG="1")
    assert found["SECURE_HSTS_SECONDS"] == 0
    assert not found["SESSION_COOKIE_SECURE"] and not found["REQUIRE_STAFF_2FA"]
    assert found["CONTENT_SECURITY_POLICY"]["DIRECTIVES"] == POLICY
