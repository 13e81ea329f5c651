"""The 申报书 PDF of a submitted version, drawn once and kept.

A submitted version never changes, so neither does its PDF; drawing one with a long roster takes
seconds of WeasyPrint's time, and reviewers, the applicant and the materials ZIP all ask for it.
The first request draws it and keeps it in the default storage (the local disk or the object
store); with a task queue configured, it is drawn in the background as soon as the version is
submitted, so nobody waits for it. Drafts are always drawn afresh: they change.

The name of a kept copy carries the version's verification code and LAYOUT: when the printed
form's layout changes, bump LAYOUT and every copy is drawn again on its next request.
"""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from filing.applications.models import Submission
from filing.applications.printable import Printable

logger = logging.getLogger(__name__)

LAYOUT = "1"


def kept_name(submission: Submission) -> str:
    """Where the version's PDF is kept."""
    return (
        f"printed/{submission.application_id}/"
        f"{submission.number}-{submission.verification_code}-L{LAYOUT}.pdf"
    )


def _read(name: str) -> bytes | None:
    try:
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    except OSError:  # not kept yet (a missing file is one)
        return None


def _keep(name: str, data: bytes) -> None:
    """Keep `data` under `name`; when two requests drew it at once, the second copy goes."""
    try:
        saved = default_storage.save(name, ContentFile(data))
    except OSError:
        logger.exception("could not keep %s", name)
        return
    if saved != name:
        default_storage.delete(saved)


def submission_pdf(submission: Submission) -> bytes:
    """The version's PDF: the kept copy, or drawn now and kept."""
    from filing.documents import pdf

    name = kept_name(submission)
    data = _read(name)
    # A copy still being written by another request is not whole yet: draw one of our own.
    if data is not None and data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF"):
        return data
    data = pdf.render_pdf(Printable.from_dict(submission.content["printable"]))
    _keep(name, data)
    return data


def draw_ahead(submission_id: int) -> None:
    """Draw and keep a version's PDF before anyone asks (run by the task queue)."""
    submission = Submission.objects.filter(pk=submission_id).first()
    if submission is None or default_storage.exists(kept_name(submission)):
        return
    submission_pdf(submission)
