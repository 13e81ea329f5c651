from django.db import models
from django.utils.translation import gettext_lazy as _


class CallStatus(models.TextChoices):
    UPCOMING = "upcoming", _("即将开始")
    OPEN = "open", _("申报中")
    REVIEWING = "reviewing", _("审核推荐中")
    CLOSED = "closed", _("已结束")


class CallKind(models.TextChoices):
    MAKER_SPACE = "maker_space", _("众创空间")
    PROFESSIONAL = "professional_maker_space", _("专业化众创空间")
    MIXED = "mixed", _("众创空间和专业化众创空间")
