"""The bad paths of filing: each answers with a clear message, and nothing saved is lost."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from filing.applications.constants import Status
from filing.applications.models import Attachment
from filing.applications.tests.filling import PDF_BYTES, PNG_BYTES, WebFiller, start


@pytest.fixture
def jiangsu(client, seed_calls, applicant):
    org, filler, admin = applicant("320100")
    client.force_login(filler)
    app = start(client, "jiangsu-2020-rehearsal", "professional", "智能制造专业化众创空间")
    return app, filler, admin


@pytest.fixture
def liaoning(client, seed_calls, applicant):
    org, filler, admin = applicant("210100")
    client.force_login(filler)
    app = start(client, "liaoning-2021-rehearsal", "maker_space", "沈阳测试众创空间")
    return app, filler, admin


def section_post(client, app, key, values):
    """Post a section as the browser would: every field as shown, with some values changed."""
    url = reverse("applications:section", args=[app.pk, key])
    page = client.get(url)
    data = {"_revision": page.context["revision"], "_base": page.context["base_json"]}
    for view in page.context["fields"]:
        raw = view.raw
        if isinstance(raw, dict):
            data[f"{view.key}__answer"], data[f"{view.key}__name"] = (
                raw.get("answer", ""),
                raw.get("name", ""),
            )
        elif raw is not None:
            data[view.key] = raw
    data.update(values)
    return client.post(url, data, follow=True)


def section_with(app, field_key):
    return next(s.key for s in app.definition.sections if any(f.key == field_key for f in s.fields))


def opened(client, app, field_key):
    """Open the section holding the field: its address, and the revision and values the page
    showed, as its form posts them back."""
    url = reverse("applications:section", args=[app.pk, section_with(app, field_key)])
    page = client.get(url)
    return url, {"_revision": page.context["revision"], "_base": page.context["base_json"]}


@pytest.fixture
def hunan(client, seed_calls, applicant):
    org, filler, admin = applicant("430300")
    client.force_login(filler)
    app = start(client, "hunan-2016-2-rehearsal", "maker_space", "湘潭测试众创空间")
    return app, filler, admin


def test_over_long_text_is_kept_and_refused_with_the_count(client, hunan):
    app, _f, _a = hunan
    field = next(f for f in app.definition.all_fields() if f.max_chars and f.type == "textarea")
    too_long = "字" * (field.max_chars + 1)
    page = section_post(
        client, app, section_with(app, field.key), {field.key: too_long}
    ).content.decode()
    assert f"{field.max_chars} 字以内，当前 {field.max_chars + 1} 字" in page
    app.refresh_from_db()
    assert app.values[field.key] == too_long  # nothing typed is lost
    check = client.get(reverse("applications:check", args=[app.pk])).content.decode()
    assert "超出字数限制" in check


def test_a_wrong_credit_code_in_a_roster_row_is_refused_and_not_added(client, liaoning):
    app, _f, _a = liaoning
    response = client.post(
        reverse("applications:roster", args=[app.pk, "companies"]),
        {"name": "某公司", "credit_code": "91440101MA5F00050H"},
    )
    assert "校验位错误" in response.content.decode()
    assert not app.rows.exists()


def test_a_file_whose_content_is_not_its_extension_is_refused(client, liaoning):
    app, _f, _a = liaoning
    item = app.definition.attachments[0].key
    upload = SimpleUploadedFile("营业执照.pdf", PNG_BYTES, "application/pdf")
    response = client.post(
        reverse("applications:attachment_upload", args=[app.pk, item]),
        {"file": upload},
        follow=True,
    )
    assert "内容是 PNG，与扩展名“.pdf”不符" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_file_of_a_kind_not_allowed_is_refused(client, liaoning):
    app, _f, _a = liaoning
    item = app.definition.attachments[0].key
    upload = SimpleUploadedFile("run.exe", b"MZ\x90\x00" + b"\x00" * 100)
    response = client.post(
        reverse("applications:attachment_upload", args=[app.pk, item]),
        {"file": upload},
        follow=True,
    )
    assert "不是允许的类型" in response.content.decode()


@override_settings(MAX_UPLOAD_BYTES=1024)
def test_an_oversized_file_is_refused(client, liaoning):
    app, _f, _a = liaoning
    item = app.definition.attachments[0].key
    upload = SimpleUploadedFile("大文件.pdf", PDF_BYTES + b"0" * 2048, "application/pdf")
    response = client.post(
        reverse("applications:attachment_upload", args=[app.pk, item]),
        {"file": upload},
        follow=True,
    )
    assert "过大" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_path_in_the_uploaded_name_is_dropped(client, liaoning):
    app, _f, _a = liaoning
    item = app.definition.attachments[0].key
    upload = SimpleUploadedFile("../../etc/\x00passwd.pdf", PDF_BYTES, "application/pdf")
    client.post(reverse("applications:attachment_upload", args=[app.pk, item]), {"file": upload})
    stored = Attachment.objects.get()
    assert stored.original_name == "passwd.pdf"
    assert ".." not in stored.file.name


def test_another_organisation_cannot_read_the_file_or_the_application(client, liaoning, applicant):
    app, _f, _a = liaoning
    item = app.definition.attachments[0].key
    client.post(
        reverse("applications:attachment_upload", args=[app.pk, item]),
        {"file": SimpleUploadedFile("a.pdf", PDF_BYTES)},
    )
    attachment = Attachment.objects.get()
    _org, other_filler, _other_admin = applicant("210100", n=2)
    client.force_login(other_filler)
    assert (
        client.get(reverse("applications:file_download", args=[app.pk, attachment.pk])).status_code
        == 404
    )
    assert client.get(reverse("applications:overview", args=[app.pk])).status_code == 404
    assert client.get(reverse("applications:print_pdf", args=[app.pk])).status_code == 404


def test_a_reviewer_cannot_see_a_draft(client, liaoning):
    from filing.orgs.tests.factories import UserFactory

    app, _f, _a = liaoning
    client.force_login(UserFactory(reviewer=True, authority_code="ln-210100"))
    assert client.get(reverse("applications:overview", args=[app.pk])).status_code == 404


def test_the_second_of_two_concurrent_saves_is_told_and_keeps_its_input(
    client, liaoning, django_user_model
):
    app, filler, admin = liaoning
    url, stale = opened(client, app, "total_area")  # the filler opens the page
    # Meanwhile the admin saves another value for the same field.
    other = Client()
    other.force_login(admin)
    _url, fresh = opened(other, app, "total_area")
    other.post(url, {**fresh, "total_area": "800"})
    response = client.post(url, {**stale, "total_area": "650"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "其他人已修改了本页的部分内容" in body
    assert "他人刚保存的值" in body and "800" in body
    assert 'value="650"' in body  # the filler's input is still on the page
    app.refresh_from_db()
    assert app.values["total_area"] == "800"  # no silent overwrite
    # Saving again, now knowing, keeps the filler's value.
    again = client.post(
        url,
        {
            "_revision": response.context["revision"],
            "_base": response.context["base_json"],
            "total_area": "650",
        },
    )
    assert again.status_code == 302
    app.refresh_from_db()
    assert app.values["total_area"] == "650"


def test_concurrent_saves_of_different_fields_both_survive(client, liaoning):
    app, filler, admin = liaoning
    url, stale = opened(client, app, "total_area")
    other = Client()
    other.force_login(admin)
    _url, fresh = opened(other, app, "total_area")
    key = section_with(app, "total_area")
    section = next(s for s in app.definition.sections if s.key == key)
    other_field = next(
        f.key for f in section.fields if f.key != "total_area" and f.type in {"decimal", "integer"}
    )
    other.post(url, {**fresh, other_field: "300"})
    assert client.post(url, {**stale, "total_area": "650"}).status_code == 302
    app.refresh_from_db()
    assert app.values["total_area"] == "650"
    assert app.values[other_field] == "300"


def test_a_save_reads_the_application_once_with_its_row_locked(client, liaoning):
    """Two saves at once are put in order by the row lock; the page's own read is that lock."""
    app, filler, admin = liaoning
    url, form = opened(client, app, "total_area")
    with CaptureQueriesContext(connection) as captured:
        assert client.post(url, {**form, "total_area": "650"}).status_code == 302
    reads = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith("SELECT") and 'FROM "applications_application"' in q["sql"]
    ]
    assert len(reads) == 1
    if connection.features.has_select_for_update:
        assert reads[0].endswith('FOR UPDATE OF "applications_application"')
    app.refresh_from_db()
    assert app.values["total_area"] == "650"


def test_a_late_submission_is_refused_with_the_deadline(client, liaoning):
    app, filler, admin = liaoning
    WebFiller(client, app).fill_everything()
    deadline = app.definition.first_deadline
    with time_machine.travel(deadline + timedelta(minutes=1)):
        client.force_login(admin)
        response = client.post(reverse("applications:submit", args=[app.pk]), follow=True)
    assert "已过申报截止时间" in response.content.decode()
    app.refresh_from_db()
    assert app.status != Status.SUBMITTED


def test_an_incomplete_application_cannot_be_submitted(client, liaoning):
    app, filler, admin = liaoning
    client.force_login(admin)
    response = client.post(reverse("applications:submit", args=[app.pk]), follow=True)
    assert "申报材料尚不完整" in response.content.decode()


def test_the_commitment_must_be_signed_in_the_legal_representatives_name(client, jiangsu):
    app, _f, _a = jiangsu
    response = client.post(
        reverse("applications:commitment", args=[app.pk]), {"signer_name": "李四", "confirm": "on"}
    )
    assert "应与机构登记的法定代表人“张明”一致" in response.content.decode()
    assert not app.commitments.exists()


def test_a_change_after_signing_needs_a_new_signature(client, jiangsu):
    app, filler, admin = jiangsu
    WebFiller(client, app).fill_everything()
    section_post(client, app, section_with(app, "own_area"), {"own_area": "990"})
    client.force_login(admin)
    response = client.post(reverse("applications:submit", args=[app.pk]), follow=True)
    assert "请先由法定代表人签署信用承诺" in response.content.decode(), [
        str(m) for m in response.context["messages"]
    ]


def test_the_admin_sends_it_back_with_comments_and_the_filler_sees_them(client, liaoning):
    app, filler, admin = liaoning
    client.post(reverse("applications:send_to_admin", args=[app.pk]))
    client.force_login(admin)
    assert (
        client.post(reverse("applications:send_back", args=[app.pk]), {"comment": ""}).status_code
        == 200
    )
    client.post(
        reverse("applications:send_back", args=[app.pk]), {"comment": "场地面积请核对租赁合同"}
    )
    app.refresh_from_db()
    assert app.status == Status.DRAFT
    client.force_login(filler)
    assert "场地面积请核对租赁合同" in client.get(reverse("applications:home")).content.decode()


def test_a_submitted_application_is_frozen_withdrawn_with_a_reason_then_editable(client, liaoning):
    app, filler, admin = liaoning
    WebFiller(client, app).fill_everything()
    client.force_login(admin)
    client.post(reverse("applications:submit", args=[app.pk]))
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED
    frozen = section_post(
        client, app, section_with(app, "total_area"), {"total_area": "1"}
    ).content.decode()
    assert "不能修改" in frozen
    assert (
        client.post(reverse("applications:withdraw", args=[app.pk]), {"reason": ""}).status_code
        == 200
    )
    client.post(reverse("applications:withdraw", args=[app.pk]), {"reason": "补充场地证明"})
    app.refresh_from_db()
    assert app.status == Status.DRAFT
    assert app.submissions.get().withdraw_reason == "补充场地证明"


def test_the_overview_of_a_submitted_application_names_where_it_went_in_one_read(client, liaoning):
    """The page applicants look at most once they have submitted reads the authority with the
    application, not on its own."""
    app, filler, admin = liaoning
    WebFiller(client, app).fill_everything()
    client.force_login(admin)
    client.post(reverse("applications:submit", args=[app.pk]))
    app.refresh_from_db()
    with CaptureQueriesContext(connection) as captured:
        body = client.get(reverse("applications:overview", args=[app.pk])).content.decode()
    assert app.first_level.name in body
    assert not [
        q for q in captured.captured_queries if q["sql"].startswith('SELECT "orgs_authority"')
    ]


def test_a_taken_up_application_cannot_be_withdrawn(client, liaoning):
    from django.utils import timezone

    app, filler, admin = liaoning
    WebFiller(client, app).fill_everything()
    client.force_login(admin)
    client.post(reverse("applications:submit", args=[app.pk]))
    type(app).objects.filter(pk=app.pk).update(taken_up_at=timezone.now())
    response = client.post(
        reverse("applications:withdraw", args=[app.pk]), {"reason": "x"}, follow=True
    )
    assert "审核单位已受理，不能撤回" in response.content.decode()


def test_each_submitted_version_is_kept_and_verifiable(client, liaoning):
    app, filler, admin = liaoning
    WebFiller(client, app).fill_everything()
    client.force_login(admin)
    client.post(reverse("applications:submit", args=[app.pk]))
    client.post(reverse("applications:withdraw", args=[app.pk]), {"reason": "更正"})
    WebFiller(client, app).sign()
    client.post(reverse("applications:submit", args=[app.pk]))
    first, second = app.submissions.order_by("number")
    assert (first.number, second.number) == (1, 2)
    assert first.verification_code != second.verification_code
    client.logout()
    page = client.get(
        reverse("applications:verify"), {"code": second.verification_code.replace("-", "").lower()}
    ).content.decode()
    assert "核验码有效" in page and app.space_name in page
    assert (
        "未找到该核验码"
        in client.get(reverse("applications:verify"), {"code": "AAAA-BBBB-CCCC"}).content.decode()
    )


def test_an_implausible_number_is_warned_about_but_kept(client, liaoning):
    app, _f, _a = liaoning
    page = section_post(
        client, app, section_with(app, "total_area"), {"total_area": "2500000"}
    ).content.decode()
    assert "偏大，请核对" in page
    app.refresh_from_db()
    assert app.values["total_area"] == "2500000"


def test_numbers_show_their_units_and_computed_values_are_not_inputs(client, liaoning):
    app, _f, _a = liaoning
    page = client.get(
        reverse("applications:section", args=[app.pk, section_with(app, "total_area")])
    ).content.decode()
    assert '<span class="unit">m²</span>' in page
    computed = next(
        f for f in app.definition.all_fields() if f.type == "computed" and f.key in page
    )
    assert f'name="{computed.key}"' not in page
    assert f'<output id="id_{computed.key}"' in page
