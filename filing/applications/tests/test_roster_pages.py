"""Rosters on the page: rows are added, edited and removed; the Excel template downloads with
the roster's columns and what is filled, and comes back in; a bad upload saves nothing."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from filing.applications.tests.filling import PDF_BYTES, start


@pytest.fixture
def guangdong(client, seed_calls, applicant):
    org, filler, admin = applicant("440100")
    client.force_login(filler)
    return start(client, "guangdong-2020-rehearsal", "professional", "广州测试专业化众创空间")


def add_company(client, app, name, code="91440101MA5F00050G", ip="否"):
    return client.post(
        reverse("applications:roster", args=[app.pk, "companies"]),
        {
            "name": name,
            "credit_code": code,
            "professional_field": "1.1.2",
            "leader": "王五",
            "mobile": "13812345678",
            "entered_on": "2020-03-01",
            "has_patent_application": ip,
            "has_valid_ip": "否",
            "has_financing": "否",
        },
    )


def workbook(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def test_rows_are_added_edited_and_removed_in_the_page(client, guangdong):
    app = guangdong
    assert add_company(client, app, "甲公司").status_code == 302
    assert add_company(client, app, "乙公司").status_code == 302
    first = app.rows.get(position=1)
    edit = reverse("applications:row_edit", args=[app.pk, "companies", first.pk])
    data = {**first.values, "name": "甲公司（更名）"}
    assert client.post(edit, data).status_code == 302
    assert app.rows.get(position=1).name == "甲公司（更名）"
    client.post(reverse("applications:row_delete", args=[app.pk, "companies", first.pk]))
    assert list(app.rows.values_list("position", "name")) == [(1, "乙公司")]


def test_a_row_claiming_ip_needs_its_certificate(client, guangdong):
    app = guangdong
    add_company(client, app, "甲公司", ip="是")
    check = client.get(reverse("applications:check", args=[app.pk])).content.decode()
    assert "第 1 行：缺少“知识产权" in check


def test_the_template_has_exactly_the_rosters_columns_and_the_filled_rows(client, guangdong):
    app = guangdong
    add_company(client, app, "甲公司")
    response = client.get(reverse("applications:roster_template", args=[app.pk, "companies"]))
    sheet = workbook(response.content).worksheets[0]
    header = [c.value for c in sheet[1]]
    roster = next(r for r in app.definition.rosters if r.key == "companies")
    assert header == [c.label.zh for c in roster.columns]
    assert sheet.cell(row=2, column=1).value == "甲公司"


def test_an_upload_replaces_the_roster(client, guangdong):
    app = guangdong
    add_company(client, app, "甲公司")
    content = client.get(
        reverse("applications:roster_template", args=[app.pk, "companies"])
    ).content
    book = workbook(content)
    sheet = book.worksheets[0]
    for col in range(1, sheet.max_column + 1):
        sheet.cell(row=3, column=col).value = sheet.cell(row=2, column=col).value
    sheet.cell(row=3, column=1).value = "丙公司"
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("企业.xlsx", buffer.getvalue())
    response = client.post(
        reverse("applications:roster_upload", args=[app.pk, "companies"]), {"file": upload}
    )
    assert response.status_code == 302
    assert list(app.rows.order_by("position").values_list("name", flat=True)) == [
        "甲公司",
        "丙公司",
    ]


def test_a_bad_row_is_refused_with_row_column_and_reason_and_nothing_changes(client, guangdong):
    app = guangdong
    add_company(client, app, "甲公司")
    content = client.get(
        reverse("applications:roster_template", args=[app.pk, "companies"])
    ).content
    book = workbook(content)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=header.index("统一社会信用代码") + 1).value = "91440101MA5F00050H"
    buffer = io.BytesIO()
    book.save(buffer)
    response = client.post(
        reverse("applications:roster_upload", args=[app.pk, "companies"]),
        {"file": SimpleUploadedFile("企业.xlsx", buffer.getvalue())},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "未导入任何内容" in page
    assert "<td>2</td><td>统一社会信用代码</td>" in page
    assert "校验位错误" in page
    assert app.rows.get().values["credit_code"] == "91440101MA5F00050G"


def test_a_pdf_named_xlsx_is_refused(client, guangdong):
    app = guangdong
    response = client.post(
        reverse("applications:roster_upload", args=[app.pk, "companies"]),
        {"file": SimpleUploadedFile("企业.xlsx", PDF_BYTES)},
    )
    assert response.status_code == 400
    assert "不是有效的 Excel" in response.content.decode()


def test_an_empty_template_does_not_wipe_the_roster(client, guangdong):
    app = guangdong
    add_company(client, app, "甲公司")
    empty = client.get(reverse("applications:roster_template", args=[app.pk, "teams"])).content
    book = workbook(
        client.get(reverse("applications:roster_template", args=[app.pk, "companies"])).content
    )
    book.worksheets[0].delete_rows(2)
    buffer = io.BytesIO()
    book.save(buffer)
    response = client.post(
        reverse("applications:roster_upload", args=[app.pk, "companies"]),
        {"file": SimpleUploadedFile("企业.xlsx", buffer.getvalue())},
        follow=True,
    )
    assert "文件中没有数据行" in response.content.decode()
    assert app.rows.count() == 1
    assert empty  # the teams template downloads too


def test_a_rows_files_follow_it_through_an_upload(client, guangdong):
    app = guangdong
    add_company(client, app, "甲公司", ip="是")
    row = app.rows.get()
    client.post(
        reverse(
            "applications:row_file_upload", args=[app.pk, "companies", row.pk, "ip_certificate"]
        ),
        {"file": SimpleUploadedFile("证书.pdf", PDF_BYTES)},
    )
    content = client.get(
        reverse("applications:roster_template", args=[app.pk, "companies"])
    ).content
    client.post(
        reverse("applications:roster_upload", args=[app.pk, "companies"]),
        {"file": SimpleUploadedFile("企业.xlsx", content)},
    )
    new_row = app.rows.get()
    assert new_row.pk != row.pk
    assert list(new_row.files.values_list("original_name", flat=True)) == ["证书.pdf"]
