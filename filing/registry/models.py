"""The filed list (备案名单): the maker spaces an authority has filed, as the public sees them.

An entry comes from one of two places: a filing decision on an application in this platform
(``services.enter_filed_space``), or a list published before the platform existed, kept as a
data file in definitions/registry/ and loaded by a migration and ``manage.py load_registry``.
An entry holds public summary facts only (names, place, field, kind, level, batch, document);
nothing about people, and no telephone numbers or e-mail addresses.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from filing.registry.batches import batch_number
from filing.registry.constants import HOST_SEPARATOR, Level, TrackKind

# The list's order: national before provincial, the latest year first, then the batches of a
# year in their order (a label that names no number comes last), then 序号.
ORDERING = [
    "level",
    "-year",
    F("batch_number").asc(nulls_last=True),
    "batch",
    "position",
    "pk",
]


class FiledSpaceQuerySet(models.QuerySet):
    def listed(self) -> FiledSpaceQuerySet:
        """What the public list shows: every entry not revoked."""
        return self.filter(revoked_on__isnull=True)

    def search(self, text: str) -> FiledSpaceQuerySet:
        """One box: part of the space's name, of a host entity's name or of the operator's."""
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(space_name__icontains=text)
            | Q(host_entity_name__icontains=text)
            | Q(operator_name__icontains=text)
        )

    def in_field(self, code: str) -> FiledSpaceQuerySet:
        """Entries in a catalogue item or anywhere below it (``1`` takes ``1.1.2``)."""
        return self.filter(Q(field_code=code) | Q(field_code__startswith=f"{code}."))


class FiledSpace(models.Model):
    """One entry of a filed list (备案名单)."""

    space_name = models.CharField(_("众创空间名称"), max_length=200, db_index=True)
    host_entity_name = models.CharField(
        _("依托主体"),
        max_length=300,
        blank=True,
        help_text=_("有多个依托主体的，以“、”分隔，与公布的名单一致"),
    )
    operator_name = models.CharField(_("运营机构"), max_length=200, blank=True)
    province = models.ForeignKey(
        "reference.Region",
        verbose_name=_("所在省份"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "province"},
    )
    city = models.ForeignKey(
        "reference.Region",
        verbose_name=_("所在地市"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "city"},
    )
    field_code = models.CharField(
        _("专业领域编号"), max_length=12, null=True, blank=True, db_index=True
    )
    field_path = models.CharField(_("专业领域"), max_length=300, null=True, blank=True)
    track_kind = models.CharField(_("类别"), max_length=30, choices=TrackKind.choices)
    level = models.CharField(_("级别"), max_length=20, choices=Level.choices, db_index=True)
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    batch = models.CharField(_("批次"), max_length=60, blank=True)
    batch_en = models.CharField(_("批次（英文）"), max_length=100, blank=True)
    # Derived from ``batch`` on every save (see batches.py); only for the list's order.
    batch_number = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    decision_document = models.CharField(
        _("文号"), max_length=60, blank=True, help_text=_("如 国科发高〔2016〕231号；未知时留空")
    )
    filed_on = models.DateField(_("备案日期"), null=True, blank=True)
    call = models.ForeignKey(
        "calls.Call",
        verbose_name=_("申报批次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="filed_spaces",
    )
    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("申报"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="filed_space",
    )
    authority = models.ForeignKey(
        "orgs.Authority",
        verbose_name=_("备案单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="filed_spaces",
    )
    position = models.PositiveIntegerField(_("序号"))
    # Copied from the call: a filing made in a rehearsal copy is marked 演练 wherever it is shown.
    is_rehearsal = models.BooleanField(_("演练"), default=False, editable=False)
    # 撤销备案: fraud found after filing. The entry leaves the public list; the row is kept.
    revoked_on = models.DateField(_("撤销备案日期"), null=True, blank=True)
    revoked_reason = models.TextField(_("撤销理由"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = FiledSpaceQuerySet.as_manager()

    class Meta:
        ordering = ORDERING
        verbose_name = _("备案名单条目")
        verbose_name_plural = _("备案名单")
        constraints = [
            models.UniqueConstraint(
                fields=["decision_document", "position"],
                condition=~Q(decision_document=""),
                name="one_entry_per_document_position",
            ),
        ]

    def __str__(self) -> str:
        return self.space_name

    def save(self, *args, **kwargs):
        self.batch_number = batch_number(self.batch)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "batch" in update_fields:
            kwargs["update_fields"] = {*update_fields, "batch_number"}
        super().save(*args, **kwargs)

    @property
    def host_entities(self) -> list[str]:
        return [name for name in self.host_entity_name.split(HOST_SEPARATOR) if name]

    def batch_display(self, language: str | None = None) -> str:
        """The English label on English pages where there is one; Chinese otherwise."""
        language = language or get_language()
        return self.batch_en if language == "en" and self.batch_en else self.batch

    @property
    def place(self) -> str:
        return " ".join(region.name for region in (self.province, self.city) if region)
