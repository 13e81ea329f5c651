from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "filing.notices"
    label = "notices"
    verbose_name = _("消息")

    def ready(self) -> None:
        from filing.notices import receivers  # noqa: F401  (listens to the audit trail)
