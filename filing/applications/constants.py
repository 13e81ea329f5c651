from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    AWAITING_APPROVAL = "awaiting_approval", _("待机构管理员审核")
    SUBMITTED = "submitted", _("已提交")
    IN_REVIEW = "in_review", _("审核中")
    RETURNED = "returned", _("退回修改")
    NOT_RECOMMENDED = "not_recommended", _("未获推荐")
    FILED = "filed", _("已备案")
    NOT_FILED = "not_filed", _("未予备案")
    RECOMMENDATION_WITHDRAWN = "withdrawn_for_fraud", _("已撤销推荐")


# States in which the applicant may edit the application.
EDITABLE = {Status.DRAFT, Status.RETURNED}

# States in which the application is out of the applicant's hands: it prints as submitted.
FROZEN = {
    Status.SUBMITTED,
    Status.IN_REVIEW,
    Status.NOT_RECOMMENDED,
    Status.FILED,
    Status.NOT_FILED,
    Status.RECOMMENDATION_WITHDRAWN,
}
