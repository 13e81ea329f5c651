"""`remove_orphan_files` finds the stored files no row refers to (what a server killed between
storing an upload and committing its row leaves), keeps every file a row names and the kept
PDFs of existing versions, and removes orphans only when asked and only when old enough."""

import os
import time
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from filing.applications import services
from filing.applications.tests.filling import PDF_BYTES, start
from filing.applications.tests.hostile import media_fixture  # noqa: F401

pytestmark = pytest.mark.usefixtures("media")


def aged(path, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


@pytest.fixture
def stored(client, seed_calls, applicant, media):
    """One application with a file a row names, an orphan beside it and a young orphan."""
    org, filler, admin = applicant("210100")
    client.force_login(filler)
    app = start(client, "liaoning-2021-rehearsal", "maker_space", "沈阳清理测试众创空间")
    attachment = services.add_file(
        app,
        actor=filler,
        item=app.definition.attachments[0].key,
        upload=SimpleUploadedFile("营业执照.pdf", PDF_BYTES, "application/pdf"),
    )
    folder = media / "applications" / str(app.pk)
    orphan, young = folder / "left-by-a-crash", folder / "upload-on-its-way"
    orphan.write_bytes(b"half an upload")
    young.write_bytes(b"being committed")
    stale_pdf = media / "printed" / str(app.pk) / "1-XXXX-XXXX-XXXX-L0.pdf"
    stale_pdf.parent.mkdir(parents=True)
    stale_pdf.write_bytes(b"%PDF drawn with an old layout")
    for path in (media / attachment.file.name, orphan, stale_pdf):
        aged(path, 48)
    return media / attachment.file.name, orphan, young, stale_pdf


def run(*args) -> str:
    out = StringIO()
    call_command("remove_orphan_files", *args, stdout=out)
    return out.getvalue()


def test_orphans_are_listed_and_nothing_is_removed_without_asking(stored):
    named, orphan, young, stale_pdf = stored
    report = run()
    assert f"orphan: applications/{orphan.parent.name}/left-by-a-crash" in report
    assert "printed/" in report
    assert "upload-on-its-way" not in report
    assert "4 stored files examined, 2 referred to by nothing" in report
    assert "1 too recent to judge" in report
    assert all(p.exists() for p in stored)


def test_remove_deletes_old_orphans_only(stored):
    named, orphan, young, stale_pdf = stored
    report = run("--remove")
    assert "removed:" in report
    assert not orphan.exists()
    assert not stale_pdf.exists()
    assert named.read_bytes() == PDF_BYTES
    assert young.exists()


def test_a_shorter_age_also_takes_the_young_ones(stored):
    named, orphan, young, stale_pdf = stored
    run("--remove", "--hours", "0")
    assert not young.exists()
    assert named.exists()


def test_the_kept_pdf_of_an_existing_version_stays(client, applicant, stored, media):
    from filing.applications.kept_pdf import kept_name
    from filing.applications.models import Application, Submission

    app = Application.objects.get()
    version = Submission(
        application=app,
        number=1,
        content={},
        digest="0" * 64,
        verification_code="KEPT-0000-0001",
        submitted_by=app.created_by,
        submitted_at=app.created_at,
    )
    version.save()
    kept = media / kept_name(version)
    kept.parent.mkdir(parents=True, exist_ok=True)
    kept.write_bytes(b"%PDF kept")
    aged(kept, 48)
    run("--remove")
    assert kept.exists()
