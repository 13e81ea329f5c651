"""Hostile uploads are refused through the pages, with a clear message, and leave nothing behind.

A file is judged by its content, not its name; every upload has one size limit; a Word or Excel
file whose entries would unpack to gigabytes is refused from its directory alone; a sheet that
claims a far corner is read only as far as it holds cells; a name is never trusted as a path or
shown with its control characters; a request body cut off midway is refused whole (400), so no
record and no stored file comes of it, and what was kept before stays.
"""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from filing.applications.evaluation import Context
from filing.applications.models import Attachment, RosterRow
from filing.applications.tests.filling import PDF_BYTES, PNG_BYTES, start
from filing.applications.tests.hostile import (
    bomb,
    closing,
    measured,
    media_fixture,  # noqa: F401
    part,
    send_raw,
    stored_files,
)

pytestmark = pytest.mark.usefixtures("media")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def liaoning(client, seed_calls, applicant):
    org, filler, admin = applicant("210100")
    client.force_login(filler)
    app = start(client, "liaoning-2021-rehearsal", "maker_space", "沈阳测试众创空间")
    return app


def attachment_url(app) -> str:
    return reverse("applications:attachment_upload", args=[app.pk, first_item(app)])


def first_item(app) -> str:
    return app.definition.attachments[0].key


def upload(client, app, name: str, content: bytes, content_type: str = "application/pdf"):
    return client.post(
        attachment_url(app),
        {"file": SimpleUploadedFile(name, content, content_type)},
        follow=True,
    )


# ----- the wrong type under a right name ---------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("营业执照.pdf", b"MZ\x90\x00\x03" + bytes(200), "不是允许的类型"),
        ("场地证明.pdf", b"<!doctype html><script>alert(1)</script>", "不是允许的类型"),
        ("章程.docx", PNG_BYTES, "内容是 PNG，与扩展名“.docx”不符"),
        ("照片.png", PDF_BYTES, "内容是 PDF，与扩展名“.png”不符"),
        ("空的.pdf", b"", "空文件"),
        ("伪装.xlsx", b"PK\x03\x04 not really a zip" + bytes(100), "不是允许的类型"),
    ],
)
def test_a_file_whose_content_is_not_an_allowed_kind_or_not_its_name_is_refused(
    client, liaoning, media, name, content, expected
):
    page = upload(client, liaoning, name, content).content.decode()
    assert expected in page
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_the_refusal_reads_in_english_for_an_english_reader(client, liaoning):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    page = upload(client, liaoning, "licence.pdf", b"MZ\x90\x00" + bytes(100)).content.decode()
    assert "is not of an allowed type" in page
    page = upload(client, liaoning, "charter.docx", PNG_BYTES).content.decode()
    assert "which does not match the" in page
    assert not Attachment.objects.exists()


def test_a_file_over_the_limit_is_refused_with_the_limit(client, liaoning, settings, media):
    settings.MAX_UPLOAD_BYTES = 1024 * 1024
    page = upload(client, liaoning, "大文件.pdf", PDF_BYTES + bytes(1024 * 1024)).content.decode()
    assert "过大" in page and "单个文件不超过 1 MB" in page
    assert not Attachment.objects.exists()
    assert stored_files(media) == []
    page = upload(client, liaoning, "小文件.pdf", PDF_BYTES).content.decode()
    assert Attachment.objects.count() == 1


def test_a_docx_that_unpacks_to_gigabytes_is_refused_quickly_and_in_little_memory(
    client, liaoning, media
):
    content = bomb("word/document.xml")
    response, seconds, peak = measured(lambda: upload(client, liaoning, "章程.docx", content, DOCX))
    assert "解压后过大" in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files(media) == []
    assert seconds < 30  # generous: the machine may be busy, and tracemalloc slows it down
    assert peak < 200 * 1024 * 1024  # the upload itself is ~9 MB; nothing is inflated


def test_an_ordinary_docx_and_xlsx_are_accepted(client, liaoning):
    buffer = io.BytesIO()
    book = openpyxl.Workbook()
    book.active.append(["名称", "数量"] * 50)
    for n in range(2000):
        book.active.append([f"第{n}行", n] * 50)
    book.save(buffer)
    upload(client, liaoning, "名单.xlsx", buffer.getvalue(), XLSX)
    import docx

    document = docx.Document()
    for _n in range(2000):
        document.add_paragraph("众创空间运营情况说明。" * 10)
    buffer = io.BytesIO()
    document.save(buffer)
    upload(client, liaoning, "说明.docx", buffer.getvalue(), DOCX)
    assert sorted(Attachment.objects.values_list("original_name", flat=True)) == [
        "名单.xlsx",
        "说明.docx",
    ]


# ----- names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("/var/www/证明.pdf", "证明.pdf"),
        ("C:\\Windows\\System32\\证明.pdf", "证明.pdf"),
        ("证\x00明\x07\x1b.pdf", "证明.pdf"),
        ("发票\u202efdp.exe.pdf", "发票fdp.exe.pdf"),
        ("<img src=x onerror=alert(1)>.pdf", "<img src=x onerror=alert(1)>.pdf"),
    ],
)
def test_a_hostile_name_is_stored_and_shown_safely(client, liaoning, media, name, kept):
    upload(client, liaoning, name, PDF_BYTES, "application/octet-stream")
    attachment = Attachment.objects.get()
    assert attachment.original_name == kept
    stored = Path(attachment.file.path).resolve()
    assert stored.is_relative_to(media.resolve())
    assert ".." not in attachment.file.name and "\u202e" not in attachment.file.name
    page = client.get(reverse("applications:attachments", args=[liaoning.pk])).content.decode()
    assert "\u202e" not in page and "\x00" not in page
    assert "<img src=x" not in page
    download = client.get(reverse("applications:file_download", args=[liaoning.pk, attachment.pk]))
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "\u202e" not in disposition and "/" not in disposition.split("filename", 1)[1]
    assert b"".join(download.streaming_content) == PDF_BYTES


def test_a_very_long_name_is_cut_keeping_its_extension(client, liaoning):
    upload(client, liaoning, "很长的名字" * 200 + ".PDF", PDF_BYTES)
    attachment = Attachment.objects.get()
    assert len(attachment.original_name) <= 120 and attachment.original_name.endswith(".pdf")
    assert len(attachment.file.name) <= Attachment._meta.get_field("file").max_length


# ----- roster import -----------------------------------------------------------------------


def roster_key(app) -> str:
    return app.definition.rosters[0].key


def roster_post(client, app, content: bytes, name: str = "名单.xlsx"):
    return client.post(
        reverse("applications:roster_upload", args=[app.pk, roster_key(app)]),
        {"file": SimpleUploadedFile(name, content, XLSX)},
    )


def template_book(client, app) -> openpyxl.Workbook:
    url = reverse("applications:roster_template", args=[app.pk, roster_key(app)])
    return openpyxl.load_workbook(io.BytesIO(client.get(url).content))


def one_row(client, app) -> None:
    """One row added through the page, so an upload that is refused can be seen to keep it."""
    from filing.applications.tests.filling import post_value

    roster = app.definition.rosters[0]
    data: dict[str, object] = {}
    for col in Context.of(app).columns(roster):
        data.update(post_value(col, "row0", {}))
    response = client.post(reverse("applications:roster", args=[app.pk, roster.key]), data)
    assert response.status_code == 302
    assert RosterRow.objects.filter(application=app).count() == 1


def saved(book: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_that_unpacks_to_gigabytes_is_refused_before_it_is_opened(client, liaoning):
    one_row(client, liaoning)
    response, seconds, peak = measured(
        lambda: roster_post(client, liaoning, bomb("xl/workbook.xml"))
    )
    assert response.status_code == 400
    assert "解压后过大" in response.content.decode()
    assert RosterRow.objects.filter(application=liaoning).count() == 1
    assert seconds < 30 and peak < 200 * 1024 * 1024  # generous: the machine may be busy


def test_a_roster_file_over_the_limit_is_refused(client, liaoning, settings):
    one_row(client, liaoning)
    settings.MAX_UPLOAD_BYTES = 2048
    response = roster_post(client, liaoning, saved(template_book(client, liaoning)))
    assert response.status_code == 400 and "过大" in response.content.decode()
    assert RosterRow.objects.filter(application=liaoning).count() == 1


def test_a_roster_that_is_not_a_workbook_is_refused(client, liaoning):
    response = roster_post(client, liaoning, b"MZ" + bytes(500), "名单.xlsx")
    assert response.status_code == 400 and "不是有效的 Excel" in response.content.decode()


def with_dimension(content: bytes, ref: str) -> bytes:
    """The same workbook with its first sheet claiming the used range ``ref``."""
    source, target = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                start_at = text.index("<dimension ")
                end_at = text.index("/>", start_at) + 2
                data = (text[:start_at] + f'<dimension ref="{ref}"/>' + text[end_at:]).encode()
            out.writestr(info, data)
    return target.getvalue()


def test_a_sheet_claiming_the_far_corner_reads_only_its_cells(client, liaoning):
    book = template_book(client, liaoning)
    sheet = book.worksheets[0]
    roster = liaoning.definition.rosters[0]
    from filing.applications.tests.filling import post_value

    values = {}
    columns = Context.of(liaoning).columns(roster)
    for col in columns:
        values.update(post_value(col, "far", {}))
    sheet.append([values.get(col.key, "") for col in columns])
    sheet.cell(row=1_000_000, column=16384).number_format = "0.00"  # styled, empty
    content = with_dimension(saved(book), "A1:XFD1048576")
    response, seconds, _peak = measured(lambda: roster_post(client, liaoning, content))
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert RosterRow.objects.filter(application=liaoning).count() == 1
    assert seconds < 10


def test_a_lone_cell_at_row_a_million_is_reported_not_walked_to(client, liaoning):
    one_row(client, liaoning)
    book = template_book(client, liaoning)
    book.worksheets[0].cell(row=1_000_000, column=1, value="远处的一行")
    book.worksheets[0].cell(row=7, column=16000, value="最右边")
    response, seconds, _peak = measured(lambda: roster_post(client, liaoning, saved(book)))
    page = response.content.decode()
    assert response.status_code == 400
    assert "1000000" in page and "表头以外的列不能填写内容" in page
    assert RosterRow.objects.filter(application=liaoning).count() == 1
    assert seconds < 10


# ----- a body cut off midway ---------------------------------------------------------------


def cut_bodies() -> dict[str, tuple[bytes, int]]:
    """Bodies that end early: (what arrives, what Content-Length announced)."""
    first = part("file", "第一份.pdf", PDF_BYTES + bytes(3000))
    second = part("file", "第二份.pdf", PDF_BYTES + bytes(3000))
    whole = first + second + closing()
    return {
        "cut inside the only file": (whole[: len(first) // 2], len(whole)),
        "cut inside the second file": (first + second[:100], len(whole)),
        "cut after a complete file": (first, len(whole)),
        "no closing boundary": (first + second, len(first + second)),
        "short of content-length by a byte": (whole[:-1], len(whole)),
    }


@pytest.mark.parametrize("case", list(cut_bodies()))
def test_an_upload_cut_off_midway_is_refused_whole_and_keeps_what_was_there(
    client, liaoning, media, case
):
    upload(client, liaoning, "早先的.pdf", PDF_BYTES)
    kept = list(Attachment.objects.values_list("pk", "sha256"))
    files_before = stored_files(media)
    body, announced = cut_bodies()[case]
    response = send_raw(client, attachment_url(liaoning), body, announced)
    assert 400 <= response.status_code < 500
    assert "请求不完整" in response.content.decode()
    assert list(Attachment.objects.values_list("pk", "sha256")) == kept
    assert stored_files(media) == files_before
    assert all(p.read_bytes() == PDF_BYTES for p in files_before)


def test_a_whole_hand_built_body_is_accepted(client, liaoning):
    """The same bodies, complete, are stored: the refusals above are about the cut."""
    body = part("file", "第一份.pdf", PDF_BYTES) + part("file", "第二份.pdf", PDF_BYTES) + closing()
    response = send_raw(client, attachment_url(liaoning), body, len(body))
    assert response.status_code == 302
    assert Attachment.objects.count() == 2


def test_a_roster_upload_cut_off_midway_changes_nothing(client, liaoning):
    one_row(client, liaoning)
    content = saved(template_book(client, liaoning))
    body = part("file", "名单.xlsx", content) + closing()
    url = reverse("applications:roster_upload", args=[liaoning.pk, roster_key(liaoning)])
    response = send_raw(client, url, body[: len(body) // 2], len(body))
    assert response.status_code == 400
    assert RosterRow.objects.filter(application=liaoning).count() == 1


def test_the_importer_reads_only_the_rows_a_sheet_stores(seed_calls):
    """Between row 2 and row 1,000,000 nothing is stored, and nothing is walked: openpyxl's
    iter_rows would hand out each empty row in between (about a second's work per such cell)."""
    from filing.applications import excel
    from filing.calls.models import Call
    from filing.calls.schema import CallDefinition

    version = Call.objects.get(code="liaoning-2021-rehearsal").current_version
    definition = CallDefinition.model_validate(version.definition)
    key = definition.rosters[0].key
    book = openpyxl.load_workbook(io.BytesIO(excel.roster_template(definition, key, "maker_space")))
    book.worksheets[0].cell(row=1_000_000, column=1, value="远处的一行")
    content = with_dimension(saved(book), "A1:XFD1048576")
    started = time.perf_counter()
    with pytest.raises(excel.RosterUploadError) as refused:
        excel.parse_roster(definition, key, "maker_space", content)
    assert time.perf_counter() - started < 0.5
    assert {p.row for p in refused.value.problems} == {1_000_000}


def test_removing_a_file_never_redirects_off_the_site(client, liaoning):
    upload(client, liaoning, "证明.pdf", PDF_BYTES)
    attachment = Attachment.objects.get()
    url = reverse("applications:file_delete", args=[liaoning.pk, attachment.pk])
    response = client.post(url, {"next": "https://evil.example/phish"})
    assert response["Location"] == reverse("applications:attachments", args=[liaoning.pk])
    assert not Attachment.objects.exists()


# ----- a change that fails after the bytes were stored -------------------------------------


def test_a_file_stored_before_the_change_failed_is_removed(liaoning, media, monkeypatch):
    """The bytes are written before the row; when what follows fails (here the audit record),
    the transaction rolls back and the stored bytes go with it."""
    from filing.applications import services

    def failing_record(*args, **kwargs):
        raise RuntimeError("the audit trail is unavailable")

    user = liaoning.created_by
    monkeypatch.setattr(services, "record", failing_record)
    with pytest.raises(RuntimeError):
        services.add_file(
            liaoning,
            actor=user,
            item=first_item(liaoning),
            upload=SimpleUploadedFile("营业执照.pdf", PDF_BYTES, "application/pdf"),
        )
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_a_file_stored_by_a_change_that_succeeded_stays(liaoning, media):
    from filing.applications import services

    user = liaoning.created_by
    services.add_file(
        liaoning,
        actor=user,
        item=first_item(liaoning),
        upload=SimpleUploadedFile("营业执照.pdf", PDF_BYTES, "application/pdf"),
    )
    [kept] = stored_files(media)
    assert kept.read_bytes() == PDF_BYTES
