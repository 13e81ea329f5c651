"""Applications (申报材料): what an organisation fills for a call, and each version it submits.

An application pins the call-definition version it was started under. Field values are kept as
typed (``values``), roster rows in their own table (so a resident company's credit code can be
looked up across applications), files as Attachment rows. Only the services in services.py
change ``status``.
"""

from __future__ import annotations

import secrets
from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from filing.applications.constants import EDITABLE, Status
from filing.calls.schema import CallDefinition


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user) -> ApplicationQuerySet:
        """Applicants see their organisation's applications; staff those in their area, except
        the ones they declared a conflict of interest with (reviews.ConflictDeclaration)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.organisation_id:
            return self.filter(organisation_id=user.organisation_id)
        if user.authority_id:
            from filing.orgs.models import Organisation

            root = user.authority.jurisdiction_root
            return (
                self.exclude(status__in=[Status.DRAFT, Status.AWAITING_APPROVAL])
                .filter(
                    Q(first_level__path__startswith=root.path)
                    | Q(
                        organisation__in=Organisation.objects.filter(
                            Organisation.jurisdiction_q(root)
                        )
                    )
                )
                .exclude(conflict_declarations__user=user)
            )
        return self.none()


class Application(models.Model):
    call = models.ForeignKey("calls.Call", on_delete=models.PROTECT, related_name="applications")
    call_version = models.ForeignKey(
        "calls.CallVersion", on_delete=models.PROTECT, related_name="applications"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="applications"
    )
    track = models.CharField(_("类别"), max_length=60)
    status = models.CharField(
        _("状态"), max_length=30, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    space_name = models.CharField(_("众创空间名称"), max_length=200, blank=True, db_index=True)
    values = models.JSONField(_("填报内容"), default=dict, blank=True)
    revision = models.PositiveIntegerField(_("修订号"), default=1)
    first_level = models.ForeignKey(
        "orgs.Authority",
        verbose_name=_("初审单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="received_applications",
    )
    admin_comment = models.TextField(_("机构管理员意见"), blank=True)
    # What the reviewing authority asked when it returned the application, and by when.
    review_comment = models.TextField(_("审核单位退回意见"), blank=True)
    resubmit_by = models.DateTimeField(_("重新提交截止"), null=True, blank=True)
    # Copies made at submission for the reviewers' filters.
    field_code = models.CharField(_("专业领域"), max_length=12, blank=True, db_index=True)
    rule_failures = models.PositiveSmallIntegerField(_("不符合条件数"), default=0)
    rule_undecided = models.PositiveSmallIntegerField(_("无法判断条件数"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    taken_up_at = models.DateTimeField(_("受理时间"), null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("申报")
        verbose_name_plural = _("申报")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "organisation", "space_name"],
                condition=~Q(space_name=""),
                name="one_application_per_space_and_call",
            )
        ]

    def __str__(self) -> str:
        return self.space_name or f"{self.organisation} · {self.call}"

    @cached_property
    def definition(self) -> CallDefinition:
        if not Application.call_version.is_cached(self):
            from filing.calls.models import version_without_definition

            self.call_version = version_without_definition(self.call_version_id)
        return self.call_version.parsed

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def track_title(self) -> str:
        track = next((t for t in self.definition.tracks if t.key == self.track), None)
        return track.title.zh if track else self.track


class RosterRow(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="rows")
    roster = models.CharField(_("名单"), max_length=60)
    position = models.PositiveIntegerField(_("序号"))
    values = models.JSONField(_("内容"), default=dict)
    # Indexed copies for integrity signals across applications of one call.
    name = models.CharField(max_length=200, blank=True, db_index=True)
    credit_code = models.CharField(max_length=18, blank=True, db_index=True)

    class Meta:
        ordering = ["roster", "position"]
        verbose_name = _("名单行")
        verbose_name_plural = _("名单行")

    def __str__(self) -> str:
        return f"{self.roster} #{self.position} {self.name}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name never reuses the uploader's name: it cannot traverse or collide.
    return f"applications/{instance.application_id}/{secrets.token_hex(16)}"


class Attachment(models.Model):
    """A file for a checklist item, or evidence for one roster row."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    item = models.CharField(_("材料项"), max_length=60)
    row = models.ForeignKey(
        RosterRow, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "uploaded_at"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.original_name


class CommitmentAcceptance(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="commitments"
    )
    key = models.CharField(max_length=60)
    signer_name = models.CharField(_("签署人"), max_length=50)
    text = models.TextField(_("承诺内容"))
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(auto_now_add=True)
    revision = models.PositiveIntegerField(_("对应修订号"))

    class Meta:
        ordering = ["-accepted_at"]
        verbose_name = _("信用承诺")
        verbose_name_plural = _("信用承诺")

    def __str__(self) -> str:
        return f"{self.key} · {self.signer_name}"


class Submission(models.Model):
    """One submitted version, frozen: what the authority received and the paper copy shows."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="submissions"
    )
    number = models.PositiveIntegerField(_("版本"))
    content = models.JSONField(_("提交内容"))
    digest = models.CharField(_("摘要"), max_length=64)
    verification_code = models.CharField(_("核验码"), max_length=20, unique=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdraw_reason = models.TextField(blank=True)
    # The cells of the call's summary table this version fills (reviews.package
    # submission_cells), worked out once at submission: {"table": key, "cells": {column: text}}.
    summary_cells = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["application", "-number"]
        verbose_name = _("提交版本")
        verbose_name_plural = _("提交版本")
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="unique_submission")
        ]

    def __str__(self) -> str:
        return f"{self.application} v{self.number}"


class StatusChange(models.Model):
    """One change of an application's status, written by services.set_status and nothing else.

    The time spent in each state is read from these rows (applications.history).
    """

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("原状态"), max_length=30, choices=Status.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=30, choices=Status.choices)
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("状态变更")
        verbose_name_plural = _("状态变更")
        indexes = [models.Index(fields=["application", "at"])]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_status or '-'} → {self.to_status}"
