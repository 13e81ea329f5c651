"""Calls (通知 / 申报批次) and the versions of their definitions.

A call's definition is kept whole, as loaded, in CallVersion.definition; the Call row holds the
few columns that pages list and filter by. Applications will pin the version they were made
under, so a new version never changes what an applicant already filled.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import datetime
from functools import cached_property

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from filing.calls.constants import CallStatus
from filing.calls.schema import CallDefinition


class CallQuerySet(models.QuerySet):
    def published(self) -> CallQuerySet:
        return self.filter(current_version__isnull=False)

    def open_at(self, now: datetime) -> CallQuerySet:
        return self.filter(opens_at__lte=now, submission_deadline__gte=now)

    def upcoming_at(self, now: datetime) -> CallQuerySet:
        return self.filter(opens_at__gt=now)

    def past_at(self, now: datetime) -> CallQuerySet:
        return self.filter(submission_deadline__lt=now)


class Call(models.Model):
    code = models.SlugField(_("代码"), max_length=80, unique=True)
    title = models.CharField(_("名称"), max_length=200)
    title_en = models.CharField(_("英文名称"), max_length=300)
    issuer = models.ForeignKey(
        "orgs.Authority", verbose_name=_("发文单位"), on_delete=models.PROTECT, related_name="calls"
    )
    document_number = models.CharField(_("文号"), max_length=60, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    feeds = models.ForeignKey(
        "self",
        verbose_name=_("汇入的国家批次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rounds",
    )
    is_rehearsal = models.BooleanField(_("演练批次"), default=False)
    rehearsal_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="rehearsals"
    )
    opens_at = models.DateTimeField(_("开始申报"))
    submission_deadline = models.DateTimeField(_("申报截止"), null=True, blank=True)
    final_deadline = models.DateTimeField(_("最终截止"), null=True, blank=True)
    current_version = models.ForeignKey(
        "CallVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when a reviewing authority first extends a submission deadline of this call (reviews
    # .deadlines): every application page shows the applicant's deadline, and while no
    # extension exists it is the call's own, read without asking for extensions.
    submission_extended = models.BooleanField(default=False, editable=False)

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "code"]
        verbose_name = _("申报批次")
        verbose_name_plural = _("申报批次")

    def __str__(self) -> str:
        return self.title

    @cached_property
    def definition(self) -> CallDefinition:
        if self.current_version_id and not Call.current_version.is_cached(self):
            self.current_version = version_without_definition(self.current_version_id)
        return self.current_version.parsed

    def display_title(self) -> str:
        return self.title_en if get_language() == "en" else self.title

    def status_at(self, now: datetime) -> CallStatus:
        if now < self.opens_at:
            return CallStatus.UPCOMING
        if self.submission_deadline is None or now <= self.submission_deadline:
            return CallStatus.OPEN
        if self.final_deadline and now <= self.final_deadline:
            return CallStatus.REVIEWING
        return CallStatus.CLOSED

    @property
    def status(self) -> CallStatus:
        return self.status_at(timezone.now())


class CallVersion(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField(_("版本"))
    definition = models.JSONField(_("定义"))
    checksum = models.CharField(_("校验和"), max_length=64)
    source_file = models.CharField(_("来源文件"), max_length=300, blank=True)
    loaded_at = models.DateTimeField(_("载入时间"), auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["call", "-version"]
        verbose_name = _("批次定义版本")
        verbose_name_plural = _("批次定义版本")
        constraints = [
            models.UniqueConstraint(fields=["call", "version"], name="unique_call_version")
        ]

    def __str__(self) -> str:
        return f"{self.call.code} v{self.version}"

    @cached_property
    def parsed(self) -> CallDefinition:
        """The definition as objects, shared by every request of the process (see _parsed)."""
        return _parsed(self)


# Parsed definitions, shared within a process and keyed by their checksum (a SHA-256 of what
# the file says, so equal keys mean equal content). Every application page needs its call's
# definition: decoding and validating one costs milliseconds that each request would spend
# again. The objects are frozen (calls.schema.Strict), so sharing them is safe. A page that
# reads only `parsed` may defer the `definition` column: it is read only when not yet kept.
_PARSED: OrderedDict[str, CallDefinition] = OrderedDict()
_PARSED_LOCK = threading.Lock()
PARSED_KEPT = 64


def version_without_definition(pk: int) -> CallVersion:
    """A version whose `parsed` is read from the shared copy; its definition column (tens of
    kilobytes of JSON) is fetched only if this process has not parsed it yet."""
    return CallVersion.objects.defer("definition").get(pk=pk)


def _parsed(version: CallVersion) -> CallDefinition:
    key = version.checksum
    with _PARSED_LOCK:
        found = _PARSED.get(key)
        if found is not None:
            _PARSED.move_to_end(key)
            return found
    found = CallDefinition.model_validate(version.definition)
    with _PARSED_LOCK:
        _PARSED[key] = found
        while len(_PARSED) > PARSED_KEPT:
            _PARSED.popitem(last=False)
    return found
