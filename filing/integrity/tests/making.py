"""Submitted applications with chosen overlaps, filled and submitted through the pages.

The shared filler (applications/tests/filling.py) gives every application the same company
credit codes and the same file bytes. Here each application gets its own codes and its own
bytes unless a test says otherwise, so that an overlap exists only where the test makes it.
"""

from __future__ import annotations

import hashlib

from django.urls import reverse

from filing.applications import services
from filing.applications.models import Application
from filing.applications.tests import filling
from filing.applications.tests.filling import WebFiller, credit_code, start

GD = "guangdong-2020-rehearsal"
LN = "liaoning-2021-rehearsal"


def pdf(seed: str) -> bytes:
    """A small PDF whose bytes (and so SHA-256) depend on the seed."""
    return filling.PDF_BYTES + f"% {seed}\n".encode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def make_application(
    client,
    applicant,
    monkeypatch,
    *,
    n: int,
    name: str,
    call: str = GD,
    track: str = "professional",
    city: str = "440100",
    file_bytes: bytes | None = None,
    values: dict | None = None,
    rows: dict[tuple[str, int], dict] | None = None,
) -> tuple[Application, object, object]:
    """Fill an application completely (not yet submitted); returns it, its filler and admin.

    values: field values to set after the sections are filled (as typed).
    rows: (roster key, position) -> column values to change in that row.
    """
    org, filler, admin = applicant(city, n=n)
    client.force_login(filler)
    app = start(client, call, track, name)
    web = WebFiller(client, app)
    web.fill_sections()
    if values:
        Application.objects.filter(pk=app.pk).update(values={**web.ctx().values, **values})
    web.fill_rosters()
    app.refresh_from_db()
    titles = {r.key: r.title.zh for r in app.definition.rosters}
    for row in app.rows.all():
        changes = dict((rows or {}).get((row.roster, row.position), {}))
        if "credit_code" in row.values and "credit_code" not in changes:
            changes["credit_code"] = credit_code(app.pk * 100 + row.position)
        if changes:
            services.save_row(
                app,
                actor=filler,
                roster_key=row.roster,
                roster_title=titles[row.roster],
                values={**row.values, **changes},
                row=row,
            )
    with monkeypatch.context() as m:
        m.setattr(filling, "PDF_BYTES", file_bytes or pdf(f"application {app.pk}"))
        web.upload_evidence()
        web.upload_attachments()
    web.sign()
    app.refresh_from_db()
    return app, filler, admin


def submit(client, capture, app: Application, admin) -> Application:
    """The organisation admin submits; the refresh that follows the commit runs too."""
    client.force_login(admin)
    with capture(execute=True):
        response = client.post(reverse("applications:submit", args=[app.pk]))
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == "submitted", app.status
    return app


def submitted(client, applicant, monkeypatch, capture, **kwargs) -> Application:
    app, _filler, admin = make_application(client, applicant, monkeypatch, **kwargs)
    return submit(client, capture, app, admin)
