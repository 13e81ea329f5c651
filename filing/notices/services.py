"""Writing notices, sending them by e-mail, and marking them read.

Notices are written inside the transaction of the step that caused them, so a step that rolls
back leaves none; their e-mails go out only after the commit. ``deliver`` is the one function
that sends e-mail: today it runs in the same process right after the commit; a task queue may
call it later instead (it takes only ids, and skips what was already sent).

Reading a notice is not audited: it changes nothing but the reader's own inbox.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from filing.audit.models import AuditEvent
from filing.notices.constants import SUBJECT_PREFIX
from filing.notices.messages import Draft
from filing.notices.models import Notice
from filing.notices.rules import RULES

logger = logging.getLogger(__name__)

PLATFORM_LANGUAGE = "zh-hans"


def _render(draft: Draft, language: str) -> tuple[str, str]:
    with translation.override(language):
        subject = " ".join(draft.subject.render().split())[:300]
        body = "\n".join(p.render() for p in draft.body)
    return subject, body


def write_notices(drafts: Iterable[Draft], *, key_prefix: str = "", exclude=None) -> list[Notice]:
    """Write each draft's notice to each recipient once; returns the notices written now.

    A notice whose (recipient, dedupe key) exists already is not written again, which makes
    reminders safe to compute as often as one likes. ``exclude`` is a person never told (the one
    who took the step).
    """
    written: list[Notice] = []
    for draft in drafts:
        recipients = {u.pk: u for u in draft.recipients if u.pk != exclude}
        if not recipients:
            continue
        subject, body = _render(draft, PLATFORM_LANGUAGE)
        subject_en, body_en = _render(draft, "en")
        key = ":".join(part for part in (key_prefix, draft.key) if part)[:200]
        for user in recipients.values():
            notice, created = Notice.objects.get_or_create(
                recipient=user,
                dedupe_key=key,
                defaults={
                    "kind": draft.kind,
                    "subject": subject,
                    "body": body,
                    "subject_en": subject_en,
                    "body_en": body_en,
                    "link": draft.link[:500],
                    "object_type": draft.object_type,
                    "object_id": draft.object_id,
                },
            )
            if created:
                written.append(notice)
    return written


def dispatch(event: AuditEvent) -> list[Notice]:
    """Write the notices the event's rule asks for and send their e-mails after the commit.

    A failing rule is logged and tells nobody; it never undoes the step that wrote the event.
    """
    rule = RULES.get(event.event)
    if rule is None:
        return []
    try:
        with transaction.atomic():
            notices = write_notices(
                rule(event), key_prefix=f"event:{event.pk}", exclude=event.actor_id
            )
    except Exception:
        logger.exception("notices for audit event %s (%s) failed", event.pk, event.event)
        return []
    schedule_delivery([n.pk for n in notices])
    return notices


def schedule_delivery(notice_ids: list[int]) -> None:
    """Send the e-mails once the current transaction commits; nothing if it rolls back.

    With a task queue a worker sends them (notices.deliver), so the person whose step caused
    them never waits for the mail server; without one they are sent inline after the commit.
    """
    if not notice_ids:
        return
    from filing.celery import app as queue
    from filing.notices.tasks import deliver_task

    ids = list(notice_ids)

    # A named function, not functools.partial: Django names the callback when it logs a failure
    # (a broker that cannot be reached), and a partial has no name to give.
    def send_notice_emails() -> None:
        if queue.conf.task_always_eager:
            deliver(ids)
        else:
            deliver_task.delay(ids)

    transaction.on_commit(send_notice_emails, robust=True)


def deliver(notice_ids: Iterable[int]) -> int:
    """E-mail the given notices not yet e-mailed; returns how many were sent.

    Recipients without an address keep the notice in the platform only. A failure is logged,
    leaves ``emailed_at`` empty, and never reaches the person whose step caused the notice.
    """
    notices = list(
        Notice.objects.filter(pk__in=list(notice_ids), emailed_at__isnull=True)
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("pk")
    )
    if not notices:
        return 0
    try:
        connection = mail.get_connection()
        connection.open()
    except Exception:
        logger.exception("e-mail connection failed; %d notice(s) not e-mailed", len(notices))
        return 0
    sent = 0
    try:
        for notice in notices:
            try:
                message = email_for(notice, connection=connection)
                if not message.send():
                    raise RuntimeError("the e-mail backend sent nothing")
            except Exception:
                logger.exception(
                    "e-mail for notice %s to %s failed", notice.pk, notice.recipient.email
                )
                continue
            Notice.objects.filter(pk=notice.pk).update(emailed_at=timezone.now())
            sent += 1
    finally:
        try:
            connection.close()
        except Exception:
            logger.exception("closing the e-mail connection failed")
    return sent


def email_for(notice: Notice, *, connection=None) -> mail.EmailMultiAlternatives:
    """The e-mail for a notice: Chinese first, then English where it has been translated."""
    context = {
        "notice": notice,
        "url": settings.SITE_URL.rstrip("/") + reverse("notices:open", args=[notice.pk]),
        "inbox_url": settings.SITE_URL.rstrip("/") + reverse("notices:inbox"),
    }
    with translation.override(PLATFORM_LANGUAGE):
        text = render_to_string("notices/email/notice.txt", context)
        html = render_to_string("notices/email/notice.html", context)
    message = mail.EmailMultiAlternatives(
        subject=f"{SUBJECT_PREFIX}{notice.subject}",
        body=text,
        to=[notice.recipient.email],
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    return message


# ----- the reader's side ---------------------------------------------------------------------


def mark_read(notice: Notice, *, now=None) -> None:
    if notice.read_at is None:
        notice.read_at = now or timezone.now()
        Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=notice.read_at)


def mark_all_read(user, *, now=None) -> int:
    return Notice.objects.for_user(user).unread().update(read_at=now or timezone.now())
