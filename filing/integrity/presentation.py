"""Signals as reviewers see them: the workbench filter and badge, and the detail page's list.

Only staff pages use this; applicants never see a signal. What a reviewer learns about the other
applications follows their jurisdiction (`Application.objects.visible_to`): one they may open is
named and linked; one outside their area is only counted. The shared key itself (credit code,
name, file) comes from the application they are reviewing, so it tells them nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from filing.applications.evaluation import count_mismatch_message
from filing.applications.models import Application
from filing.calls.schema import CallDefinition
from filing.integrity.constants import SignalKind
from filing.integrity.models import Signal

# The workbench's 诚信提示 filter: with or without any signal, or with one of a kind.
FILTER_CHOICES = [
    ("any", gettext_lazy("有诚信提示")),
    ("none", gettext_lazy("无诚信提示")),
    *SignalKind.choices,
]


def filter_reviews(reviews: QuerySet, value: str | None) -> QuerySet:
    """Reviews whose application has (or has no) signal; a subquery, so one query still."""
    signals = Signal.objects.filter(application_id=OuterRef("application_id"))
    if value == "any":
        return reviews.filter(Exists(signals))
    if value == "none":
        return reviews.filter(~Exists(signals))
    if value in SignalKind.values:
        return reviews.filter(Exists(signals.filter(kind=value)))
    return reviews


def with_signal_counts(reviews: QuerySet) -> QuerySet:
    """Each review annotated with `signal_count`, its application's number of signals."""
    counts = (
        Signal.objects.filter(application_id=OuterRef("application_id"))
        .order_by()
        .values("application_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return reviews.annotate(
        signal_count=Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))
    )


# ----- the detail page -----------------------------------------------------------------------


@dataclass
class Other:
    name: str
    organisation: str
    city: str
    url: str | None


@dataclass
class SignalView:
    kind: str
    kind_label: str
    shown_key: str
    where: list[str]
    others: list[Other] = field(default_factory=list)
    hidden: int = 0  # other applications outside the viewer's area


def signals_for(application: Application, user) -> list[SignalView]:
    """The application's signals for this viewer: three queries, however many there are."""
    signals = list(Signal.objects.filter(application=application))
    if not signals:
        return []
    other_ids = {pk for s in signals for pk in s.others}
    visible = {
        a.pk: a
        for a in Application.objects.visible_to(user)
        .filter(pk__in=other_ids)
        .select_related("organisation", "organisation__city")
    }
    links = _review_links(user, list(visible))
    definition = application.definition
    views = []
    for s in signals:
        view = SignalView(
            kind=s.kind,
            kind_label=s.get_kind_display(),
            shown_key=shown_key(s),
            where=describe(s, definition),
        )
        for pk in s.others:
            other = visible.get(pk)
            if other is None:
                view.hidden += 1
                continue
            view.others.append(
                Other(
                    name=other.space_name or str(other),
                    organisation=other.organisation.name,
                    city=other.organisation.city.name,
                    url=links.get(pk),
                )
            )
        views.append(view)
    return views


def _review_links(user, application_ids: list[int]) -> dict[int, str]:
    """For each application, the viewer's page of its latest level that they may open."""
    from filing.reviews.models import Review

    if not application_ids:
        return {}
    links: dict[int, str] = {}
    reviews = (
        Review.objects.visible_to(user)
        .filter(application_id__in=application_ids)
        .order_by("application_id", "level_index")
        .values_list("application_id", "pk")
    )
    for app_id, pk in reviews:
        links[app_id] = reverse("reviews:detail", args=[pk])  # the last, highest level wins
    return links


def _t(text) -> str:
    return text.get(get_language()) if text is not None else ""


def _pair(where: str, what: str) -> str:
    return _("%(where)s：%(what)s") % {"where": where, "what": what}


def _label(text) -> str:
    """A checklist label without its closing full stop, to be followed by a file name."""
    return _t(text).rstrip("。.")


def shown_key(signal: Signal) -> str:
    """The shared key as a person reads it."""
    if signal.kind == SignalKind.SHARED_COMPANY:
        return signal.key
    if signal.kind in {SignalKind.SHARED_TEAM, SignalKind.SHARED_MENTOR}:
        rows = signal.data.get("rows") or [{}]
        name = rows[0].get("name", "")
        number = signal.key.rpartition("|")[2]
        if number:
            return _("%(name)s（电话 %(number)s）") % {"name": name, "number": number}
        return _("%(name)s（仅姓名相同，未填电话）") % {"name": name}
    if signal.kind == SignalKind.SHARED_FILE:
        return _("文件指纹 SHA-256 %(digest)s…") % {"digest": signal.key[:16]}
    return ""


def describe(signal: Signal, definition: CallDefinition) -> list[str]:
    """Where the signal is in this application, one line each, in the viewer's language."""
    rosters = {r.key: r for r in definition.rosters}
    data: dict[str, Any] = signal.data or {}

    def row_place(roster_key: str, position: Any) -> str:
        roster = rosters.get(roster_key)
        title = _t(roster.title) if roster else roster_key
        return _("%(title)s第 %(n)s 行") % {"title": title, "n": position}

    if signal.kind == SignalKind.SHARED_FILE:
        attachments = {a.key: a for a in definition.attachments}
        lines = []
        for f in data.get("files", []):
            if f.get("roster"):
                roster = rosters.get(f["roster"])
                evidence = next(
                    (e for e in (roster.evidence if roster else []) if e.key == f["item"]), None
                )
                place = row_place(f["roster"], f.get("position"))
                label = _label(evidence.label) if evidence else f["item"]
                lines.append(_pair(f"{place} {label}", f["name"]))
            else:
                item = attachments.get(f["item"])
                label = (
                    _("附件 %(number)s %(label)s")
                    % {"number": item.number, "label": _label(item.label)}
                    if item
                    else f["item"]
                )
                lines.append(_pair(label, f["name"]))
        return lines
    if signal.kind == SignalKind.COUNT_MISMATCH:
        if "rule" in data:
            rule = next((r for r in definition.eligibility if r.key == data["rule"]), None)
            return [_pair(_t(rule.title), _t(rule.message)) if rule else data["rule"]]
        fields = {f.key: f for f in definition.all_fields()}
        field_def = fields.get(data.get("field", ""))
        roster = rosters.get(data.get("roster", ""))
        return [
            count_mismatch_message(
                _t(field_def.label) if field_def else data.get("field", ""),
                data.get("declared", ""),
                _t(roster.title) if roster else data.get("roster", ""),
                int(data.get("rows", 0)),
            )
        ]
    return [_pair(row_place(r["roster"], r["position"]), r["name"]) for r in data.get("rows", [])]
