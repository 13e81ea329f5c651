from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontConfig(AppConfig):
    name = "filing.front"
    label = "front"
    verbose_name = _("公开页面")
