"""Changes made through Django's admin go into the audit trail too."""

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db.models.signals import post_save
from django.dispatch import receiver

from filing.audit.models import AuditEvent
from filing.audit.services import record

EVENTS = {ADDITION: "admin.added", CHANGE: "admin.changed", DELETION: "admin.deleted"}


@receiver(post_save, sender=LogEntry)
def on_admin_log(sender, instance: LogEntry, created: bool, **kwargs) -> None:
    if not created or instance.content_type is None:
        return
    if instance.content_type.model_class() is AuditEvent:
        return
    record(
        EVENTS.get(instance.action_flag, "admin.changed"),
        actor=instance.user,
        data={
            "model": instance.content_type.model,
            "object_id": instance.object_id or "",
            "object_repr": instance.object_repr,
            "change": instance.get_change_message(),
        },
    )
