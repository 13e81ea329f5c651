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
    WITHDRAWN = "withdrawn", _("已撤销推荐")


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


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


UNFINISHED_JOBS = {JobStatus.QUEUED, JobStatus.RUNNING}


class ExtensionKind(models.TextChoices):
    """Which deadline an extension moves."""

    SUBMISSION = "submission", _("申报截止")
    LEVEL = "level", _("本级报送截止")
