"""Liaoning's city publicises its recommended list; the public reads it and objects; staff
handle each objection; forwarding waits for the period and for every objection."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from filing.applications.constants import Status
from filing.orgs.models import Authority
from filing.publicity.constants import ObjectionStatus
from filing.publicity.models import Objection, Publicity
from filing.reviews.constants import ReviewStatus
from filing.reviews.models import Review
from filing.reviews.tests.routing import filled_and_recommended, publicise, staff

CODE = "liaoning-2021-rehearsal"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def two_recommended(client, seed_calls, applicant):
    """Two Shenyang applications recommended by the city, ranked 1 and 2."""
    reviews = [
        filled_and_recommended(client, applicant, CODE, "210100", name, n)
        for n, name in [(1, "沈阳第一众创空间"), (2, "沈阳第二众创空间")]
    ]
    assert [r.rank for r in reviews] == [1, 2]
    return reviews


def lodge(client, publicity, entry, address="127.0.0.1", **overrides):
    data = {
        "entry": entry.pk,
        "name": "王五",
        "phone": "13900001111",
        "email": "wangwu@example.com",
        "content": "该空间的入驻团队名单中有三家企业并未实际入驻，请核查。",
    }
    data.update(overrides)
    return client.post(reverse("publicity:lodge", args=[publicity.pk]), data, REMOTE_ADDR=address)


def forward_messages(client, reviewer_authority, when):
    with time_machine.travel(when):
        client.force_login(staff(reviewer_authority, "leader"))
        response = client.post(reverse("reviews:forward", args=[CODE, "city"]), follow=True)
    return [str(m) for m in response.context["messages"]]


def test_forwarding_waits_for_publicity_period_and_objections(client, two_recommended):
    first, second = two_recommended
    city = first.authority
    client.force_login(staff(city, "leader"))
    client.post(reverse("reviews:sign_off", args=[CODE, "city"]))

    # Liaoning's route asks for publicity: no forwarding without it.
    messages = forward_messages(client, city, timezone.now())
    assert any("须先公示" in m for m in messages)

    client.force_login(staff(city, "reviewer"))
    publicity = publicise(client, CODE, "city")
    assert [e.space_name for e in publicity.entries.all()] == [
        "沈阳第一众创空间",
        "沈阳第二众创空间",
    ]

    messages = forward_messages(client, city, timezone.now())
    assert any("期满后才能报送" in m for m in messages)

    client.logout()
    entry = publicity.entries.get(position=2)
    response = lodge(client, publicity, entry)
    objection = Objection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("publicity:objection_status", args=[objection.reference])

    tomorrow = timezone.now() + timedelta(days=1)
    messages = forward_messages(client, city, tomorrow)
    assert any("1 件公示异议未处理" in m for m in messages)
    first.refresh_from_db()
    assert first.status == ReviewStatus.RECOMMENDED

    with time_machine.travel(tomorrow):
        client.force_login(staff(city, "reviewer"))
        client.post(
            reverse("publicity:handle", args=[objection.pk]),
            {"decision": "uphold", "response": "经现场核查，三家企业未入驻，异议成立。"},
        )
    messages = forward_messages(client, city, tomorrow)
    assert any("已报送上一级" in m for m in messages), messages
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == ReviewStatus.FORWARDED
    assert second.status == ReviewStatus.NOT_RECOMMENDED
    assert "异议成立" in second.decision_reason
    province = Review.objects.filter(level_key="province").values_list(
        "application__space_name", flat=True
    )
    assert list(province) == ["沈阳第一众创空间"]
    second.application.refresh_from_db()
    assert second.application.status == Status.NOT_RECOMMENDED


def test_the_public_page_lists_names_only_and_takes_an_objection(client, two_recommended):
    city = two_recommended[0].authority
    client.force_login(staff(city, "reviewer"))
    publicity = publicise(client, CODE, "city")
    client.logout()

    index = client.get(reverse("publicity:index")).content.decode()
    assert publicity.title in index
    page = client.get(reverse("publicity:notice", args=[publicity.pk])).content.decode()
    assert "沈阳第一众创空间" in page and "沈阳第二众创空间" in page
    assert "13812345678" not in page  # the applicants' mobile numbers
    assert reverse("publicity:lodge", args=[publicity.pk]) in page
    assert reverse("publicity:manage", args=[publicity.pk]) not in page

    entry = publicity.entries.get(position=1)
    response = lodge(
        client,
        publicity,
        entry,
        name="",
        phone="12345",
    )
    assert response.status_code == 200
    assert Objection.objects.count() == 0
    assert "此字段是必填项" in response.content.decode() or "required" in response.content.decode()

    response = client.post(
        reverse("publicity:lodge", args=[publicity.pk]),
        {
            "entry": entry.pk,
            "name": "王五",
            "phone": "12345",
            "content": "该空间场地面积与实际不符，请核查。",
        },
        follow=True,
    )
    assert "有效的联系电话" in response.content.decode()
    assert Objection.objects.count() == 0

    fake = SimpleUploadedFile("证明.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(
        reverse("publicity:lodge", args=[publicity.pk]),
        {
            "entry": entry.pk,
            "name": "王五",
            "phone": "024-23983139",
            "content": "该空间场地面积与实际不符，请核查。",
            "files": [fake],
        },
        follow=True,
    )
    assert "不是允许的类型" in response.content.decode()
    assert Objection.objects.count() == 0

    proof = SimpleUploadedFile("../../证明.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("publicity:lodge", args=[publicity.pk]),
        {
            "entry": entry.pk,
            "name": "王五",
            "phone": "024-23983139",
            "content": "该空间场地面积与实际不符，请核查。",
            "files": [proof],
        },
        follow=True,
    )
    objection = Objection.objects.get()
    assert objection.files.get().original_name == "证明.pdf"
    status_page = response.content.decode()
    assert objection.reference in status_page and "待处理" in status_page
    assert "024-23983139" not in status_page

    # Staff of the city see the contact details and the file; another city's staff do not.
    client.force_login(staff(Authority.objects.get(code="ln-210200"), "reviewer"))
    assert client.get(reverse("publicity:manage", args=[publicity.pk])).status_code == 404
    file_url = reverse("publicity:objection_file", args=[objection.pk, objection.files.get().pk])
    assert client.get(file_url).status_code == 404
    client.force_login(staff(city, "reviewer"))
    manage = client.get(reverse("publicity:manage", args=[publicity.pk])).content.decode()
    assert "024-23983139" in manage and "王五" in manage
    download = client.get(file_url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF

    # Dismissing needs a reason; the objector reads it with the reference.
    response = client.post(
        reverse("publicity:handle", args=[objection.pk]), {"decision": "dismiss"}, follow=True
    )
    assert "请写明处理意见" in response.content.decode()
    client.post(
        reverse("publicity:handle", args=[objection.pk]),
        {"decision": "dismiss", "response": "经核查，场地面积与申报一致。"},
    )
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.DISMISSED
    client.logout()
    status_page = client.get(
        reverse("publicity:find_objection"), {"reference": objection.reference.lower()}, follow=True
    ).content.decode()
    assert "异议不成立" in status_page and "场地面积与申报一致" in status_page
    # A dismissed objection leaves the list as it was.
    page = client.get(reverse("publicity:notice", args=[publicity.pk])).content.decode()
    assert "沈阳第一众创空间" in page


def test_no_objection_after_the_period(client, two_recommended):
    city = two_recommended[0].authority
    client.force_login(staff(city, "reviewer"))
    publicity = publicise(client, CODE, "city")
    client.logout()
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        response = lodge(client, publicity, publicity.entries.first())
        assert response.status_code == 302
        assert response["Location"] == reverse("publicity:notice", args=[publicity.pk])
        page = client.get(reverse("publicity:notice", args=[publicity.pk])).content.decode()
        assert "公示已结束" in page
    assert Objection.objects.count() == 0


def test_objections_are_rate_limited_per_address(client, two_recommended, settings):
    settings.OBJECTION_RATE = "2/h"
    from django.core.cache import cache

    cache.clear()
    city = two_recommended[0].authority
    client.force_login(staff(city, "reviewer"))
    publicity = publicise(client, CODE, "city")
    client.logout()
    entry = publicity.entries.first()
    responses = [lodge(client, publicity, entry, address="203.0.113.9") for _ in range(3)]
    assert [r.status_code for r in responses] == [302, 302, 200]
    assert "提交过于频繁" in responses[2].content.decode()
    assert Objection.objects.count() == 2
    # Another address is not held back by the first one.
    other = lodge(client, publicity, entry, address="198.51.100.7")
    assert other.status_code == 302, other.content.decode()[-3000:]


def test_the_list_is_frozen_while_publicised(client, two_recommended):
    first, second = two_recommended
    client.force_login(staff(first.authority, "reviewer"))
    publicise(client, CODE, "city")
    response = client.post(
        reverse("reviews:decide", args=[second.pk]),
        {"decision": "not_recommend", "reason": "改变主意"},
        follow=True,
    )
    assert "已公示" in response.content.decode()
    second.refresh_from_db()
    assert second.status == ReviewStatus.RECOMMENDED
    # A second publicity of the same list is not opened; the page leads to the first one.
    response = client.get(reverse("publicity:open", args=[CODE, "city"]))
    assert response.status_code == 302
    assert Publicity.objects.count() == 1


def test_publicity_needs_every_application_decided_and_the_right_staff(
    client, seed_calls, applicant, two_recommended
):
    from filing.applications.tests.filling import WebFiller, start

    org, filler, admin = applicant("210100", None, 3)
    client.force_login(filler)
    app = start(client, CODE, "maker_space", "沈阳第三众创空间")
    WebFiller(client, app).fill_everything()
    client.force_login(admin)
    client.post(reverse("applications:submit", args=[app.pk]))
    city = two_recommended[0].authority
    client.force_login(staff(city, "reviewer"))
    response = client.post(
        reverse("publicity:open", args=[CODE, "city"]),
        {"title": "公示", "closes_on": timezone.localdate().isoformat()},
        follow=True,
    )
    assert "1 件申报未作决定" in response.content.decode()
    assert Publicity.objects.count() == 0
    # An applicant cannot open one.
    client.force_login(admin)
    response = client.post(
        reverse("publicity:open", args=[CODE, "city"]),
        {"title": "公示", "closes_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 403
    assert Publicity.objects.count() == 0


def test_pages_in_english(client, two_recommended):
    city = two_recommended[0].authority
    client.force_login(staff(city, "reviewer"))
    publicity = publicise(client, CODE, "city")
    client.logout()
    client.cookies["django_language"] = "en"
    page = client.get(reverse("publicity:notice", args=[publicity.pk])).content.decode()
    assert "Lodge an objection" in page
    assert "Maker space" in page or "maker space" in page


def test_applicants_hear_of_the_publicity_and_staff_of_each_objection(client, two_recommended):
    from filing.notices.models import Notice

    first, second = two_recommended
    city = first.authority
    client.force_login(staff(city, "reviewer"))
    publicity = publicise(client, CODE, "city")
    admins = [
        r.application.organisation.members.filter(role="org_admin").get() for r in (first, second)
    ]
    for admin in admins:
        notice = Notice.objects.get(recipient=admin, kind="publicity_opened")
        assert notice.link == reverse("publicity:notice", args=[publicity.pk])
    leader = staff(city, "leader")
    client.logout()
    lodge(client, publicity, publicity.entries.first())
    leader_notice = Notice.objects.get(recipient=leader, kind="objection_lodged")
    assert publicity.title in leader_notice.subject
    assert leader_notice.link == reverse("publicity:manage", args=[publicity.pk])
    assert "三家企业" not in leader_notice.body  # the content stays on the staff page


def test_a_closing_date_years_away_or_at_the_end_of_the_calendar_is_refused(
    client, two_recommended
):
    city = two_recommended[0].authority
    client.force_login(staff(city, "reviewer"))
    for day in ("9999-12-31", (timezone.localdate() + timedelta(days=400)).isoformat()):
        response = client.post(
            reverse("publicity:open", args=[CODE, "city"]), {"title": "公示", "closes_on": day}
        )
        assert response.status_code == 200
        assert "公示期不能超过一年" in response.content.decode()
    assert Publicity.objects.count() == 0
