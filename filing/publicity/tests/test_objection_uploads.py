"""An objection's files are checked like every upload: by content, size and archive directory;
a refused file or a body cut off midway leaves no objection and no stored file."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from filing.applications.tests.hostile import (
    bomb,
    closing,
    field,
    media_fixture,  # noqa: F401
    part,
    send_raw,
    stored_files,
)
from filing.publicity.models import Objection, ObjectionFile
from filing.reviews.tests.routing import filled_and_recommended, publicise, staff

CODE = "liaoning-2021-rehearsal"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

pytestmark = pytest.mark.usefixtures("media")


@pytest.fixture
def publicity(client, seed_calls, applicant):
    """Shenyang's list, with one recommended space, open to objections until tonight."""
    review = filled_and_recommended(client, applicant, CODE, "210100", "沈阳异议测试众创空间")
    client.force_login(staff(review.authority, "reviewer"))
    notice = publicise(client, CODE, "city")
    client.logout()
    return notice


def form(publicity) -> dict[str, object]:
    return {
        "entry": publicity.entries.get().pk,
        "name": "王五",
        "phone": "024-23983139",
        "content": "该空间场地面积与实际不符，请核查。",
    }


def lodge(client, publicity, *files):
    return client.post(
        reverse("publicity:lodge", args=[publicity.pk]),
        {**form(publicity), "files": list(files)},
        follow=True,
    )


def nothing_kept(media: Path) -> bool:
    """No objection, no file row and no stored objection file (the applicant's files stay)."""
    return not (
        Objection.objects.exists()
        or ObjectionFile.objects.exists()
        or stored_files(media / "objections")
    )


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("证明.pdf", b"<html><body>not a pdf</body></html>", "不是允许的类型"),
        ("照片.docx", b"\x89PNG\r\n\x1a\n" + bytes(64), "与扩展名“.docx”不符"),
    ],
)
def test_a_file_that_is_not_what_its_name_says_refuses_the_objection(
    client, publicity, media, name, content, expected
):
    good = SimpleUploadedFile("好的.pdf", PDF)
    page = lodge(client, publicity, good, SimpleUploadedFile(name, content)).content.decode()
    assert expected in page
    assert nothing_kept(media)


def test_a_docx_that_unpacks_to_gigabytes_refuses_the_objection(client, publicity, media):
    page = lodge(
        client, publicity, SimpleUploadedFile("证明.docx", bomb("word/document.xml"), DOCX)
    ).content.decode()
    assert "解压后过大" in page
    assert nothing_kept(media)


def test_an_oversized_file_refuses_the_objection(client, publicity, media, settings):
    settings.MAX_UPLOAD_BYTES = 1024
    page = lodge(client, publicity, SimpleUploadedFile("证明.pdf", PDF + bytes(2048))).content
    assert "过大" in page.decode()
    assert nothing_kept(media)


def test_an_objection_cut_off_midway_is_refused_whole(client, publicity, media):
    fields = b"".join(field(k, str(v)) for k, v in form(publicity).items())
    whole = fields + part("files", "证明一.pdf", PDF) + part("files", "证明二.pdf", PDF) + closing()
    url = reverse("publicity:lodge", args=[publicity.pk])
    for body in (whole[: len(whole) - 60], whole[: len(fields) + 40]):
        response = send_raw(client, url, body, len(whole))
        assert response.status_code == 400
        assert nothing_kept(media)
    response = send_raw(client, url, whole, len(whole))
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert sorted(objection.files.values_list("original_name", flat=True)) == [
        "证明一.pdf",
        "证明二.pdf",
    ]


def test_a_hostile_name_is_kept_without_its_path_or_controls(client, publicity, media):
    lodge(client, publicity, SimpleUploadedFile("..\\..\\证\u202e明\x01.pdf", PDF))
    stored = ObjectionFile.objects.get()
    assert stored.original_name == "证明.pdf"
    assert Path(stored.file.path).resolve().is_relative_to(media.resolve())


def test_files_stored_before_the_objection_failed_are_removed(
    client, publicity, media, monkeypatch
):
    """The files are stored before the objection is recorded; when the record fails, the
    objection rolls back and its stored files go with it."""
    from filing.publicity import services

    def failing_record(*args, **kwargs):
        raise RuntimeError("the audit trail is unavailable")

    monkeypatch.setattr(services, "record", failing_record)
    with pytest.raises(RuntimeError):
        services.lodge_objection(
            publicity,
            entry_id=publicity.entries.get().pk,
            name="王五",
            phone="024-23983139",
            email="",
            content="该空间场地面积与实际不符，请核查。",
            files=[
                SimpleUploadedFile("证明.pdf", PDF, "application/pdf"),
                SimpleUploadedFile("照片.pdf", PDF, "application/pdf"),
            ],
        )
    assert nothing_kept(media)
