"""The world of the security tests, made once for the package and rolled back at its end.

Building it takes seconds (an application is filled through the pages), and the access matrix
and the CSRF walk make well over a thousand requests against it; each test runs inside its own
savepoint on top of it, so whatever a request changes is undone before the next one.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from filing.conftest import ensure_seed_rows
from filing.tests_security.world import World, build_world


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker) -> World:
    with django_db_blocker.unblock():
        block = transaction.atomic()
        block.__enter__()
        try:
            ensure_seed_rows()
            made = build_world()
        except BaseException:
            transaction.set_rollback(True)
            block.__exit__(None, None, None)
            raise
    yield made
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        block.__exit__(None, None, None)


@pytest.fixture(autouse=True, scope="package")
def _each_pdf_rendered_once():
    """A document renders to the same bytes whoever asks, and each takes seconds: render each
    one once for the whole package. The access checks before the rendering run every time."""
    from filing.documents import pdf

    real = pdf.render_pdf
    rendered: dict[str, bytes] = {}

    def render_once(printable, *args, **kwargs) -> bytes:
        key = repr((printable, args, kwargs))
        if key not in rendered:
            rendered[key] = real(printable, *args, **kwargs)
        return rendered[key]

    pdf.render_pdf = render_once
    yield
    pdf.render_pdf = real
