"""Reviewers see signals: a badge and a 诚信提示 filter on the workbench, the details on the
review page with links to the other applications they may open. A reviewer of another area
learns only that the same key appears elsewhere in the call, and how often — never the other
applicant's name. Applicants never see a signal. The workbench's query count stays flat."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from filing.applications.constants import Status
from filing.applications.tests.filling import start
from filing.integrity.constants import SignalKind
from filing.integrity.models import Signal
from filing.integrity.tests.making import submitted
from filing.orgs.models import Authority
from filing.reviews.models import Review
from filing.reviews.tests.routing import staff

GD_VALUES = {"ip_holder_count": "2"}


def reviewer(code):
    return staff(Authority.objects.get(code=code), "reviewer")


@pytest.fixture
def make(client, seed_calls, applicant, monkeypatch, django_capture_on_commit_callbacks):
    def made(n, name, **kwargs):
        return submitted(
            client, applicant, monkeypatch, django_capture_on_commit_callbacks,
            n=n, name=name, values=GD_VALUES, **kwargs,
        )  # fmt: skip

    return made


def sharing_a_company(make, *, other_city="440100"):
    a = make(1, "甲专业化众创空间")
    code = a.rows.get(roster="companies", position=1).values["credit_code"]
    b = make(2, "乙专业化众创空间", city=other_city, rows={("companies", 1): {"credit_code": code}})
    return a, b, code


def review_of(app):
    return Review.objects.get(application=app, level_index=0)


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_workbench_filters_by_signals_and_shows_a_badge(client, make):
    a, b, _code = sharing_a_company(make)
    make(3, "丙专业化众创空间")
    client.force_login(reviewer("gd-440100"))
    workbench = reverse("reviews:workbench")
    everything = page(client, workbench)
    assert "诚信提示：全部" in everything
    assert everything.count('class="badge badge-integrity"') == 2
    assert "诚信提示 1" in everything
    flagged = page(client, workbench, integrity="any")
    assert "甲专业化众创空间" in flagged and "乙专业化众创空间" in flagged
    assert "丙专业化众创空间" not in flagged
    clean = page(client, workbench, integrity="none")
    assert "丙专业化众创空间" in clean and "甲专业化众创空间" not in clean
    by_kind = page(client, workbench, integrity=SignalKind.SHARED_COMPANY)
    assert "甲专业化众创空间" in by_kind and "丙专业化众创空间" not in by_kind
    assert "甲专业化众创空间" not in page(client, workbench, integrity=SignalKind.SHARED_MENTOR)
    assert "丙专业化众创空间" in page(client, workbench, integrity="nonsense")


def test_the_review_page_shows_the_signal_and_links_the_other_application(client, make):
    a, b, code = sharing_a_company(make)
    client.force_login(reviewer("gd-440100"))
    detail = page(client, reverse("reviews:detail", args=[review_of(a).pk]))
    assert "诚信提示" in detail and "同一入驻企业" in detail
    assert code in detail
    assert f"入驻企业名单第 1 行：入驻企业名单第1名{a.pk}" in detail
    assert (
        f'<a href="{reverse("reviews:detail", args=[review_of(b).pk])}">乙专业化众创空间</a>'
        in (detail)
    )
    assert "本辖区以外的申报" not in detail


def test_another_citys_reviewer_learns_only_that_it_appears_elsewhere(client, make):
    a, b, code = sharing_a_company(make, other_city="440300")
    assert b.first_level.code == "gd-440300"
    client.force_login(reviewer("gd-440100"))
    detail = page(client, reverse("reviews:detail", args=[review_of(a).pk]))
    assert code in detail and "本辖区以外的申报 1 件" in detail
    assert "乙专业化众创空间" not in detail
    assert b.organisation.name not in detail
    assert reverse("reviews:detail", args=[review_of(b).pk]) not in detail
    client.force_login(reviewer("gd-440300"))
    detail = page(client, reverse("reviews:detail", args=[review_of(b).pk]))
    assert "本辖区以外的申报 1 件" in detail and "甲专业化众创空间" not in detail
    # The province sees both cities: it gets the name and the link.
    client.force_login(reviewer("gd"))
    detail = page(client, reverse("reviews:detail", args=[review_of(a).pk]))
    assert "乙专业化众创空间" in detail
    assert reverse("reviews:detail", args=[review_of(b).pk]) in detail
    assert "本辖区以外的申报" not in detail


def test_applicants_never_see_signals(client, make):
    a, b, code = sharing_a_company(make)
    assert Signal.objects.filter(application=a).exists()
    client.force_login(a.organisation.members.get(role="org_admin"))
    for name in ["applications:overview", "applications:check"]:
        body = page(client, reverse(name, args=[a.pk]))
        assert "诚信提示" not in body and "同一入驻企业" not in body
    assert client.get(reverse("reviews:detail", args=[review_of(a).pk])).status_code == 403


def test_the_workbench_query_count_stays_flat_with_signals(client, seed_calls, applicant):
    org, filler, admin = applicant("440100")
    client.force_login(filler)
    apps = [
        start(client, "guangdong-2020-rehearsal", "professional", f"空间{i}专业化众创空间")
        for i in range(12)
    ]
    authority = Authority.objects.get(code="gd-440100")
    now = timezone.now()
    for app in apps:
        type(app).objects.filter(pk=app.pk).update(status=Status.SUBMITTED, first_level=authority)
    root = apps[0].call.feeds
    Signal.objects.bulk_create(
        Signal(application=app, call=root, kind=kind, key=f"k{app.pk}", found_at=now)
        for app in apps[::2]
        for kind in [SignalKind.SHARED_COMPANY, SignalKind.SHARED_FILE]
    )
    client.force_login(staff(authority, "reviewer"))

    def count(n, **params):
        Review.objects.all().delete()
        Review.objects.bulk_create(
            Review(
                application=a,
                level_key="city",
                level_index=0,
                authority=authority,
                received_at=now,
                **Review.copied_from(a),
            )
            for a in apps[:n]
        )
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("reviews:workbench"), params)
        assert response.status_code == 200
        return len(ctx), response.content.decode().count("诚信提示 2")

    assert count(2) == (count(12)[0], 1)
    assert count(12) == (count(2)[0], 6)
    assert count(2, integrity="any")[0] == count(12, integrity="any")[0]
    assert count(12, integrity="shared_file")[1] == 6
