"""What a level decides reaches the applicant: a return at once, with its reasons and the date to
resubmit by; a recommendation or its refusal only when the leader signs the level's list; the
filing decision at the last level. Each goes to the organisation's admins and to the fillers who
worked on the application, in the platform and by e-mail."""

import pytest
from django.urls import reverse

from filing.notices.constants import SUBJECT_PREFIX, NoticeKind
from filing.notices.models import Notice
from filing.notices.tests.helpers import (
    decide,
    notices_of,
    return_for_revision,
    sign_off,
    submit,
    take_up,
)
from filing.orgs.tests.factories import UserFactory
from filing.reviews.models import Review
from filing.reviews.tests.routing import act_at_level, staff, walk


@pytest.fixture
def submitted(client, seed_calls, applicant):
    app, filler, admin = submit(client, applicant)
    return app, Review.objects.get(application=app), filler, admin


def test_a_return_tells_the_admins_and_the_fillers_why_and_by_when(
    client, submitted, committed, mailoutbox
):
    app, review, filler, admin = submitted
    bystander = UserFactory(username="bystander", filler=True, organisation=app.organisation)
    with committed():
        by = return_for_revision(client, review, reasons="请补充场地租赁合同和消防验收证明")
    for person in (filler, admin):
        [notice] = notices_of(person)
        assert notice.kind == NoticeKind.RETURNED
        assert "退回修改" in notice.subject and app.space_name in notice.subject
        assert "请补充场地租赁合同和消防验收证明" in notice.body
        assert by.isoformat() in notice.body
        assert "广州市科学技术局" in notice.body
        assert notice.link == reverse("applications:overview", args=[app.pk])
        assert notice.emailed_at is not None
    assert notices_of(bystander) == []
    assert notices_of(staff(review.authority, "reviewer")) == []
    assert sorted(m.to[0] for m in mailoutbox) == sorted([filler.email, admin.email])
    mail = mailoutbox[0]
    assert mail.subject.startswith(SUBJECT_PREFIX)
    assert app.space_name in mail.subject
    assert "请补充场地租赁合同和消防验收证明" in mail.body
    assert by.isoformat() in mail.body
    html = mail.alternatives[0][0]
    assert "请补充场地租赁合同和消防验收证明" in html
    assert "/notices/" in mail.body and "/notices/" in html


def test_a_recommendation_is_not_announced_before_the_list_is_signed_off(
    client, submitted, committed, mailoutbox
):
    app, review, filler, admin = submitted
    with committed():
        take_up(client, review)
        decide(client, review, recommend=True)
    assert notices_of(admin) == [] and notices_of(filler) == []
    assert mailoutbox == []
    with committed():
        sign_off(client, review)
    [notice] = notices_of(admin)
    assert notice.kind == NoticeKind.RECOMMENDED
    assert "获 广州市科学技术局 推荐" in notice.subject
    assert "省科技厅审核推荐" in notice.body  # where it goes next
    assert len(notices_of(filler)) == 1
    assert sorted(m.to[0] for m in mailoutbox) == sorted([filler.email, admin.email])


def test_signing_off_tells_each_applicant_its_own_result_only(
    client, seed_calls, applicant, committed, mailoutbox
):
    app1, filler1, admin1 = submit(client, applicant, n=1, name="甲专业化众创空间")
    app2, filler2, admin2 = submit(client, applicant, n=2, name="乙专业化众创空间")
    review1 = Review.objects.get(application=app1)
    review2 = Review.objects.get(application=app2)
    take_up(client, review1)
    take_up(client, review2)
    decide(client, review1, recommend=True)
    decide(client, review2, recommend=False, reason="场地面积不足500平方米")
    with committed():
        sign_off(client, review1)
    [good] = notices_of(admin1)
    [bad] = notices_of(admin2)
    assert good.kind == NoticeKind.RECOMMENDED and "甲专业化众创空间" in good.subject
    assert bad.kind == NoticeKind.NOT_RECOMMENDED and "乙专业化众创空间" in bad.subject
    assert "场地面积不足500平方米" in bad.body
    assert "乙" not in good.body and "甲" not in bad.body
    to_admin2 = [m for m in mailoutbox if m.to == [admin2.email]]
    assert len(to_admin2) == 1 and "场地面积不足500平方米" in to_admin2[0].body


def test_the_filing_decision_reaches_the_applicant(client, submitted, committed, mailoutbox):
    app, review, filler, admin = submitted
    with committed():
        walk(client, app)
    kinds = [n.kind for n in Notice.objects.filter(recipient=admin).order_by("pk")]
    # Recommended by the city and by the province, then filed by the ministry.
    assert kinds == [NoticeKind.RECOMMENDED, NoticeKind.RECOMMENDED, NoticeKind.FILED]
    filed = Notice.objects.get(recipient=admin, kind=NoticeKind.FILED)
    assert "准予备案" in filed.subject and "备案名单" in filed.body
    assert any("准予备案" in m.subject and m.to == [filler.email] for m in mailoutbox)


def test_a_refused_filing_says_why(client, submitted, committed, mailoutbox):
    app, review, filler, admin = submitted
    route = app.definition.route
    for index in range(len(route) - 1):
        act_at_level(client, Review.objects.get(application=app, level_index=index), last=False)
    last = Review.objects.get(application=app, level_index=len(route) - 1)
    take_up(client, last)
    with committed():
        client.post(
            reverse("reviews:decide_filing", args=[last.pk]),
            {"decision": "not_file", "reason": "服务绩效未达到备案条件"},
        )
    notice = Notice.objects.get(recipient=admin, kind=NoticeKind.NOT_FILED)
    assert "不予备案" in notice.subject
    assert "服务绩效未达到备案条件" in notice.body
    assert [m.to for m in mailoutbox if "不予备案" in m.subject] == [[filler.email], [admin.email]]


def test_the_level_that_receives_a_resubmission_hears_it_is_one(
    client, submitted, committed, mailoutbox
):
    from filing.applications.tests.filling import WebFiller

    app, review, filler, admin = submitted
    reviewer = staff(review.authority, "reviewer")
    return_for_revision(client, review)
    client.force_login(filler)
    WebFiller(client, app).sign()
    client.force_login(admin)
    with committed():
        client.post(reverse("applications:submit", args=[app.pk]))
    [again] = notices_of(reviewer, NoticeKind.APPLICATION_RECEIVED)
    assert "重新提交" in again.body and "第 2 版" in again.body
    assert again.link == reverse("reviews:detail", args=[review.pk])
    assert [m.to for m in mailoutbox] == [[reviewer.email]]
