"""What a call's public page shows, worked out from its definition for one language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from django.utils.translation import gettext as _

from filing.calls.models import Call
from filing.calls.schema import CallDefinition, RouteLevel, Text
from filing.orgs.models import Authority

UNIT_LABELS = {
    "m2": "m²",
    "wan_yuan": "万元",
    "count": "个",
    "sessions": "场",
    "persons": "人",
    "percent": "%",
    "times": "次",
    "seats": "个",
    "months": "个月",
}


def remaining(deadline: datetime | None, now: datetime) -> str:
    """'12 天 5 小时', or '' once passed."""
    if deadline is None or deadline < now:
        return ""
    seconds = int((deadline - now).total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    if days:
        return _("%(days)d 天 %(hours)d 小时") % {"days": days, "hours": hours}
    return _("%(hours)d 小时 %(minutes)d 分") % {"hours": hours, "minutes": rest // 60}


@dataclass
class LevelView:
    level: RouteLevel
    title: str
    deadline: datetime | None
    passed: bool
    countdown: str
    authority: Authority | None


@dataclass
class TrackView:
    key: str
    title: str
    rules: list[tuple[str, str]]
    sections: list[tuple[str, int]]
    rosters: list[tuple[str, list[str]]]
    attachments: list[tuple[str, str, bool, str]]


class CallPage:
    def __init__(self, call: Call, *, now: datetime, language: str | None):
        self.call = call
        self.now = now
        self.language = language
        self.d: CallDefinition = call.definition

    def t(self, text: Text | None) -> str:
        return text.get(self.language) if text else ""

    @property
    def title(self) -> str:
        return self.t(self.d.title)

    @property
    def status(self):
        return self.call.status_at(self.now)

    @property
    def countdown(self) -> str:
        return remaining(self.d.first_deadline, self.now)

    @cached_property
    def levels(self) -> list[LevelView]:
        fixed = {
            a.code: a
            for a in Authority.objects.filter(
                code__in=[lvl.authority for lvl in self.d.route if lvl.authority]
            )
        }
        return [
            LevelView(
                level=lvl,
                title=self.t(lvl.title),
                deadline=lvl.deadline,
                passed=bool(lvl.deadline and lvl.deadline < self.now),
                countdown=remaining(lvl.deadline, self.now),
                authority=fixed.get(lvl.authority or ""),
            )
            for lvl in self.d.route
        ]

    @cached_property
    def tracks(self) -> list[TrackView]:
        views = []
        for track in self.d.tracks:

            def applies(tracks: list[str], key: str = track.key) -> bool:
                return not tracks or key in tracks

            views.append(
                TrackView(
                    key=track.key,
                    title=self.t(track.title),
                    rules=[
                        (self.t(r.title), r.source or "")
                        for r in self.d.eligibility
                        if applies(r.tracks)
                    ],
                    sections=[
                        (self.t(s.title), len([f for f in s.fields if applies(f.tracks)]))
                        for s in self.d.sections
                        if applies(s.tracks)
                    ],
                    rosters=[
                        (self.t(r.title), [self.t(c.label) for c in r.columns])
                        for r in self.d.rosters
                        if applies(r.tracks)
                    ],
                    attachments=[
                        (
                            a.number,
                            self.t(a.label),
                            a.required,
                            _("视情况") if a.required_if else "",
                        )
                        for a in self.d.attachments
                        if applies(a.tracks)
                    ],
                )
            )
        return views

    @property
    def commitments(self) -> list[tuple[str, str]]:
        return [(self.t(c.title), c.text) for c in self.d.commitments]
