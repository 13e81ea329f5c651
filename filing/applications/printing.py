"""Building the Printable of an application: values as they are shown on paper."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from filing.applications.evaluation import Context, attachment_required
from filing.applications.fields import UNIT_LABELS, clean_value
from filing.applications.printable import (
    Printable,
    PrintAttachment,
    PrintChoice,
    PrintCommitment,
    PrintField,
    PrintRoster,
    PrintSection,
)
from filing.calls.schema import FieldDef
from filing.reference.models import leaf_paths


def _number(value: Any) -> str:
    if isinstance(value, Decimal | float):
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
        return text
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def display(
    field: FieldDef, raw: Any, typed: Any = None, paths: dict[str, str] | None = None
) -> str:
    """The value as printed: typed where valid, as typed by the person otherwise."""
    if field.type == "computed":
        return "" if typed is None else _number(typed)
    try:
        value = clean_value(field, raw)
    except Exception:  # noqa: BLE001 - an invalid draft value prints as typed
        return str(raw or "")
    if value is None:
        return ""
    if field.type in {"integer", "decimal"}:
        return _number(value)
    if field.type == "date":
        return value.isoformat()
    if field.type == "choice":
        return next(
            (c.label.zh for c in field.choices if c.value == value),
            str(value).removeprefix("other:"),
        )
    if field.type == "multichoice":
        labels = {c.value: c.label.zh for c in field.choices}
        return "、".join(labels.get(v, v.removeprefix("other:")) for v in value)
    if field.type == "yes_with_name":
        return f"是：{value}" if value else "否"
    if field.type == "boolean":
        return "是" if value else "否"
    if field.type == "high_tech_field":
        return f"{value} {(paths or {}).get(value, '')}".strip()
    return str(value)


def _choices(field: FieldDef, raw: Any) -> list[PrintChoice]:
    if field.type == "choice":
        try:
            value = clean_value(field, raw)
        except Exception:  # noqa: BLE001
            value = None
        boxes = [PrintChoice(c.label.zh, c.value == value) for c in field.choices]
        if field.other_choice:
            other = (
                value.removeprefix("other:")
                if isinstance(value, str) and value.startswith("other:")
                else ""
            )
            boxes.append(PrintChoice("其他：" + other, bool(other)))
        return boxes
    if field.type == "multichoice":
        try:
            values = clean_value(field, raw) or []
        except Exception:  # noqa: BLE001
            values = []
        boxes = [PrintChoice(c.label.zh, c.value in values) for c in field.choices]
        others = [v.removeprefix("other:") for v in values if v.startswith("other:")]
        if field.other_choice:
            boxes.append(PrintChoice("其他：" + "、".join(others), bool(others)))
        return boxes
    if field.type in {"yes_with_name", "boolean"}:
        try:
            value = clean_value(field, raw)
        except Exception:  # noqa: BLE001
            value = None
        yes = bool(value)
        name = f"（{value}）" if field.type == "yes_with_name" and value else ""
        return [
            PrintChoice("是" + name, value is not None and yes),
            PrintChoice("否", value is not None and not yes),
        ]
    return []


def build_printable(
    application,
    *,
    draft: bool,
    verification_code: str = "",
    submitted_at: datetime | None = None,
    version: int = 0,
) -> Printable:
    with translation.override("zh-hans"):
        return _build(application, draft, verification_code, submitted_at, version)


def _build(application, draft, verification_code, submitted_at, version) -> Printable:
    ctx = Context.of(application)
    d = ctx.definition
    typed = ctx.typed()
    paths = leaf_paths()  # the catalogue's leaves by code, kept per process
    by_key = {f.key: f for f in d.all_fields()}

    sections = []
    for section, fields in ctx.sections():
        sections.append(
            PrintSection(
                key=section.key,
                title=section.title.zh,
                fields=[
                    PrintField(
                        key=f.key,
                        label=f.label.zh,
                        value=display(f, ctx.values.get(f.key), typed.get(f.key), paths),
                        type=f.type,
                        unit=UNIT_LABELS.get(f.unit or "", ""),
                        choices=_choices(f, ctx.values.get(f.key)),
                        long=f.type == "textarea",
                    )
                    for f in fields
                ],
            )
        )
    rosters = []
    for roster in ctx.rosters():
        columns = ctx.columns(roster)
        rows = [
            [str(i)] + [display(c, raw.get(c.key), None, paths) for c in columns]
            for i, raw in enumerate(ctx.rows.get(roster.key, []), start=1)
        ]
        rosters.append(
            PrintRoster(
                key=roster.key,
                title=roster.title.zh,
                columns=["序号"] + [c.label.zh for c in columns],
                rows=rows,
                notes=[f"须附：{e.label.zh}" for e in roster.evidence],
            )
        )
    names: dict[str, list[str]] = {}
    for f in application.files.all():  # prefetched by a submission
        if f.row_id is not None:
            continue
        names.setdefault(f.item, []).append(f.original_name)
    attachments = [
        PrintAttachment(
            a.number, a.label.zh, attachment_required(a, typed, ctx.today), names.get(a.key, [])
        )
        for a in ctx.attachments()
    ]
    signed = {c.key: c for c in application.commitments.order_by("accepted_at")}
    commitments = [
        PrintCommitment(
            title=c.title.zh,
            text=c.text,
            signer_label=c.signer.zh,
            signer_name=signed[c.key].signer_name if c.key in signed else "",
            accepted_at=timezone.localtime(signed[c.key].accepted_at).strftime("%Y-%m-%d %H:%M")
            if c.key in signed
            else "",
        )
        for c in d.commitments
        if c.by == "applicant"
    ]
    cover = [
        (
            line.label,
            display(by_key[line.value], ctx.values.get(line.value), typed.get(line.value), paths),
        )
        for line in d.cover
    ]
    if not cover:
        cover = [
            ("众创空间名称", application.space_name),
            ("运营机构", application.organisation.name),
        ]
    verify_url = (
        f"{settings.SITE_URL.rstrip('/')}{reverse('applications:verify')}?code={verification_code}"
        if verification_code
        else ""
    )
    track = next((t for t in d.tracks if t.key == application.track), None)
    return Printable(
        call_title=d.title.zh,
        document_number=d.document_number or "",
        issuer_name=application.call.issuer.name,
        year=d.year,
        track_title=track.title.zh if track else "",
        space_name=application.space_name,
        organisation_name=application.organisation.name,
        cover=cover,
        sections=sections,
        rosters=rosters,
        attachments=attachments,
        commitments=commitments,
        draft=draft,
        verification_code=verification_code,
        submitted_at=timezone.localtime(submitted_at).strftime("%Y-%m-%d %H:%M")
        if submitted_at
        else "",
        version=version,
        verify_url=verify_url,
    )
