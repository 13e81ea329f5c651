from django.db import models
from django.utils.translation import gettext_lazy as _

from filing.applications.constants import FROZEN


class SignalKind(models.TextChoices):
    SHARED_COMPANY = "shared_company", _("同一入驻企业")
    SHARED_TEAM = "shared_team", _("同一入驻团队")
    SHARED_MENTOR = "shared_mentor", _("同一创业导师")
    SHARED_FILE = "shared_file", _("相同证明文件")
    COUNT_MISMATCH = "count_mismatch", _("填报数与名单不一致")


# Kinds found by comparing applications with each other; the rest concern one application.
SHARED_KINDS = {
    SignalKind.SHARED_COMPANY,
    SignalKind.SHARED_TEAM,
    SignalKind.SHARED_MENTOR,
    SignalKind.SHARED_FILE,
}

# The applications compared: those in the reviewers' hands, whose content is frozen as submitted.
# A draft, one awaiting its organisation admin, a withdrawn one (a draft again) and one returned
# for revision (being edited) take no part until they are submitted again.
COUNTED = FROZEN
