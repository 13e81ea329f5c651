"""公示: a level publishes its recommended list for a period, and anyone may object.

A Publicity belongs to one level list and keeps a snapshot of the list as published (rank,
space, operator, city, track), so the public page shows what was published even while the
reviews move on. Entries hold public facts only: no people, no telephone numbers. An Objection
is lodged by anyone with contact details and files; staff of the publishing authority handle it,
and an upheld objection takes the application off the list.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from filing.publicity.constants import ObjectionStatus


class PublicityQuerySet(models.QuerySet):
    def open_at(self, now) -> PublicityQuerySet:
        return self.filter(opens_at__lte=now, closes_at__gt=now)


class Publicity(models.Model):
    level_list = models.OneToOneField(
        "reviews.LevelList", on_delete=models.PROTECT, related_name="publicity"
    )
    title = models.CharField(_("公示标题"), max_length=200)
    statement = models.TextField(_("公示说明"), blank=True)
    contact = models.CharField(
        _("受理异议的单位联系方式"),
        max_length=200,
        blank=True,
        help_text=_("单位办公电话或地址，不要填写个人手机号。"),
    )
    opens_at = models.DateTimeField(_("公示开始"))
    closes_at = models.DateTimeField(_("公示结束"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = PublicityQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("公示")
        verbose_name_plural = _("公示")

    def __str__(self) -> str:
        return self.title

    @property
    def authority(self):
        return self.level_list.authority

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def is_over(self, now=None) -> bool:
        return (now or timezone.now()) >= self.closes_at


class PublicityEntry(models.Model):
    """One line of the list as published."""

    publicity = models.ForeignKey(Publicity, on_delete=models.CASCADE, related_name="entries")
    review = models.ForeignKey("reviews.Review", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(_("序号"))
    space_name = models.CharField(_("众创空间名称"), max_length=200)
    operator_name = models.CharField(_("运营机构"), max_length=200)
    city_name = models.CharField(_("所在地市"), max_length=100, blank=True)
    track_zh = models.CharField(max_length=100, blank=True)
    track_en = models.CharField(max_length=200, blank=True)
    removed_at = models.DateTimeField(_("移出名单时间"), null=True, blank=True)
    removed_reason = models.TextField(_("移出名单理由"), blank=True)

    class Meta:
        ordering = ["position"]
        verbose_name = _("公示名单条目")
        verbose_name_plural = _("公示名单条目")

    def __str__(self) -> str:
        return self.space_name

    @property
    def track_title(self) -> str:
        return self.track_en if get_language() == "en" and self.track_en else self.track_zh


def new_reference() -> str:
    """A code the objector keeps to follow their objection; hard to guess."""
    return secrets.token_hex(6).upper()


class Objection(models.Model):
    """异议: lodged by anyone during the period; contact details are seen by staff only."""

    publicity = models.ForeignKey(Publicity, on_delete=models.PROTECT, related_name="objections")
    entry = models.ForeignKey(
        PublicityEntry,
        verbose_name=_("异议对象"),
        on_delete=models.PROTECT,
        related_name="objections",
    )
    reference = models.CharField(_("受理编号"), max_length=12, unique=True, default=new_reference)
    name = models.CharField(_("异议人姓名或单位"), max_length=100)
    phone = models.CharField(_("联系电话"), max_length=30)
    email = models.EmailField(_("电子邮箱"), blank=True)
    content = models.TextField(_("异议内容"))
    lodged_at = models.DateTimeField(_("提出时间"))
    status = models.CharField(
        _("处理状态"),
        max_length=12,
        choices=ObjectionStatus.choices,
        default=ObjectionStatus.PENDING,
        db_index=True,
    )
    response = models.TextField(_("处理意见"), blank=True)
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["lodged_at"]
        verbose_name = _("异议")
        verbose_name_plural = _("异议")

    def __str__(self) -> str:
        return self.reference


def objection_file_path(instance: ObjectionFile, filename: str) -> str:
    return f"objections/{instance.objection.publicity_id}/{secrets.token_hex(8)}-{filename}"


class ObjectionFile(models.Model):
    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=objection_file_path, max_length=300)
    original_name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("异议材料")
        verbose_name_plural = _("异议材料")

    def __str__(self) -> str:
        return self.original_name
