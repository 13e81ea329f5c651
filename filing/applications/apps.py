from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "filing.applications"
    label = "applications"
    verbose_name = _("申报")
