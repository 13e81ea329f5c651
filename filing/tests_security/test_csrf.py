"""Every POST needs the CSRF token: without it the request is refused with 403 and the database
is left as it was, whoever is logged in and whatever the URL. No view is exempt.

Each URL pattern of the project (from the URLconf, its parameters filled from the world) is
posted to by a person allowed to post there (or, for pages that only show, to open them), so
that the missing token is the only reason to refuse.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from filing.tests_security.matrix import ROWS, url_of
from filing.tests_security.urls import project_url_names, url_patterns
from filing.tests_security.world import ROLES, World, changed, state


def test_no_view_is_exempt_from_the_check():
    exempt = [route for _name, route, p in url_patterns() if getattr(p.callback, "csrf_exempt", 0)]
    assert not exempt


def _poster(name: str) -> str:
    """The first logged-in role allowed to post to the URL, or else to open it."""
    row = ROWS[name]
    allowed = row.post if row.post is not None else row.get or frozenset(ROLES)
    return next(role for role in ROLES if role in allowed and role != "anonymous")


@pytest.mark.parametrize("name", sorted(project_url_names()))
def test_a_post_without_the_token_is_refused_and_changes_nothing(world: World, db, name):
    row = ROWS[name]
    client = world.client_for(_poster(name), enforce_csrf_checks=True)
    with transaction.atomic():
        response = client.post(url_of(world, row), row.post_data())
        after = state()
        transaction.set_rollback(True)
    assert response.status_code == 403, (response.status_code, response.get("Location"))
    assert "CSRF" in response.content.decode()
    assert not changed(world.baseline, after)


def test_the_same_post_with_the_token_goes_through(world: World, db):
    """The check above refuses for the token alone: with it, the same person's POST acts."""
    client = world.client_for("filler", enforce_csrf_checks=True)
    client.get(reverse("notices:inbox"))
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(reverse("notices:read_all"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert "notices.Notice" in changed(world.baseline, state())
