"""Who may open and act on every page: the table of matrix.py, URL × role, against the pages.

Every named URL of the project has a row there (a new URL without one fails
`test_every_url_has_a_row`). Each role opens each URL and posts to each URL that acts on POST;
a refused POST must leave the database exactly as it was, each request is undone before the
next, and nothing may answer 500. Pages that are not public must not show the application's
name to people outside its organisation and jurisdiction.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import transaction

from filing.tests_security.matrix import MATRIX, OUTSIDERS, ROWS, Row, url_of
from filing.tests_security.urls import project_url_names
from filing.tests_security.world import ROLES, World, changed, state


def test_every_url_has_a_row():
    """A new page must be added to the table in matrix.py, with who may open it."""
    names = project_url_names()
    assert not names - ROWS.keys(), f"URLs missing from the matrix: {sorted(names - ROWS.keys())}"
    assert not ROWS.keys() - names, f"rows without a URL: {sorted(ROWS.keys() - names)}"
    assert len(MATRIX) == len(ROWS), "a URL is listed twice"


def _refused(response) -> bool:
    if response.status_code in {403, 404, 405}:
        return True
    location = response.get("Location", "") if response.status_code == 302 else ""
    return location.startswith((settings.LOGIN_URL, "/accounts/login/", "/admin/login/"))


def _answered(response) -> bool:
    """Allowed: the page, or a redirect to another page than the login."""
    return response.status_code in {200, 302} and not _refused(response)


def _handled(response) -> bool:
    """An allowed POST: done (a redirect), or the form again, with its errors (200 or 400)."""
    return response.status_code == 400 or _answered(response)


def _shows_the_application(response, world: World) -> bool:
    if not response.get("Content-Type", "").startswith("text/"):
        return False
    return world.app.space_name in response.content.decode()


def _get_problem(world: World, row: Row, role: str) -> str | None:
    response = world.client_for(role).get(url_of(world, row))
    outcome = f"{response.status_code} {response.get('Location', '')}".strip()
    if response.status_code >= 500:
        return f"error {outcome}"
    if row.get is None and response.status_code != 405:
        return f"a GET must answer 405, not {outcome}"
    if row.get is not None and role in row.get and not _answered(response):
        return f"should be allowed, got {outcome}"
    if row.get is not None and role not in row.get and not _refused(response):
        return f"should be refused, got {outcome}"
    if role in OUTSIDERS and not row.public and _shows_the_application(response, world):
        return "shows the application's name"
    return None


def _post_problem(world: World, row: Row, role: str) -> str | None:
    data = row.post_data()
    with transaction.atomic():
        response = world.client_for(role).post(url_of(world, row), data)
        outcome = f"{response.status_code} {response.get('Location', '')}".strip()
        after = None if role in row.post else state()
        transaction.set_rollback(True)
    if response.status_code >= 500:
        return f"error {outcome}"
    if role in row.post:
        return None if _handled(response) else f"should be handled, got {outcome}"
    if not _refused(response):
        return f"should be refused, got {outcome}"
    if changes := changed(world.baseline, after):
        return f"refused ({outcome}) but changed {changes}"
    return None


def _check(world: World, row: Row, problem) -> None:
    """Every role in turn, each request undone before the next; all mismatches reported."""
    found = {role: p for role in ROLES if (p := problem(world, row, role))}
    assert not found, "\n".join(f"{row.name} as {role}: {p}" for role, p in found.items())


@pytest.mark.parametrize("name", [row.name for row in MATRIX])
def test_get(world, db, name):
    _check(world, ROWS[name], _get_problem)


@pytest.mark.parametrize("name", [row.name for row in MATRIX if row.post is not None])
def test_post(world, db, name):
    _check(world, ROWS[name], _post_problem)
