"""E-mail goes out only after the step commits, never for a step that rolled back, and never
breaks the step: a failure is logged and the notice stays in the platform, not marked e-mailed.
People without an address get the notice in the platform only."""

import logging

import pytest
from django.core import mail
from django.db import transaction

from filing.applications import services as applications
from filing.applications.tests.filling import start
from filing.audit.models import AuditEvent
from filing.notices import services
from filing.notices.models import Notice
from filing.notices.rules import RULES
from filing.notices.tests.helpers import make_notice, notices_of, return_for_revision, submit
from filing.orgs.tests.factories import UserFactory
from filing.reviews.models import Review


@pytest.fixture
def draft(client, seed_calls, applicant):
    org, filler, admin = applicant("440100")
    client.force_login(filler)
    app = start(client, "guangdong-2020-rehearsal", "professional", "广州测试专业化众创空间")
    return app, filler, admin


class Boom(Exception):
    pass


def test_a_step_that_rolls_back_sends_nothing(draft, committed, mailoutbox):
    app, filler, admin = draft
    with committed(), pytest.raises(Boom), transaction.atomic():
        applications.send_to_admin(app, actor=filler)
        assert len(notices_of(admin)) == 1  # written inside the step's transaction
        raise Boom
    assert Notice.objects.count() == 0
    assert mailoutbox == []


def test_nothing_is_sent_before_the_commit(draft, django_capture_on_commit_callbacks, mailoutbox):
    app, filler, admin = draft
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        applications.send_to_admin(app, actor=filler)
    assert mailoutbox == [] and len(callbacks) == 1
    callbacks[0]()
    assert [m.to for m in mailoutbox] == [[admin.email]]


def test_a_mail_server_that_is_down_does_not_break_the_step(
    client, seed_calls, applicant, committed, settings, caplog
):
    settings.EMAIL_BACKEND = "filing.notices.tests.backends.DownBackend"
    app, filler, admin = submit(client, applicant)
    review = Review.objects.get(application=app)
    with committed(), caplog.at_level(logging.ERROR, logger="filing.notices.services"):
        return_for_revision(client, review)
    app.refresh_from_db()
    assert app.status == "returned"
    [notice] = notices_of(admin)
    assert notice.emailed_at is None
    assert "e-mail connection failed" in caplog.text


def test_a_failure_after_the_commit_is_logged_and_the_step_stands(
    draft, committed, monkeypatch, caplog
):
    """E.g. a task queue that cannot be reached: the notice is kept, the step is not undone."""

    def unreachable(ids):
        raise Boom("the broker is not answering")

    monkeypatch.setattr(services, "deliver", unreachable)
    app, filler, admin = draft
    with committed(), caplog.at_level(logging.ERROR, logger="django.db.backends.base"):
        applications.send_to_admin(app, actor=filler)
    assert len(notices_of(admin)) == 1
    assert "send_notice_emails" in caplog.text and "the broker is not answering" in caplog.text


def test_one_refused_address_does_not_stop_the_others(draft, committed, settings, caplog):
    settings.EMAIL_BACKEND = "filing.notices.tests.backends.BouncingBackend"
    app, filler, admin = draft
    bouncing = UserFactory(
        username="bouncing-admin",
        org_admin=True,
        organisation=app.organisation,
        email="bounce@example.cn",
    )
    with committed(), caplog.at_level(logging.ERROR, logger="filing.notices.services"):
        applications.send_to_admin(app, actor=filler)
    assert [m.to for m in mail.outbox] == [[admin.email]]
    assert notices_of(admin)[0].emailed_at is not None
    assert notices_of(bouncing)[0].emailed_at is None
    assert "bounce@example.cn" in caplog.text


def test_a_broken_rule_is_logged_and_the_step_goes_on(draft, monkeypatch, caplog):
    app, filler, admin = draft

    def broken(event):
        raise RuntimeError("rule bug")

    monkeypatch.setitem(RULES, "application.sent_to_admin", broken)
    with caplog.at_level(logging.ERROR, logger="filing.notices.services"):
        applications.send_to_admin(app, actor=filler)
    app.refresh_from_db()
    assert app.status == "awaiting_approval"
    assert AuditEvent.objects.filter(event="application.sent_to_admin").exists()
    assert Notice.objects.count() == 0
    assert "rule bug" in caplog.text


def test_people_without_an_address_get_the_notice_in_the_platform_only(
    draft, committed, mailoutbox
):
    app, filler, admin = draft
    admin.email = ""
    admin.save(update_fields=["email"])
    with committed():
        applications.send_to_admin(app, actor=filler)
    [notice] = notices_of(admin)
    assert notice.emailed_at is None
    assert mailoutbox == []


def test_deliver_sends_each_notice_once(db, mailoutbox):
    person = UserFactory(username="person")
    first, second = make_notice(person), make_notice(person)
    assert services.deliver([first.pk, second.pk]) == 2
    assert services.deliver([first.pk, second.pk]) == 0
    assert len(mailoutbox) == 2
    first.refresh_from_db()
    assert first.emailed_at is not None


def test_an_english_translation_follows_the_chinese(db, mailoutbox):
    person = UserFactory(username="person")
    notice = make_notice(
        person,
        subject="申报被退回修改",
        body="请补充材料。",
        subject_en="Application returned for revision",
        body_en="Please add the missing documents.",
    )
    services.deliver([notice.pk])
    [message] = mailoutbox
    assert message.subject == "【众创空间备案平台】申报被退回修改"
    assert message.body.index("请补充材料。") < message.body.index("Please add the missing")
    assert "Please add the missing documents." in message.alternatives[0][0]
