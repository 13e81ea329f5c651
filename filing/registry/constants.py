from django.db import models
from django.utils.translation import gettext_lazy as _

# How several host entities share one entry's host column, as the published lists print them
# (软控股份有限公司、橡胶谷集团有限公司).
HOST_SEPARATOR = "、"


class TrackKind(models.TextChoices):
    """The kind of space, as a call definition's track names it (``Track.kind``)."""

    MAKER_SPACE = "maker_space", _("众创空间")
    PROFESSIONAL_MAKER_SPACE = "professional_maker_space", _("专业化众创空间")


class Level(models.TextChoices):
    """Who keeps the list. The values sort national before provincial, as the list shows them."""

    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
