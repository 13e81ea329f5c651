from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "filing.orgs"
    label = "orgs"
    verbose_name = _("机构与人员")

    def ready(self) -> None:
        from filing.orgs import signals  # noqa: F401
