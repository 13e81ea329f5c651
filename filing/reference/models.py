"""Reference data: regions (GB/T 2260) and the high-tech field catalogue (2016)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
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


@dataclass(frozen=True)
class CatalogueItem:
    code: str
    name: str
    is_leaf: bool


@lru_cache(maxsize=4096)
def find_high_tech_field(text: str) -> CatalogueItem | None:
    """The catalogue item a typed value names: by its code ("1.1.2", or "1.1.2 电子信息/…"),
    its name or its full path.

    Every high-tech field of an application and of each roster row is checked through here, so
    an application with a 200-row roster would ask the database hundreds of times per page.
    The catalogue is reference data (loaded by migrations, changed only by `load_reference`),
    so answers are kept; any save or delete of an item empties the cache.
    """
    code = text.split(" ", 1)[0]
    item = (
        HighTechField.objects.filter(code=code).first()
        or HighTechField.objects.filter(name=text).first()
        or HighTechField.objects.filter(path=text).first()
    )
    return CatalogueItem(item.code, item.name, item.is_leaf) if item else None


@lru_cache(maxsize=1)
def leaf_paths() -> dict[str, str]:
    """The full path of every leaf of the catalogue by its code, kept like the answers above
    (each submission puts its field into words for the summary table)."""
    return dict(HighTechField.objects.filter(is_leaf=True).values_list("code", "path"))


@receiver([post_save, post_delete], sender=HighTechField)
def _catalogue_changed(**kwargs) -> None:
    find_high_tech_field.cache_clear()
    leaf_paths.cache_clear()
