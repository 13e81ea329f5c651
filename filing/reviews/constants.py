from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewStatus(models.TextChoices):
    RECEIVED = "received", _("待受理")
    IN_REVIEW = "in_review", _("审核中")
    RETURNED = "returned", _("已退回修改")
    NOT_RECOMMENDED = "not_recommended", _("不予推荐")
    RECOMMENDED = "recommended", _("拟推荐")
    FORWARDED = "forwarded", _("已报送上级")
    FILED = "filed", _("准予备案")
    NOT_FILED = "not_filed", _("不予备案")


class SiteCheck(models.TextChoices):
    CHECKED = "checked", _("已核查")
    UNCHECKED = "unchecked", _("未核查")


# A level may still change its decision on these.
OPEN = {
    ReviewStatus.RECEIVED,
    ReviewStatus.IN_REVIEW,
    ReviewStatus.RECOMMENDED,
    ReviewStatus.NOT_RECOMMENDED,
}
