from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupsConfig(AppConfig):
    """Backup and restore of a whole instance: commands only, no models, no pages."""

    name = "filing.backups"
    label = "backups"
    verbose_name = _("备份与恢复")
