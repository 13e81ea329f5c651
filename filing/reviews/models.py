"""How each level of a call's route handles the applications it receives.

A Review is one application at one level: received, taken up, checked, decided, ranked and
forwarded. A LevelList is one authority's list for one call at one level: signed off by its
leader and forwarded as a whole. Only reviews.services changes their state.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from filing.reviews.constants import ExtensionKind, JobStatus, ReviewStatus, SiteCheck


class ReviewQuerySet(models.QuerySet):
    def visible_to(self, user) -> ReviewQuerySet:
        """Staff see the reviews held by authorities in their area; nobody else sees any."""
        if not user.is_authenticated or not user.authority_id:
            return self.none() if not getattr(user, "is_superuser", False) else self
        # The few authorities are read first and named in the query: the planner then knows how
        # many reviews each holds (a subquery left it guessing a handful, and it joined a
        # bureau's hundred thousand reviews with their applications before sorting a page).
        return self.filter(authority__in=user.authority.area_ids)

    def held_by(self, user) -> ReviewQuerySet:
        """The reviews at the person's own authority: the ones they act on."""
        if not user.is_authenticated or not user.authority_id:
            return self.none()
        return self.filter(authority_id=user.authority_id)


class Review(models.Model):
    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="reviews"
    )
    level_key = models.CharField(_("审核层级"), max_length=60)
    level_index = models.PositiveSmallIntegerField()
    authority = models.ForeignKey(
        "orgs.Authority",
        verbose_name=_("审核单位"),
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=ReviewStatus.choices,
        default=ReviewStatus.RECEIVED,
        db_index=True,
    )
    rank = models.PositiveIntegerField(_("排名"), null=True, blank=True)
    checklist = models.JSONField(_("形式审查"), default=dict, blank=True)
    site_check = models.CharField(
        _("实地核查"), max_length=10, choices=SiteCheck.choices, default=SiteCheck.UNCHECKED
    )
    site_check_date = models.DateField(_("核查日期"), null=True, blank=True)
    site_check_inspectors = models.CharField(_("核查人员"), max_length=200, blank=True)
    site_check_findings = models.TextField(_("核查情况"), blank=True)
    opinion = models.TextField(_("审核意见"), blank=True)
    decision_reason = models.TextField(_("退回或不予推荐理由"), blank=True)
    received_at = models.DateTimeField(_("收到时间"))
    taken_up_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Copied from the application when it arrives (copied_from): the workbench filters a bureau's
    # tens of thousands of reviews by call, operator and city, and counting them through a join
    # with every application took longer than the whole page may.
    call = models.ForeignKey(
        "calls.Call", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    city = models.ForeignKey(
        "reference.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["level_index", "rank", "received_at"]
        verbose_name = _("审核")
        verbose_name_plural = _("审核")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "level_key"], name="one_review_per_level"
            ),
        ]
        # The workbench lists a bureau's reviews newest or oldest first, a page at a time.
        indexes = [
            models.Index(fields=["authority", "status"]),
            models.Index(
                fields=["authority", "received_at", "id"], name="review_authority_received"
            ),
            models.Index(fields=["authority", "call"], name="review_authority_call"),
            models.Index(fields=["authority", "city"], name="review_authority_city"),
        ]

    def __str__(self) -> str:
        return f"{self.application} @ {self.authority}"

    @staticmethod
    def copied_from(application) -> dict[str, Any]:
        """The application's facts a review keeps a copy of, as keyword arguments."""
        return {
            "call_id": application.call_id,
            "organisation_id": application.organisation_id,
            "city_id": application.organisation.city_id,
        }


class LevelList(models.Model):
    """One authority's recommendation list for one call at one route level."""

    call = models.ForeignKey("calls.Call", on_delete=models.PROTECT, related_name="level_lists")
    level_key = models.CharField(max_length=60)
    authority = models.ForeignKey(
        "orgs.Authority", on_delete=models.PROTECT, related_name="level_lists"
    )
    signed_off_at = models.DateTimeField(_("负责人签发时间"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    forwarded_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("推荐名单")
        verbose_name_plural = _("推荐名单")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "level_key", "authority"], name="one_list_per_level"
            )
        ]

    def __str__(self) -> str:
        return f"{self.call} · {self.authority}"


class DishonestyQuerySet(models.QuerySet):
    def live_on(self, day) -> DishonestyQuerySet:
        return self.filter(starts_on__lte=day).filter(
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=day)
        )


class DishonestyRecord(models.Model):
    """失信记录: while live, the organisation cannot be recommended or filed."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="dishonesty_records"
    )
    reason = models.TextField(_("失信事由"))
    starts_on = models.DateField(_("起始日期"))
    ends_on = models.DateField(_("截止日期"), null=True, blank=True)
    authority = models.ForeignKey("orgs.Authority", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = DishonestyQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("失信记录")
        verbose_name_plural = _("失信记录")

    def __str__(self) -> str:
        return f"{self.organisation} · {self.starts_on}"


def package_path(instance: PackageBuild, filename: str) -> str:
    return f"packages/{instance.level_list_id}/{instance.pk}-{filename}"


class PackageBuild(models.Model):
    """One build of a level's materials ZIP, done by the task queue; the page shows progress."""

    level_list = models.ForeignKey(LevelList, on_delete=models.CASCADE, related_name="builds")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=package_path, max_length=300, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("材料打包")
        verbose_name_plural = _("材料打包")

    def __str__(self) -> str:
        return f"{self.level_list} #{self.pk}"

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0


# ----- deadlines and fairness ----------------------------------------------------------------


class AppendOnly(models.Model):
    """Rows that are written once: a later row supersedes an earlier one, nothing is edited."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError(f"{type(self).__name__} rows are never changed; add a new one")
        super().save(*args, **kwargs)


class DeadlineExtension(AppendOnly):
    """A deadline moved later, by whom and why (see reviews.deadlines).

    ``kind`` says which deadline: the applicants' submission deadline to the first level
    (granted by the first-level authority, for one application or for all its applicants), or
    a level's own forwarding deadline (granted by the authority of the next level up, for one
    authority below it or, with ``for_authority`` empty, for all below it).
    """

    Kind = ExtensionKind

    call = models.ForeignKey(
        "calls.Call", on_delete=models.PROTECT, related_name="deadline_extensions"
    )
    kind = models.CharField(_("延期事项"), max_length=20, choices=ExtensionKind.choices)
    level_key = models.CharField(_("审核层级"), max_length=60)
    authority = models.ForeignKey(
        "orgs.Authority",
        verbose_name=_("批准单位"),
        on_delete=models.PROTECT,
        related_name="granted_extensions",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("申报"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deadline_extensions",
    )
    for_authority = models.ForeignKey(
        "orgs.Authority",
        verbose_name=_("延期单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deadline_extensions",
    )
    new_deadline = models.DateTimeField(_("延至"))
    reason = models.TextField(_("延期理由"))
    created_at = models.DateTimeField(_("批准时间"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("截止时间延期")
        verbose_name_plural = _("截止时间延期")
        indexes = [models.Index(fields=["call", "kind", "level_key"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(application__isnull=True)
                | (models.Q(kind=ExtensionKind.SUBMISSION) & models.Q(for_authority__isnull=True)),
                name="extension_for_one_application_or_one_authority",
            ),
            models.CheckConstraint(
                condition=models.Q(kind=ExtensionKind.LEVEL) | models.Q(for_authority__isnull=True),
                name="extension_for_an_authority_is_a_level_extension",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.call} · {self.level_key} · {self.new_deadline:%Y-%m-%d %H:%M}"


class ConflictDeclaration(AppendOnly):
    """回避: a staff member keeps out of one application. Irreversible."""

    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.CASCADE,
        related_name="conflict_declarations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("声明人"),
        on_delete=models.PROTECT,
        related_name="conflict_declarations",
    )
    authority = models.ForeignKey(
        "orgs.Authority", verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("回避事由"))
    declared_at = models.DateTimeField(_("声明时间"), default=timezone.now)

    class Meta:
        ordering = ["declared_at"]
        verbose_name = _("回避声明")
        verbose_name_plural = _("回避声明")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "user"], name="one_declaration_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.application}"
