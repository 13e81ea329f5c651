"""Reference data: regions (GB/T 2260) and the high-tech field catalogue (2016)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("省级")
        CITY = "city", _("地市级")

    code = models.CharField(_("行政区划代码"), max_length=6, primary_key=True)
    name = models.CharField(_("名称"), max_length=50)
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")

    def __str__(self) -> str:
        return self.name


class HighTechFieldQuerySet(models.QuerySet):
    def selectable(self) -> HighTechFieldQuerySet:
        """The items an application may pick: the leaves of the tree (254 + 3)."""
        return self.filter(is_leaf=True)

    def search(self, text: str) -> HighTechFieldQuerySet:
        text = text.strip()
        if not text:
            return self.none()
        return self.filter(
            models.Q(name__icontains=text) | models.Q(path__icontains=text) | models.Q(code=text)
        )


class HighTechField(models.Model):
    """One item of 《国家重点支持的高新技术领域》; the code is the catalogue's own numbering."""

    catalogue = models.CharField(_("目录版本"), max_length=10, default="2016")
    code = models.CharField(_("编号"), max_length=12)
    name = models.CharField(_("名称"), max_length=100)
    level = models.PositiveSmallIntegerField(_("层级"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_leaf = models.BooleanField(_("可选（末级）"), default=False)
    path = models.CharField(_("完整路径"), max_length=300)
    sort_key = models.CharField(max_length=40)

    objects = HighTechFieldQuerySet.as_manager()

    class Meta:
        ordering = ["sort_key"]
        verbose_name = _("高新技术领域")
        verbose_name_plural = _("高新技术领域")
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "code"], name="unique_field_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.path}"
