"""Within one call, the same resident company, team, mentor or evidence file in more than one
submitted application is signalled on each of them, with the others named; a declared number that
disagrees with the rosters is signalled on its application. Drafts take no part; an application
that leaves the reviewers' hands takes its signals with it; refreshing changes nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from filing.applications.constants import Status
from filing.applications.models import Application
from filing.applications.tests.filling import WebFiller
from filing.audit.models import AuditEvent
from filing.integrity.constants import SignalKind
from filing.integrity.models import Signal
from filing.integrity.presentation import describe
from filing.integrity.services import refresh_call_signals
from filing.integrity.tests.making import (
    LN,
    make_application,
    pdf,
    sha256,
    submit,
    submitted,
)
from filing.reviews.models import Review
from filing.reviews.tests.routing import staff

# Guangdong's filler marks the first team and company as holding IP: two holders.
GD_VALUES = {"ip_holder_count": "2"}


@pytest.fixture
def make(client, seed_calls, applicant, monkeypatch, django_capture_on_commit_callbacks):
    def made(n, name, **kwargs):
        kwargs.setdefault("values", GD_VALUES if "call" not in kwargs else None)
        return submitted(
            client, applicant, monkeypatch, django_capture_on_commit_callbacks,
            n=n, name=name, **kwargs,
        )  # fmt: skip

    return made


def signals(app, kind=None):
    qs = Signal.objects.filter(application=app)
    return list(qs.filter(kind=kind) if kind else qs)


def code_of(app, roster, position):
    return app.rows.get(roster=roster, position=position).values["credit_code"]


def test_applications_without_overlaps_have_no_signals(make):
    a = make(1, "甲专业化众创空间")
    b = make(2, "乙专业化众创空间")
    assert signals(a) == [] and signals(b) == []


def test_the_same_resident_company_is_signalled_on_both_applications(make):
    a = make(1, "甲专业化众创空间")
    b = make(
        2, "乙专业化众创空间", rows={("companies", 2): {"credit_code": code_of(a, "companies", 1)}}
    )
    (on_a,) = signals(a)
    (on_b,) = signals(b)
    assert on_a.kind == on_b.kind == SignalKind.SHARED_COMPANY
    assert on_a.key == on_b.key == code_of(a, "companies", 1)
    assert on_a.others == [b.pk] and on_b.others == [a.pk]
    assert on_a.call.code == "national-2020-4th-rehearsal"  # compared across the whole family
    assert describe(on_a, a.definition) == ["入驻企业名单第 1 行：入驻企业名单第1名" + str(a.pk)]
    assert describe(on_b, b.definition) == ["入驻企业名单第 2 行：入驻企业名单第2名" + str(b.pk)]


def test_the_same_team_is_signalled_but_a_namesake_with_another_mobile_is_not(make):
    a = make(1, "甲专业化众创空间")
    team = a.rows.get(roster="teams", position=1).values["name"]
    b = make(2, "乙专业化众创空间", rows={("teams", 2): {"name": f" {team} "}})
    c = make(3, "丙专业化众创空间", rows={("teams", 1): {"name": team, "mobile": "13900000000"}})
    (on_a,) = signals(a)
    assert on_a.kind == SignalKind.SHARED_TEAM
    assert on_a.key == f"{team}|13812345678"
    assert on_a.others == [b.pk]
    assert signals(c) == []


def test_the_same_mentor_in_two_liaoning_applications_is_signalled(make):
    kwargs = {"call": LN, "track": "maker_space", "city": "210100"}
    a = make(1, "甲众创空间", **kwargs)
    mentor = a.rows.get(roster="mentors", position=1).values["name"]
    b = make(2, "乙众创空间", rows={("mentors", 1): {"name": mentor}}, **kwargs)
    assert [s.kind for s in signals(a)] == [SignalKind.SHARED_MENTOR]
    (on_b,) = signals(b)
    assert on_b.others == [a.pk]
    assert describe(on_b, b.definition) == [f"创业导师（行业导师）名单第 1 行：{mentor}"]


def test_identical_file_bytes_are_signalled_with_every_copy_named(make):
    same = pdf("one scan for two spaces")
    a = make(1, "甲专业化众创空间", file_bytes=same)
    b = make(2, "乙专业化众创空间", file_bytes=same)
    (on_a,) = signals(a)
    assert on_a.kind == SignalKind.SHARED_FILE
    assert on_a.key == sha256(same)
    assert on_a.others == [b.pk]
    assert len(on_a.data["files"]) == a.files.count()
    lines = describe(on_a, a.definition)
    assert (
        "入驻创业团队名单第 1 行 入驻团队与众创空间签署的孵化服务协议或入驻协议复印件：agreement-1-0.pdf"
        in lines
    )
    assert "附件 1.(1) 运营机构法人营业执照、组织机构代码证复印件：附件1.(1).pdf" in lines


def test_a_declared_number_that_disagrees_with_the_rosters_is_signalled(make):
    # 20 teams and companies hold IP, says the form; the rosters mark two.
    a = make(1, "甲专业化众创空间", values={"ip_holder_count": "20"})
    (on_a,) = signals(a)
    assert on_a.kind == SignalKind.COUNT_MISMATCH
    assert on_a.key == "rule:ip_holders_match_rosters"
    assert on_a.others == []
    assert describe(on_a, a.definition)[0].startswith("知识产权团队（企业）数与名单一致：")


def test_a_roster_count_that_disagrees_is_signalled_by_the_same_check_as_before_submission(make):
    # Submission refuses it, so it is made here behind the pages' back.
    a = make(1, "甲专业化众创空间")
    Application.objects.filter(pk=a.pk).update(values={**a.values, "team_count": "5"})
    refresh_call_signals(a.call)
    (on_a,) = signals(a)
    assert (on_a.kind, on_a.key) == (SignalKind.COUNT_MISMATCH, "team_count")
    assert describe(on_a, a.definition) == [
        "入驻创业团队数量(个)填报为 5，但入驻创业团队名单有 2 行，两者应一致。"
    ]


def test_drafts_and_applications_awaiting_their_admin_take_no_part(
    client, make, applicant, monkeypatch, django_capture_on_commit_callbacks
):
    a = make(1, "甲专业化众创空间")
    shared = {("companies", 1): {"credit_code": code_of(a, "companies", 1)}}
    draft, filler, admin = make_application(
        client, applicant, monkeypatch, n=2, name="乙专业化众创空间", values=GD_VALUES, rows=shared
    )
    refresh_call_signals(a.call)
    assert Signal.objects.count() == 0
    client.force_login(filler)
    client.post(reverse("applications:send_to_admin", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == Status.AWAITING_APPROVAL
    refresh_call_signals(a.call)
    assert Signal.objects.count() == 0
    submit(client, django_capture_on_commit_callbacks, draft, admin)
    assert [s.kind for s in signals(a)] == [SignalKind.SHARED_COMPANY]


def test_a_withdrawn_application_takes_its_signals_with_it(
    client, seed_calls, applicant, monkeypatch, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    a = submitted(client, applicant, monkeypatch, capture, n=1, name="甲专业化众创空间", values=GD_VALUES)  # fmt: skip
    shared = {("companies", 1): {"credit_code": code_of(a, "companies", 1)}}
    b, _filler, admin = make_application(
        client, applicant, monkeypatch, n=2, name="乙专业化众创空间", values=GD_VALUES, rows=shared
    )
    submit(client, capture, b, admin)
    assert len(signals(a)) == 1
    with capture(execute=True):
        client.post(reverse("applications:withdraw", args=[b.pk]), {"reason": "补充材料"})
    b.refresh_from_db()
    assert b.status == Status.DRAFT
    assert signals(a) == [] and signals(b) == []


def test_refreshing_again_changes_nothing_and_a_full_refresh_is_recorded(make):
    a = make(1, "甲专业化众创空间", values={"ip_holder_count": "20"})
    make(
        2, "乙专业化众创空间", rows={("companies", 1): {"credit_code": code_of(a, "companies", 1)}}
    )

    def snapshot():
        return sorted(
            (s.application_id, s.kind, s.key, s.others, s.data) for s in Signal.objects.all()
        )

    before = snapshot()
    assert len(before) == 3  # the company on both, the count on the first
    assert refresh_call_signals(a.call) == 3
    assert refresh_call_signals(a.call) == 3
    assert snapshot() == before
    event = AuditEvent.objects.filter(event="integrity.refreshed").first()
    assert event.object_repr == str(a.call.feeds) and event.data == {"signals": 3}


def test_an_application_returned_for_revision_leaves_until_it_is_resubmitted(
    client, seed_calls, applicant, monkeypatch, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    a = submitted(client, applicant, monkeypatch, capture, n=1, name="甲专业化众创空间", values=GD_VALUES)  # fmt: skip
    shared = {("companies", 1): {"credit_code": code_of(a, "companies", 1)}}
    b, filler, admin = make_application(
        client, applicant, monkeypatch, n=2, name="乙专业化众创空间", values=GD_VALUES, rows=shared
    )
    submit(client, capture, b, admin)
    review = Review.objects.get(application=b)
    client.force_login(staff(review.authority, "reviewer"))
    client.post(reverse("reviews:take_up", args=[review.pk]))
    by = (timezone.localdate() + timedelta(days=30)).isoformat()
    with capture(execute=True):
        client.post(
            reverse("reviews:return", args=[review.pk]),
            {"reasons": "请核实入驻企业", "resubmit_by": by},
        )
    b.refresh_from_db()
    assert b.status == Status.RETURNED
    assert signals(a) == [] and signals(b) == []
    client.force_login(filler)
    WebFiller(client, b).sign()
    submit(client, capture, b, admin)
    assert [s.others for s in signals(a)] == [[b.pk]]


def test_a_submission_rebuilds_only_what_it_shares_and_agrees_with_a_full_refresh(make):
    def snapshot():
        return sorted(
            (s.application_id, s.kind, s.key, s.others, s.data) for s in Signal.objects.all()
        )

    def agrees_with_full_refresh(call):
        after_submission = snapshot()
        refresh_call_signals(call)
        assert snapshot() == after_submission

    same = pdf("one scan for two spaces")
    a = make(1, "甲专业化众创空间", file_bytes=same)
    b = make(2, "乙专业化众创空间", file_bytes=same)
    agrees_with_full_refresh(a.call)
    file_signal_ids = set(Signal.objects.values_list("pk", flat=True))
    assert len(file_signal_ids) == 2
    company = code_of(a, "companies", 1)
    c = make(3, "丙专业化众创空间", rows={("companies", 2): {"credit_code": company}})
    # c shares a company with a: a gains a signal naming c; the file signals of a and b, which
    # c has no part in, are left as they were.
    assert set(Signal.objects.values_list("pk", flat=True)) >= file_signal_ids
    assert [s.others for s in signals(c)] == [[a.pk]]
    assert sorted(s.kind for s in signals(a)) == [SignalKind.SHARED_COMPANY, SignalKind.SHARED_FILE]
    agrees_with_full_refresh(a.call)
    d = make(4, "丁专业化众创空间", rows={("companies", 1): {"credit_code": company}})
    assert [s.others for s in signals(d)] == [[a.pk, c.pk]]
    assert [s.others for s in signals(a, SignalKind.SHARED_COMPANY)] == [[c.pk, d.pk]]
    agrees_with_full_refresh(a.call)
    assert signals(b, SignalKind.SHARED_COMPANY) == []
