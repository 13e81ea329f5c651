from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "filing.audit"
    label = "audit"
    verbose_name = _("审计记录")

    def ready(self) -> None:
        from filing.audit import db, signals  # noqa: F401  (connection hook, admin log hook)
