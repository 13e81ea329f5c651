from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    FILLER = "filler", _("填报人（二级用户）")
    ORG_ADMIN = "org_admin", _("机构管理员（一级用户）")
    REVIEWER = "reviewer", _("经办人")
    LEADER = "leader", _("负责人")


class AuthorityKind(models.TextChoices):
    MINISTRY = "ministry", _("科技部")
    NATIONAL_UNIT = "national_unit", _("科技部直属单位")
    PROVINCE = "province", _("省科技厅")
    RECEIVING_UNIT = "receiving_unit", _("受理单位")
    CITY = "city", _("市科技局")
    ZONE = "zone", _("高新区管委会／示范区科技局")


class OrganisationNature(models.TextChoices):
    PUBLIC_INSTITUTION = "public_institution", _("事业单位")
    STATE_OWNED = "state_owned", _("国有企业")
    PRIVATE = "private", _("民营企业")
    INVESTMENT = "investment", _("投资机构")
    UNIVERSITY = "university", _("高校")
    OTHER = "other", _("其他社会组织")


class HostEntityKind(models.TextChoices):
    LEADING_ENTERPRISE = "leading_enterprise", _("龙头骨干企业")
    UNIVERSITY = "university", _("高校")
    RESEARCH_INSTITUTE = "research_institute", _("科研院所")
    NEW_RD_INSTITUTION = "new_rd_institution", _("新型研发机构")
    OTHER = "other", _("其他")
    NONE = "none", _("无")
