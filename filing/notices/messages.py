"""What a notice says, kept apart from who receives it and how it is sent.

A rule or a reminder describes a notice as a ``Draft``: its kind, its recipients, a subject and
a body made of ``Phrase``s (a translatable template and its values), and a link. Phrases are
rendered twice when the notice is written, in Chinese and in English, so each reader sees their
own language and an e-mail can carry both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language

from filing.audit.models import AuditEvent
from filing.orgs.constants import Role
from filing.orgs.models import User


@dataclass(frozen=True)
class Phrase:
    template: str | Promise
    params: dict[str, Any] = field(default_factory=dict)

    def render(self) -> str:
        if not self.params:
            return str(self.template)
        return str(self.template) % {k: _as_text(v) for k, v in self.params.items()}


def phrase(template: str | Promise, **params: Any) -> Phrase:
    return Phrase(template, params)


def _as_text(value: Any) -> str:
    """A value in the current language: times in Beijing time, names in the reader's language."""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if hasattr(value, "display_name"):  # an authority
        return value.display_name()
    if hasattr(value, "display_title"):  # a call
        return value.display_title()
    if hasattr(value, "zh") and hasattr(value, "get"):  # a definition's Text
        return value.get(get_language())
    if isinstance(value, Phrase):
        return value.render()
    return str(value)


@dataclass
class Draft:
    """One notice to write, to each of ``recipients``.

    ``key`` tells apart the drafts one event produces (one per application of a signed list);
    with the event's id, or a reminder's own key, it makes each notice's ``dedupe_key``.
    """

    kind: str
    recipients: Iterable[User]
    subject: Phrase
    body: list[Phrase]
    link: str = ""
    key: str = ""
    object_type: str = ""
    object_id: str = ""


# ----- recipients ----------------------------------------------------------------------------


def applicant_people(application) -> list[User]:
    """Who speaks for an application: its organisation's admins and the fillers who worked on it.

    A filler worked on it if they started it or appear in its audit trail; people who have since
    been deactivated or left the organisation receive nothing.
    """
    actors = (
        AuditEvent.objects.for_object(application).filter(actor_id__isnull=False).values("actor_id")
    )
    return list(
        User.objects.filter(is_active=True, organisation_id=application.organisation_id)
        .filter(Q(role=Role.ORG_ADMIN) | Q(pk=application.created_by_id) | Q(pk__in=actors))
        .order_by("pk")
    )


def organisation_admins(organisation_id: int) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, organisation_id=organisation_id, role=Role.ORG_ADMIN
        ).order_by("pk")
    )


def authority_staff(authority_id: int | None, roles: Iterable[str]) -> list[User]:
    if authority_id is None:
        return []
    return list(
        User.objects.filter(
            is_active=True, authority_id=authority_id, role__in=list(roles)
        ).order_by("pk")
    )


ALL_STAFF = (Role.REVIEWER, Role.LEADER)
