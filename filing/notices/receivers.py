"""Every audit event written is offered to the notice rules (see rules.py)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from filing.audit.models import AuditEvent
from filing.notices.services import dispatch


@receiver(post_save, sender=AuditEvent, dispatch_uid="notices.on_audit_event")
def on_audit_event(sender, instance: AuditEvent, created: bool, raw: bool = False, **kwargs):
    if created and not raw:
        dispatch(instance)
