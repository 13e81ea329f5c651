"""Organisations, authorities and the people who belong to them.

A person belongs to exactly one applicant organisation (as filler or organisation admin) or to
exactly one authority (as reviewer or leader). Jurisdiction follows the authority tree and is
applied in the query layer (``visible_to``) so that a view cannot forget it.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from filing.orgs.constants import AuthorityKind, HostEntityKind, OrganisationNature, Role


class AuthorityQuerySet(models.QuerySet):
    def within(self, root: Authority) -> AuthorityQuerySet:
        """The root and every authority below it in the tree."""
        return self.filter(path__startswith=root.path)


class Authority(models.Model):
    """A science authority (科技管理部门) or a unit acting for one (受理单位)."""

    code = models.SlugField(_("代码"), max_length=60, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=AuthorityKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    region = models.ForeignKey(
        "reference.Region",
        verbose_name=_("行政区域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="authorities",
    )
    acts_for = models.ForeignKey(
        "self",
        verbose_name=_("代行单位"),
        help_text=_("受理单位代表哪一个主管部门受理材料"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="receiving_units",
    )
    path = models.CharField(max_length=400, editable=False, db_index=True)

    objects = AuthorityQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("主管部门")
        verbose_name_plural = _("主管部门")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.path = (self.parent.path if self.parent else "") + self.code + "/"
        super().save(*args, **kwargs)

    @property
    def jurisdiction_root(self) -> Authority:
        """A receiving unit sees what the authority it acts for sees."""
        return self.acts_for or self

    @cached_property
    def area_ids(self) -> list[int]:
        """The authorities in this one's jurisdiction, itself included; read once per instance
        (a request's user keeps theirs), since pages ask for it several times."""
        return list(Authority.objects.within(self.jurisdiction_root).values_list("pk", flat=True))

    def display_name(self, language: str | None = None) -> str:
        """The English name on English pages where there is one; Chinese otherwise."""
        language = language or get_language()
        return self.name_en if language == "en" and self.name_en else self.name


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user) -> OrganisationQuerySet:
        """Organisations a person may see: their own, or those in their authority's area."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.organisation_id:
            return self.filter(pk=user.organisation_id)
        if user.authority_id:
            return self.filter(Organisation.jurisdiction_q(user.authority.jurisdiction_root))
        return self.none()


class Organisation(models.Model):
    """An applicant organisation (运营机构): the legal entity that runs a maker space."""

    name = models.CharField(
        _("运营机构名称"), max_length=100, help_text=_("以营业执照或“三证合一”的名称为准")
    )
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    nature = models.CharField(_("机构性质"), max_length=20, choices=OrganisationNature.choices)
    province = models.ForeignKey(
        "reference.Region",
        verbose_name=_("所在省份"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "province"},
    )
    city = models.ForeignKey(
        "reference.Region",
        verbose_name=_("所在地市"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "city"},
    )
    zone = models.ForeignKey(
        Authority,
        verbose_name=_("所在国家高新区或示范区"),
        help_text=_("位于国家高新区（或沈抚改革创新示范区）内的，向其管委会（科技局）申报"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        limit_choices_to={"kind": AuthorityKind.ZONE},
    )
    address = models.CharField(_("地址"), max_length=200)
    legal_representative = models.CharField(_("法定代表人"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    host_entity_name = models.CharField(_("依托主体名称"), max_length=100, blank=True)
    host_entity_kind = models.CharField(
        _("依托主体类型"),
        max_length=20,
        choices=HostEntityKind.choices,
        default=HostEntityKind.NONE,
    )
    created_at = models.DateTimeField(_("注册时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("运营机构")
        verbose_name_plural = _("运营机构")
        # A reviewer types the start of a credit code: on PostgreSQL a prefix search (LIKE 'x%')
        # uses only an index built with the pattern operator class.
        indexes = [
            models.Index(
                fields=["credit_code"],
                name="organisation_credit_prefix",
                opclasses=["varchar_pattern_ops"],
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.city_id and self.province_id and self.city.parent_id != self.province_id:
            raise ValidationError({"city": _("所选地市不属于所选省份。")})
        if self.zone_id and self.zone.region_id and self.zone.region.parent_id != self.province_id:
            raise ValidationError({"zone": _("所选园区不在本省。")})

    @staticmethod
    def jurisdiction_q(root: Authority) -> Q:
        """Which organisations an authority's staff may see, by the authority's kind."""
        if root.kind in (AuthorityKind.MINISTRY, AuthorityKind.NATIONAL_UNIT):
            return Q()
        if root.kind == AuthorityKind.PROVINCE:
            return Q(province_id=root.region_id)
        if root.kind == AuthorityKind.CITY:
            return Q(city_id=root.region_id)
        if root.kind == AuthorityKind.ZONE:
            return Q(zone_id=root.pk)
        return Q(pk__in=[])

    @property
    def city_authority(self) -> Authority | None:
        return Authority.objects.filter(kind=AuthorityKind.CITY, region_id=self.city_id).first()


class User(AbstractUser):
    """A person: an applicant's filler or admin, or an authority's reviewer or leader."""

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机"), max_length=20, blank=True)
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("所属机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    authority = models.ForeignKey(
        Authority,
        verbose_name=_("所属主管部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=True) | Q(authority__isnull=True),
                name="user_in_one_body_only",
            ),
            models.CheckConstraint(
                condition=(Q(organisation__isnull=True) | Q(role__in=[Role.FILLER, Role.ORG_ADMIN]))
                & (Q(authority__isnull=True) | Q(role__in=[Role.REVIEWER, Role.LEADER])),
                name="user_role_matches_body",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_applicant(self) -> bool:
        return self.organisation_id is not None

    @property
    def is_org_admin(self) -> bool:
        return self.organisation_id is not None and self.role == Role.ORG_ADMIN

    @property
    def is_authority_staff(self) -> bool:
        return self.authority_id is not None


class InvitationQuerySet(models.QuerySet):
    def pending(self, now=None) -> InvitationQuerySet:
        return self.filter(
            accepted_at__isnull=True, revoked=False, expires_at__gt=now or timezone.now()
        )


class Invitation(models.Model):
    """An organisation admin's invitation for a filler to join; the token is stored hashed."""

    VALID_FOR = timedelta(days=7)

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("邮箱"))
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.FILLER)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked = models.BooleanField(default=False)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("邀请")
        verbose_name_plural = _("邀请")

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
