"""Writing audit rows. Every service that changes state calls record()."""

from __future__ import annotations

from typing import Any

from django.db import models

from filing.audit.events import SENTENCES
from filing.audit.middleware import current_ip
from filing.audit.models import AuditEvent


def record(
    event: str,
    *,
    actor: Any = None,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one audit row. The event code must be listed in audit.events.SENTENCES."""
    if event not in SENTENCES:
        raise ValueError(f"unknown audit event {event!r}: add it to filing/audit/events.py")
    is_person = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if is_person else None,
        actor_label=actor.get_username() if is_person else "",
        event=event,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        data=data or {},
        ip_address=ip_address or current_ip.get(),
    )
