"""Finding integrity signals. Everything here derives from submitted content; nothing is typed.

`refresh_call_signals(call)` rebuilds a call's signals in one transaction, with a fixed number of
queries whatever the number of applications:

1. each counted application's roster rows are reduced to Fingerprints (what identifies them,
   see identity.py) and its declared numbers are checked against its rosters — this is work per
   application, so after a submission it is redone for that application only (`changed`);
2. the cross-application signals are then found by grouping in the database: fingerprints and
   files (by SHA-256) that occur in more than one application of the call. After a submission
   only the groups of the keys that application had or has now are rebuilt (`Touched`), so a
   submission costs the same in a call of ten applications or of ten thousand.

Submissions and departures do not refresh by themselves: they leave a PendingRefresh mark in
their own transaction and, once it commits, ask for `refresh_pending` of the family, run by the
task queue's worker when there is one, inline otherwise. One refresh takes every mark there is,
so a burst of submissions near a deadline is served by a few refreshes, not one each.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from filing.applications.evaluation import FAIL, Context, count_mismatch, rule_results
from filing.applications.models import Application, Attachment, RosterRow
from filing.audit.services import record
from filing.calls.models import Call, CallVersion
from filing.calls.schema import NUMERIC_TYPES, CallDefinition, referenced_names_safe
from filing.integrity.constants import COUNTED, SHARED_KINDS, SignalKind
from filing.integrity.identity import row_identity
from filing.integrity.models import Fingerprint, PendingRefresh, Signal

log = logging.getLogger(__name__)

BATCH = 200


def batched(items: list[int], n: int):
    iterator = iter(items)
    while chunk := list(islice(iterator, n)):
        yield chunk


def family_root(call: Call) -> Call:
    """A provincial round is compared with the national call it feeds and its other rounds."""
    return call.feeds if call.feeds_id else call


def counted_applications(root: Call) -> QuerySet[Application]:
    return Application.objects.filter(Q(call=root) | Q(call__feeds=root), status__in=COUNTED)


def consistency_rules(definition: CallDefinition) -> set[str]:
    """The call's rules that compare a declared number with roster rows (they read both a
    roster and a number field), e.g. "declared IP holders == rows marked as holding IP"."""
    rosters = {r.key for r in definition.rosters}
    numbers = {f.key for f in definition.all_fields() if f.type in NUMERIC_TYPES}
    keys = set()
    for rule in definition.eligibility:
        names = referenced_names_safe(rule.expression)
        if names & rosters and names & numbers:
            keys.add(rule.key)
    return keys


@transaction.atomic
def refresh_call_signals(
    call: Call,
    *,
    changed: Iterable[Application] | None = None,
    departures: bool = True,
    actor: Any = None,
    now: datetime | None = None,
) -> int:
    """Rebuild the signals of the call's family; returns how many it has.

    `changed`: the applications whose content changed since the last refresh (the one just
    submitted); only their per-application facts are recomputed. None: recompute everything.
    `departures`: whether an application may have left since (withdrawn, returned); a refresh
    that follows submissions alone skips looking for what left, four queries over the family.
    """
    now = now or timezone.now()
    root = family_root(call)
    # One refresh of a family at a time: concurrent submissions wait here, not deadlock.
    Call.objects.select_for_update().filter(pk=root.pk).first()
    counted = counted_applications(root)
    touched = None if not changed else Touched()
    if not changed or departures:
        # Applications that left: what they shared is touched too (their partners lose a match).
        if touched is not None:
            touched.add(Touched.of(Q(call=root) & ~Q(application__in=counted)))
        Fingerprint.objects.filter(call=root).exclude(application__in=counted).delete()
        Signal.objects.filter(call=root).exclude(application__in=counted).delete()
    targets = counted if changed is None else counted.filter(pk__in=[a.pk for a in changed])
    if touched is not None:
        touched.add(Touched.of(Q(application__in=targets), targets))
    Fingerprint.objects.filter(application__in=targets).delete()
    Signal.objects.filter(application__in=targets, kind=SignalKind.COUNT_MISMATCH).delete()
    version_of = dict(targets.order_by("pk").values_list("pk", "call_version_id"))
    if version_of:
        # Each pinned definition version, parsed once however many applications use it.
        versions = {
            v.pk: v
            for v in CallVersion.objects.defer("definition").filter(pk__in=set(version_of.values()))
        }
        written = _write_fingerprints(root, version_of, versions)
        _write_count_signals(root, list(version_of), versions, now)
        if touched is not None:
            # What the targets identify now (what they shared before was read above).
            touched.prints |= written
    _write_shared_signals(root, counted, now, touched)
    total = Signal.objects.filter(call=root).count()
    if changed is None:
        # Everything was rebuilt: no mark of the family is left to follow.
        PendingRefresh.objects.filter(call=root).delete()
        record("integrity.refreshed", actor=actor, obj=root, data={"signals": total})
    return total


def mark_for_refresh(call: Call, application: Application | None = None) -> None:
    """Note, in the current transaction, that the family's signals must follow a change (an
    application submitted, or one that left when `application` is None); after the commit the
    refresh is asked for: queued for a worker when there is a task queue, inline otherwise.
    A failed refresh keeps the marks for the next one and never undoes or hides the change."""
    root_pk = call.feeds_id or call.pk  # family_root without reading the national call
    PendingRefresh.objects.create(call_id=root_pk, application=application)

    # A named function, not functools.partial: Django names the callback when it logs a failure.
    def refresh_integrity_signals() -> None:
        _ask_for_refresh(root_pk)

    transaction.on_commit(refresh_integrity_signals, robust=True)


def _ask_for_refresh(root_pk: int) -> None:
    from filing.celery import app as queue
    from filing.integrity.tasks import refresh_pending_task

    if queue.conf.task_always_eager:
        refresh_pending(root_pk)
    else:
        refresh_pending_task.delay(root_pk)


@transaction.atomic
def refresh_pending(root_pk: int) -> int:
    """Rebuild what the family's marks ask for, all of them at once; returns how many marks
    were taken. A refresh asked for while another ran waits for it, then finds the marks that
    arrived meanwhile (and takes them all), or none: the one before it took them."""
    root = Call.objects.select_for_update().filter(pk=root_pk).first()
    if root is None:
        return 0
    marks = list(PendingRefresh.objects.filter(call=root).values_list("pk", "application_id"))
    if not marks:
        return 0
    changed = Application.objects.filter(pk__in={pk for _mark, pk in marks if pk is not None})
    # A mark without an application is a departure (mark_for_refresh).
    departures = any(pk is None for _mark, pk in marks)
    refresh_call_signals(root, changed=list(changed.only("pk")), departures=departures)
    PendingRefresh.objects.filter(pk__in=[mark for mark, _pk in marks]).delete()
    return len(marks)


# ----- per application -----------------------------------------------------------------------


def _write_fingerprints(
    root: Call, version_of: dict[int, int], versions: dict[int, CallVersion]
) -> set[tuple[str, str]]:
    """Write the applications' fingerprints; returns their (kind, key) pairs."""
    rosters = {
        pk: {r.key: r for r in version.parsed.rosters if r.kind} for pk, version in versions.items()
    }
    prints: list[Fingerprint] = []
    for chunk in batched(list(version_of), BATCH):
        rows = (
            RosterRow.objects.filter(application_id__in=chunk)
            .order_by()
            .values_list("application_id", "roster", "position", "values")
        )
        for app_id, roster_key, position, values in rows:
            roster = rosters[version_of[app_id]].get(roster_key)
            identity = row_identity(roster, values or {}) if roster else None
            if identity is None:
                continue
            prints.append(
                Fingerprint(
                    application_id=app_id,
                    call=root,
                    kind=identity.kind,
                    key=identity.key,
                    roster=roster_key,
                    position=position,
                    label=identity.label,
                )
            )
    Fingerprint.objects.bulk_create(prints, batch_size=1000)
    return {(p.kind, p.key) for p in prints}


def _write_count_signals(
    root: Call, ids: list[int], versions: dict[int, CallVersion], now: datetime
) -> None:
    """Declared numbers against rosters, by the same checks the application pages use."""
    today = timezone.localdate(now)
    rules = {pk: consistency_rules(v.parsed) for pk, v in versions.items()}
    signals: list[Signal] = []
    for chunk in batched(ids, BATCH):
        apps = (
            Application.objects.filter(pk__in=chunk)
            .select_related("organisation__province", "organisation__city", "organisation__zone")
            .prefetch_related("rows", "files")
        )
        for app in apps:
            app.call_version = versions[app.call_version_id]
            ctx = Context.of(app, today=today)
            typed = ctx.typed()
            for roster in ctx.rosters():
                mismatch = count_mismatch(ctx, roster, typed)
                if mismatch is not None:
                    signals.append(
                        Signal(
                            application=app,
                            call=root,
                            kind=SignalKind.COUNT_MISMATCH,
                            key=mismatch.field.key,
                            data={
                                "field": mismatch.field.key,
                                "roster": roster.key,
                                "declared": str(mismatch.declared),
                                "rows": mismatch.rows,
                            },
                            found_at=now,
                        )
                    )
            wanted = rules[app.call_version_id]
            if wanted:
                for result in rule_results(ctx, today):
                    if result.rule.key in wanted and result.result == FAIL:
                        signals.append(
                            Signal(
                                application=app,
                                call=root,
                                kind=SignalKind.COUNT_MISMATCH,
                                key=f"rule:{result.rule.key}",
                                data={"rule": result.rule.key},
                                found_at=now,
                            )
                        )
    Signal.objects.bulk_create(signals, batch_size=500)


# ----- across applications -------------------------------------------------------------------


@dataclass
class Touched:
    """The keys whose groups a refresh rebuilds: fingerprints by (kind, key), files by SHA-256."""

    prints: set[tuple[str, str]] = field(default_factory=set)
    files: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, where: Q, applications: QuerySet[Application] | None = None) -> Touched:
        """What the fingerprints and shared signals matching `where` concern, and the files of
        `applications`."""
        found = cls(prints=set(Fingerprint.objects.filter(where).values_list("kind", "key")))
        if applications is not None:
            found.files = set(
                Attachment.objects.filter(application__in=applications)
                .exclude(sha256="")
                .values_list("sha256", flat=True)
            )
        for kind, key in Signal.objects.filter(where, kind__in=SHARED_KINDS).values_list(
            "kind", "key"
        ):
            if kind == SignalKind.SHARED_FILE:
                found.files.add(key)
            else:
                found.prints.add((kind, key))
        return found

    def add(self, other: Touched) -> None:
        self.prints |= other.prints
        self.files |= other.files


def _write_shared_signals(
    root: Call, counted: QuerySet[Application], now: datetime, touched: Touched | None = None
) -> None:
    """Rebuild the shared-key signals of the family, or only those of the `touched` keys.

    The keys shared by more than one application are found by grouping (an aggregate that costs
    the same whatever the table's statistics say; a self-join planned on stale statistics after
    a burst of submissions compared every fingerprint with every other).
    """
    in_family = Fingerprint.objects.filter(call=root)
    files = Attachment.objects.filter(application__in=counted).exclude(sha256="")
    old = Signal.objects.filter(call=root, kind__in=SHARED_KINDS)
    if touched is not None:
        by_kind: dict[str, set[str]] = defaultdict(set)
        for kind, key in touched.prints:
            by_kind[kind].add(key)
        in_family = in_family.filter(key__in={key for _kind, key in touched.prints})
        files = files.filter(sha256__in=touched.files)
        these = Q(kind=SignalKind.SHARED_FILE, key__in=touched.files)
        for kind, keys in by_kind.items():
            these |= Q(kind=kind, key__in=keys)
        old = old.filter(these)
    old.delete()
    if touched is not None and not touched.prints and not touched.files:
        return
    shared_prints = {
        (kind, key)
        for kind, key, n in in_family.order_by()
        .values("kind", "key")
        .annotate(n=Count("application_id", distinct=True))
        .filter(n__gt=1)
        .values_list("kind", "key", "n")
    }
    if touched is not None:
        shared_prints &= touched.prints
    shared_files = set(
        files.order_by()
        .values("sha256")
        .annotate(n=Count("application_id", distinct=True))
        .filter(n__gt=1)
        .values_list("sha256", flat=True)
    )
    # (kind, key) -> application id -> where it is in that application
    groups: dict[tuple[str, str], dict[int, list[dict[str, Any]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    if shared_prints:
        rows = (
            in_family.filter(key__in={key for _kind, key in shared_prints})
            .order_by("application_id", "roster", "position")
            .values_list("application_id", "kind", "key", "roster", "position", "label")
        )
        for app_id, kind, key, roster, position, label in rows:
            if (kind, key) in shared_prints:
                groups[(kind, key)][app_id].append(
                    {"roster": roster, "position": position, "name": label}
                )
    if shared_files:
        copies = (
            files.filter(sha256__in=shared_files)
            .order_by("application_id", "item", "pk")
            .values_list(
                "application_id", "sha256", "item", "original_name", "row__roster", "row__position"
            )
        )
        for app_id, sha256, item, name, roster, position in copies:
            groups[(SignalKind.SHARED_FILE, sha256)][app_id].append(
                {"item": item, "name": name, "roster": roster or "", "position": position}
            )
    signals = []
    for (kind, key), places in groups.items():
        if len(places) < 2:
            continue
        for app_id, where in places.items():
            signals.append(
                Signal(
                    application_id=app_id,
                    call=root,
                    kind=kind,
                    key=key,
                    data={"files" if kind == SignalKind.SHARED_FILE else "rows": where},
                    others=sorted(pk for pk in places if pk != app_id),
                    found_at=now,
                )
            )
    Signal.objects.bulk_create(signals, batch_size=500)
