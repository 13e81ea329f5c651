"""Entering a filed space into the list, and reloading published lists; each change audited."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from filing.applications.constants import Status
from filing.applications.models import Application
from filing.audit.services import record
from filing.orgs.models import Authority
from filing.reference.models import HighTechField
from filing.registry import loading
from filing.registry.constants import Level
from filing.registry.models import FiledSpace


class RegistryError(Exception):
    """A refused entry, with a message for the person who asked."""


@transaction.atomic
def enter_filed_space(
    application: Application,
    *,
    actor: Any,
    authority: Authority | None,
    level: str,
    document: str = "",
    filed_on: date | None = None,
) -> FiledSpace:
    """Enter a space whose filing was decided into the filed list; once per application.

    The public facts are taken from the application as submitted: the space's name, the host
    entity (the form's ``host_entity_name``, else the organisation's profile), the operator (the
    organisation's name as on its licence), its province and city, the professional field (the
    form's ``professional_field``, looked up in the catalogue), and from the pinned definition
    the kind of track, the year and the batch. Nothing about people is copied.
    """
    if level not in Level.values:
        raise ValueError(f"unknown registry level {level!r}")
    app = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call", "call_version", "organisation")
        .defer("call_version__definition")
        .get(pk=application.pk)
    )
    if FiledSpace.objects.filter(application=app).exists():
        raise RegistryError(_("该众创空间已列入备案名单，不能重复列入。"))
    if app.status != Status.FILED:
        raise RegistryError(_("只有已准予备案的申报才能列入备案名单。"))
    definition = app.definition
    track = next((t for t in definition.tracks if t.key == app.track), None)
    if track is None:
        raise RegistryError(_("申报类别不在该批次的定义中，无法列入备案名单。"))
    org = app.organisation
    values = app.values or {}
    field = _field(str(values.get("professional_field") or app.field_code or ""))
    batch = definition.batch.zh if definition.batch else ""
    document = document.strip()
    entry = FiledSpace.objects.create(
        space_name=app.space_name or str(values.get("space_name") or ""),
        host_entity_name=str(values.get("host_entity_name") or "").strip() or org.host_entity_name,
        operator_name=org.name,
        province_id=org.province_id,
        city_id=org.city_id,
        field_code=field.code if field else None,
        field_path=field.path if field else None,
        track_kind=track.kind,
        level=level,
        year=definition.year,
        batch=batch,
        batch_en=definition.batch.en if definition.batch else "",
        decision_document=document,
        filed_on=filed_on,
        call=app.call,
        application=app,
        authority=authority,
        position=_next_position(level, authority, definition.year, batch, document),
        is_rehearsal=app.call.is_rehearsal,
    )
    record(
        "registry.entered",
        actor=actor,
        obj=entry,
        data={
            "application": app.pk,
            "level": level,
            "year": entry.year,
            "batch": entry.batch,
            "document": document,
            "position": entry.position,
        },
    )
    return entry


@transaction.atomic
def revoke_filed_space(application: Application, *, actor: Any, reason: str, on: date) -> None:
    """撤销备案: the space leaves the public list, with the reason kept for the record."""
    entry = FiledSpace.objects.select_for_update().filter(application=application).first()
    if entry is None or entry.revoked_on:
        return
    entry.revoked_on, entry.revoked_reason = on, reason
    entry.save(update_fields=["revoked_on", "revoked_reason", "updated_at"])
    record("registry.revoked", actor=actor, obj=entry, data={"reason": reason[:500]})


def _field(code: str) -> HighTechField | None:
    code = code.strip()
    if not code:
        return None
    return HighTechField.objects.filter(catalogue="2016", code=code).first()


def _next_position(
    level: str, authority: Authority | None, year: int, batch: str, document: str
) -> int:
    """序号: one after the last entry of the same list (level, authority, year and batch), or
    of the same decision document when it is known."""
    same_list = Q(level=level, authority=authority, year=year, batch=batch)
    if document:
        same_list |= Q(decision_document=document)
    last = FiledSpace.objects.filter(same_list).aggregate(last=Max("position"))["last"]
    return (last or 0) + 1


@transaction.atomic
def reload_lists(paths: list[Path], *, actor: Any = None) -> list[loading.LoadResult]:
    """Load published lists from their files, all of them or none, one audit row per file."""
    checked = [loading.read_list(path) for path in paths]
    results = []
    for filed in checked:
        result = loading.load_list(FiledSpace, Authority, filed)
        record(
            "registry.loaded",
            actor=actor,
            data={
                "document": result.document,
                "created": result.created,
                "updated": result.updated,
            },
        )
        results.append(result)
    return results
