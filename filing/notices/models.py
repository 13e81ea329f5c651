"""Notices (消息): what the platform tells one person, in the platform and by e-mail.

A notice is written once, when something happens (an audit event) or a deadline draws near,
and never rewritten: the inbox shows it, e-mail carries it. Its text is kept in Chinese, the
platform's language, and in English, so each person reads it in the language they chose.
``dedupe_key`` is unique per recipient: the same reminder or the same event never reaches a
person twice, however often the code that writes notices runs.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection, models
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from filing.notices.constants import NoticeKind


class NoticeQuerySet(models.QuerySet):
    def for_user(self, user) -> NoticeQuerySet:
        """A person's own notices; nobody sees another's."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient_id=user.pk)

    def unread(self) -> NoticeQuerySet:
        return self.filter(read_at__isnull=True)

    def unread_count(self, user) -> int:
        """The header's badge on every page: `for_user(user).unread().count()`, written out
        because building that query cost more than running it."""
        if not user.is_authenticated:
            return 0
        table = connection.ops.quote_name(self.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM {table} WHERE recipient_id = %s AND read_at IS NULL",  # noqa: S608 - the model's own table
                [user.pk],
            )
            return cursor.fetchone()[0]


class Notice(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收件人"),
        on_delete=models.CASCADE,
        related_name="notices",
    )
    kind = models.CharField(_("类型"), max_length=30, choices=NoticeKind.choices)
    subject = models.CharField(_("标题"), max_length=300)
    body = models.TextField(_("内容"))
    subject_en = models.CharField(max_length=300, blank=True)
    body_en = models.TextField(blank=True)
    # Where the notice leads: a path inside the platform.
    link = models.CharField(_("链接"), max_length=500, blank=True)
    # What it is about, named as the audit trail names objects ("applications.application", "12").
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    dedupe_key = models.CharField(max_length=200)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], name="one_notice_per_recipient_and_key"
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.subject}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def display_subject(self) -> str:
        return self.subject_en if get_language() == "en" and self.subject_en else self.subject

    @property
    def display_body(self) -> str:
        return self.body_en if get_language() == "en" and self.body_en else self.body

    @property
    def has_english(self) -> bool:
        """Whether the English text says more than the Chinese (it does once translated)."""
        return bool(self.subject_en or self.body_en) and (
            self.subject_en != self.subject or self.body_en != self.body
        )

    @property
    def local_link(self) -> str:
        """The link if it is a path on this site, else nothing: opening a notice never leaves it."""
        link = self.link
        if (
            link.startswith("/")
            and not link.startswith("//")
            and "\\" not in link
            and url_has_allowed_host_and_scheme(link, allowed_hosts=set())
        ):
            return link
        return ""
