"""How long an application spent in each state, read from its StatusChange rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from filing.applications.constants import Status
from filing.applications.models import Application


@dataclass
class StateTime:
    status: str
    label: str
    seconds: int = 0
    entries: int = 0
    current: bool = False

    @property
    def duration(self) -> str:
        return format_duration(self.seconds)


def time_in_states(app: Application, now: datetime) -> list[StateTime]:
    """Each state the application has been in, in the order first reached: the total time in
    it and how many times it was entered. The current state counts up to ``now``."""
    changes = list(app.status_changes.order_by("at", "pk").values_list("to_status", "at"))
    if not changes:
        changes = [(app.status, app.created_at)]
    states: dict[str, StateTime] = {}
    for i, (status, at) in enumerate(changes):
        end = changes[i + 1][1] if i + 1 < len(changes) else now
        label = Status(status).label if status in Status.values else status
        state = states.setdefault(status, StateTime(status=status, label=str(label)))
        state.seconds += max(0, int((end - at).total_seconds()))
        state.entries += 1
    states[changes[-1][0]].current = True
    return list(states.values())


def format_duration(seconds: int) -> str:
    """Days and hours, or hours and minutes under a day, or minutes under an hour."""
    minutes = seconds // 60
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return _("%(days)d 天 %(hours)d 小时") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)d 小时 %(minutes)d 分钟") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d 分钟") % {"minutes": minutes}
