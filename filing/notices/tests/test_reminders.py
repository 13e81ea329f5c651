"""Three days before a deadline, applicants who have not submitted and levels that have not
forwarded their list are reminded, once: the command may run every hour. Nobody is reminded
after the deadline, too early, or once the work is done."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from filing.applications.tests.filling import start
from filing.notices.constants import NoticeKind
from filing.notices.models import Notice
from filing.notices.reminders import applicant_deadline
from filing.notices.tests.helpers import auth, notices_of, return_for_revision, submit
from filing.reviews.models import Review
from filing.reviews.tests.routing import act_at_level, staff


def remind(at):
    call_command("send_deadline_reminders", now=at.isoformat())


@pytest.fixture
def draft(client, seed_calls, applicant):
    org, filler, admin = applicant("440100")
    client.force_login(filler)
    app = start(client, "guangdong-2020-rehearsal", "professional", "广州测试专业化众创空间")
    return app, filler, admin, applicant_deadline(app)


def test_applicants_who_have_not_submitted_are_reminded_once(draft, committed, mailoutbox):
    app, filler, admin, deadline = draft
    with committed():
        remind(deadline - timedelta(days=2))
    for person in (filler, admin):
        [notice] = notices_of(person)
        assert notice.kind == NoticeKind.APPLICANT_DEADLINE
        assert "广州测试专业化众创空间" in notice.subject and "截止提交" in notice.subject
        assert timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M") in notice.body
        assert "草稿" in notice.body
        assert notice.link == reverse("applications:overview", args=[app.pk])
    assert sorted(m.to[0] for m in mailoutbox) == sorted([filler.email, admin.email])
    with committed():
        remind(deadline - timedelta(days=1))
        remind(deadline - timedelta(hours=2))
    assert Notice.objects.count() == 2
    assert len(mailoutbox) == 2


def test_nobody_is_reminded_too_early_or_after_the_deadline(draft, committed, mailoutbox):
    app, filler, admin, deadline = draft
    with committed():
        remind(deadline - timedelta(days=3, minutes=1))
        remind(deadline + timedelta(minutes=1))
    assert Notice.objects.count() == 0 and mailoutbox == []


def test_an_application_awaiting_its_admin_is_reminded(client, draft, committed):
    app, filler, admin, deadline = draft
    client.force_login(filler)
    client.post(reverse("applications:send_to_admin", args=[app.pk]))
    with committed():
        remind(deadline - timedelta(days=1))
    assert "待机构管理员审核" in notices_of(admin, NoticeKind.APPLICANT_DEADLINE)[0].body


def test_submitted_applicants_are_not_reminded(client, seed_calls, applicant, committed):
    app, filler, admin = submit(client, applicant)
    with committed():
        remind(applicant_deadline(app) - timedelta(days=1))
    assert notices_of(admin, NoticeKind.APPLICANT_DEADLINE) == []
    assert notices_of(filler, NoticeKind.APPLICANT_DEADLINE) == []


def test_a_returned_application_is_reminded_of_its_own_date(
    client, seed_calls, applicant, committed
):
    app, filler, admin = submit(client, applicant)
    by = return_for_revision(client, Review.objects.get(application=app), days=2)
    app.refresh_from_db()
    assert applicant_deadline(app) == app.resubmit_by
    assert app.definition.first_deadline - timezone.now() > timedelta(days=3)
    with committed():
        remind(timezone.now())
    [notice] = notices_of(admin, NoticeKind.APPLICANT_DEADLINE)
    assert by.isoformat() in notice.body and "退回修改" in notice.body


def test_a_level_that_has_not_forwarded_is_reminded_once(
    client, seed_calls, applicant, committed, mailoutbox
):
    reviewer = staff(auth("gd-440100"), "reviewer")
    leader = staff(auth("gd-440100"), "leader")
    elsewhere = staff(auth("gd-440300"), "reviewer")
    app, filler, admin = submit(client, applicant)
    mailoutbox.clear()
    level_deadline = app.definition.route[0].deadline
    with committed():
        remind(level_deadline - timedelta(days=1))
    for person in (reviewer, leader):
        [notice] = notices_of(person, NoticeKind.LEVEL_DEADLINE)
        assert "截止报送" in notice.subject
        assert "1 件申报" in notice.body
        assert notice.link == reverse(
            "reviews:level_list", args=["guangdong-2020-rehearsal", "city"]
        )
    assert notices_of(elsewhere) == []
    assert sorted(m.to[0] for m in mailoutbox) == sorted([reviewer.email, leader.email])
    with committed():
        remind(level_deadline - timedelta(hours=1))
    assert len(mailoutbox) == 2


def test_a_level_that_has_forwarded_is_not_reminded(client, seed_calls, applicant, committed):
    app, filler, admin = submit(client, applicant)
    act_at_level(client, Review.objects.get(application=app, level_index=0), last=False)
    assert Review.objects.filter(application=app, level_index=1).exists()
    with committed():
        remind(app.definition.route[0].deadline - timedelta(days=1))
    assert Notice.objects.filter(kind=NoticeKind.LEVEL_DEADLINE).count() == 0


def test_the_command_refuses_a_time_it_cannot_read(db):
    with pytest.raises(CommandError, match="ISO"):
        call_command("send_deadline_reminders", now="next tuesday")
