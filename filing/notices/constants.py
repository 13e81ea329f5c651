from datetime import timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    APPLICATION_RECEIVED = "application_received", _("收到新申报")
    AWAITING_APPROVAL = "awaiting_approval", _("待机构管理员审核")
    RETURNED = "returned", _("退回修改")
    RECOMMENDED = "recommended", _("获得推荐")
    NOT_RECOMMENDED = "not_recommended", _("未获推荐")
    FILED = "filed", _("准予备案")
    NOT_FILED = "not_filed", _("不予备案")
    PUBLICITY_OPENED = "publicity_opened", _("列入公示")
    OBJECTION_LODGED = "objection_lodged", _("收到异议")
    APPLICANT_DEADLINE = "applicant_deadline", _("申报即将截止")
    LEVEL_DEADLINE = "level_deadline", _("报送即将截止")


# Every e-mail subject starts with the platform's name, so that mail filters can find them.
SUBJECT_PREFIX = "【众创空间备案平台】"

# Reminders go out when a deadline is this close (and not yet past).
REMINDER_WINDOW = timedelta(days=3)

# The inbox's page size.
PAGE_SIZE = 30
