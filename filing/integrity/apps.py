from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrityConfig(AppConfig):
    name = "filing.integrity"
    label = "integrity"
    verbose_name = _("诚信提示")

    def ready(self) -> None:
        from filing.integrity import receivers  # noqa: F401
