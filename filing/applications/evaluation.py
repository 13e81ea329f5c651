"""What an application's values mean: typed values, computed fields, rule results, gaps.

Everything here reads the application and its call definition and changes nothing, so the
completeness list and the eligibility self-check can be shown at any moment of filling.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from filing.applications.fields import clean_value, is_empty
from filing.calls.schema import CallDefinition, FieldDef, Roster, Rule
from filing.lib.expressions import evaluate, referenced_names


def applies(tracks: list[str], track: str) -> bool:
    return not tracks or track in tracks


def t(text) -> str:
    return text.get(get_language()) if text is not None else ""


class Context:
    """The application's content in the shape the evaluation needs.

    Roster rows and files are read when first asked for: a page that shows only form fields
    and the side index (which needs the number of rows, `row_counts`) never reads them.
    """

    def __init__(
        self,
        *,
        definition: CallDefinition,
        track: str,
        values: dict[str, Any],
        organisation: Any,
        today: date,
        application: Any = None,
        rows: dict[str, list[dict[str, Any]]] | None = None,
        files: dict[str, int] | None = None,
        row_files: dict[tuple[str, int, str], int] | None = None,
    ):
        self.definition = definition
        self.track = track
        self.values = values  # raw values of the form fields
        self.organisation = organisation
        self.today = today
        self._application = application
        self._rows = rows  # roster key -> raw row values, in order
        self._files = files  # checklist item -> number of files
        self._row_files = row_files  # (roster, position, evidence) -> files

    @classmethod
    def of(
        cls,
        application,
        today: date | None = None,
        *,
        with_rows: bool = True,
        with_files: bool = True,
    ) -> Context:
        """The application's context; a caller that reads neither roster rows nor files (a
        summary column of plain fields) says so and they count as none."""
        return cls(
            definition=application.definition,
            track=application.track,
            values=application.values or {},
            organisation=application.organisation,
            today=today or timezone.localdate(),
            application=application,
            rows=None if with_rows else {},
            files=None if with_files else {},
            row_files=None if with_files else {},
        )

    @property
    def rows(self) -> dict[str, list[dict[str, Any]]]:
        if self._rows is None:
            self._load()
        return self._rows

    @property
    def files(self) -> dict[str, int]:
        if self._files is None:
            self._load()
        return self._files

    @property
    def row_files(self) -> dict[tuple[str, int, str], int]:
        if self._row_files is None:
            self._load()
        return self._row_files

    def _load(self) -> None:
        rows: dict[str, list[dict[str, Any]]] = {}
        positions: dict[int, tuple[str, int]] = {}
        for row in self._application.rows.all():
            rows.setdefault(row.roster, []).append(row.values)
            positions[row.pk] = (row.roster, row.position)
        if self._rows is None:
            self._rows = rows
        if self._files is None:
            files: dict[str, int] = {}
            row_files: dict[tuple[str, int, str], int] = {}
            for f in self._application.files.all():
                if f.row_id:
                    roster, position = positions.get(f.row_id, ("", 0))
                    key = (roster, position, f.item)
                    row_files[key] = row_files.get(key, 0) + 1
                else:
                    files[f.item] = files.get(f.item, 0) + 1
            self._files, self._row_files = files, row_files

    def row_counts(self) -> dict[str, int]:
        """Rows per roster: counted by the database unless the rows are read already."""
        if self._rows is not None:
            return {key: len(rows) for key, rows in self._rows.items()}
        return dict(
            self._application.rows.order_by()
            .values("roster")
            .annotate(n=Count("pk"))
            .values_list("roster", "n")
        )

    # ----- which parts of the definition apply ---------------------------------------------

    def sections(self):
        for section in self.definition.sections:
            if applies(section.tracks, self.track):
                fields = [f for f in section.fields if applies(f.tracks, self.track)]
                if fields:
                    yield section, fields

    def fields(self) -> list[FieldDef]:
        return [f for _s, fields in self.sections() for f in fields]

    def rosters(self) -> list[Roster]:
        return [r for r in self.definition.rosters if applies(r.tracks, self.track)]

    def columns(self, roster: Roster) -> list[FieldDef]:
        return [c for c in roster.columns if applies(c.tracks, self.track)]

    def attachments(self):
        return [a for a in self.definition.attachments if applies(a.tracks, self.track)]

    def rules(self) -> list[Rule]:
        return [r for r in self.definition.eligibility if applies(r.tracks, self.track)]

    # ----- values ----------------------------------------------------------------------------

    def field_errors(self) -> dict[str, str]:
        errors = {}
        for f in self.fields():
            try:
                clean_value(f, self.values.get(f.key))
            except ValidationError as exc:
                errors[f.key] = " ".join(exc.messages)
        return errors

    def typed(self, only: frozenset[str] | None = None) -> dict[str, Any]:
        """Field values as Python values (invalid ones as None), computed fields included.

        With ``only``, just those names and what their computed fields read are typed: a long
        list (the summary table) needs a handful of fields of each application, not all.
        """
        needed = names_with_inputs(self.definition, only) if only is not None else None
        out: dict[str, Any] = {}
        for f in self.definition.all_fields():
            if needed is not None and f.key not in needed:
                continue
            if f.type == "computed" or not applies(f.tracks, self.track):
                out[f.key] = None
                continue
            try:
                out[f.key] = clean_value(f, self.values.get(f.key))
            except ValidationError:
                out[f.key] = None
        for roster in self.definition.rosters:
            if needed is not None and roster.key not in needed:
                continue
            typed_rows = []
            for raw in self.rows.get(roster.key, []):
                row = {}
                for col in roster.columns:
                    try:
                        row[col.key] = clean_value(col, raw.get(col.key))
                    except ValidationError:
                        row[col.key] = None
                typed_rows.append(row)
            out[roster.key] = typed_rows
        org = self.organisation
        out["track"] = self.track
        for name, fact in ORGANISATION_FACTS.items():
            if needed is None or name in needed:  # regions and zones are read when asked for
                out[name] = fact(org)
        self._compute(out)
        return out

    def _compute(self, out: dict[str, Any]) -> None:
        computed = [
            f for f in self.definition.all_fields() if f.type == "computed" and f.key in out
        ]
        for _round in range(len(computed) + 1):
            changed = False
            for f in computed:
                outcome = evaluate(f.expression or "", _rule_values(out), today=self.today)
                value = outcome.value if outcome.decided else None
                if isinstance(value, float):
                    value = round(value, max(f.decimals, 2))
                if value != out.get(f.key):
                    out[f.key] = value
                    changed = True
            if not changed:
                return


# What an expression may say of the applicant organisation, by name.
ORGANISATION_FACTS = {
    "organisation_name": lambda org: org.name,
    "organisation_credit_code": lambda org: org.credit_code,
    "organisation_province": lambda org: org.province.name,
    "organisation_city": lambda org: org.city.name,
    "organisation_zone": lambda org: org.zone.name if org.zone_id else "",
    "organisation_nature": lambda org: org.nature,
    "organisation_address": lambda org: org.address,
    "legal_representative": lambda org: org.legal_representative,
    "host_entity_name": lambda org: org.host_entity_name,
    "host_entity_kind": lambda org: org.host_entity_kind,
}


def names_with_inputs(definition, names: Iterable[str]) -> frozenset[str]:
    """The names, and every name their computed fields read, however indirectly."""
    computed = {f.key: f for f in definition.all_fields() if f.type == "computed"}
    found, todo = set(names), list(names)
    while todo:
        f = computed.get(todo.pop())
        if f is None:
            continue
        for name in referenced_names(f.expression or ""):
            if name not in found:
                found.add(name)
                todo.append(name)
    return frozenset(found)


def _rule_values(typed: dict[str, Any]) -> dict[str, Any]:
    # Rules compare numbers; Decimal and float do not mix in arithmetic, so use float.
    return {k: (float(v) if isinstance(v, Decimal) else v) for k, v in typed.items()}


# ----- eligibility ---------------------------------------------------------------------------


PASS, FAIL, UNDECIDED = "pass", "fail", "undecided"


@dataclass
class RuleResult:
    rule: Rule
    result: str
    reason: str

    @property
    def title(self) -> str:
        return t(self.rule.title)


def rule_results(ctx: Context, today: date) -> list[RuleResult]:
    typed = _rule_values(ctx.typed())
    labels = {f.key: t(f.label) for f in ctx.definition.all_fields()}
    labels.update({r.key: t(r.title) for r in ctx.definition.rosters})
    results = []
    for rule in ctx.rules():
        outcome = evaluate(rule.expression, typed, today=today)
        if outcome.missing:
            names = "、".join(labels.get(n, n) for n in outcome.missing)
            results.append(
                RuleResult(
                    rule, UNDECIDED, _("尚不能判断：请先填写 %(names)s。") % {"names": names}
                )
            )
        elif outcome.error or outcome.value is None:
            results.append(RuleResult(rule, UNDECIDED, _("尚不能判断：相关数据不完整或为零。")))
        elif outcome.value:
            results.append(RuleResult(rule, PASS, _("符合。")))
        else:
            results.append(RuleResult(rule, FAIL, t(rule.message)))
    return results


# ----- completeness --------------------------------------------------------------------------


@dataclass
class Gap:
    """Something missing or wrong before submission, with where to fix it."""

    where: str  # "section:<key>#<field>", "roster:<key>", "attachments#<item>", "commitment"
    message: str


def gaps(ctx: Context) -> list[Gap]:
    out: list[Gap] = []
    errors = ctx.field_errors()
    for section, fields in ctx.sections():
        for f in fields:
            if f.type == "computed":
                continue
            if f.key in errors:
                out.append(Gap(f"section:{section.key}#{f.key}", f"{t(f.label)}：{errors[f.key]}"))
            elif f.required and is_empty(ctx.values.get(f.key)):
                out.append(
                    Gap(
                        f"section:{section.key}#{f.key}",
                        _("%(label)s：必填。") % {"label": t(f.label)},
                    )
                )
    typed = ctx.typed()
    for roster in ctx.rosters():
        rows = ctx.rows.get(roster.key, [])
        title = t(roster.title)
        if len(rows) < roster.min_rows:
            out.append(
                Gap(
                    f"roster:{roster.key}",
                    _("%(title)s：至少需要 %(n)d 行，当前 %(m)d 行。")
                    % {"title": title, "n": roster.min_rows, "m": len(rows)},
                )
            )
        mismatch = count_mismatch(ctx, roster, typed)
        if mismatch is not None:
            out.append(Gap(f"roster:{roster.key}", mismatch.message))
        columns = ctx.columns(roster)
        for index, raw in enumerate(rows, start=1):
            for col in columns:
                try:
                    value = clean_value(col, raw.get(col.key))
                except ValidationError as exc:
                    out.append(
                        Gap(
                            f"roster:{roster.key}",
                            _("%(title)s第 %(n)d 行“%(col)s”：%(msg)s")
                            % {
                                "title": title,
                                "n": index,
                                "col": t(col.label),
                                "msg": " ".join(exc.messages),
                            },
                        )
                    )
                    continue
                if col.required and value is None:
                    out.append(
                        Gap(
                            f"roster:{roster.key}",
                            _("%(title)s第 %(n)d 行“%(col)s”：必填。")
                            % {"title": title, "n": index, "col": t(col.label)},
                        )
                    )
            typed_row = typed[roster.key][index - 1]
            for ev in roster.evidence:
                needed = ev.required or (
                    ev.required_if and row_condition(ev.required_if, typed_row, ctx.today)
                )
                have = ctx.row_files.get((roster.key, index, ev.key), 0)
                if needed and have < ev.min_files:
                    out.append(
                        Gap(
                            f"roster:{roster.key}",
                            _(
                                "%(title)s第 %(n)d 行：缺少“%(label)s”（需 %(min)d 份，已有 %(have)d 份）。"
                            )
                            % {
                                "title": title,
                                "n": index,
                                "label": t(ev.label),
                                "min": ev.min_files,
                                "have": have,
                            },
                        )
                    )
    for item in ctx.attachments():
        if attachment_required(item, typed, ctx.today) and not ctx.files.get(item.key):
            out.append(
                Gap(
                    f"attachments#{item.key}",
                    _("附件 %(number)s %(label)s：未上传。")
                    % {"number": item.number, "label": t(item.label)},
                )
            )
    return out


@dataclass
class CountMismatch:
    """A declared number (the roster's count_field) that differs from the roster's row count."""

    roster: Roster
    field: FieldDef
    declared: Any
    rows: int

    @property
    def message(self) -> str:
        return count_mismatch_message(
            t(self.field.label), self.declared, t(self.roster.title), self.rows
        )


def count_mismatch_message(label: str, declared: Any, title: str, rows: int) -> str:
    return _("%(label)s填报为 %(declared)s，但%(title)s有 %(rows)d 行，两者应一致。") % {
        "label": label,
        "declared": declared,
        "title": title,
        "rows": rows,
    }


def count_mismatch(ctx: Context, roster: Roster, typed: dict[str, Any]) -> CountMismatch | None:
    """The one check that a roster's declared count agrees with its rows (typed: ctx.typed())."""
    if not roster.count_field or not applies_field(ctx, roster.count_field):
        return None
    declared = typed.get(roster.count_field)
    rows = len(ctx.rows.get(roster.key, []))
    if declared is None or int(declared) == rows:
        return None
    field = next(f for f in ctx.definition.all_fields() if f.key == roster.count_field)
    return CountMismatch(roster=roster, field=field, declared=declared, rows=rows)


def applies_field(ctx: Context, key: str) -> bool:
    return any(f.key == key for f in ctx.fields())


def row_condition(expression: str, typed_row: dict[str, Any], today: date) -> bool:
    outcome = evaluate(expression, _rule_values(typed_row), today=today)
    return bool(outcome.decided and outcome.value)


def attachment_required(item, typed: dict[str, Any], today: date | None = None) -> bool:
    """Required outright, or because the application says something that calls for it."""
    if item.required:
        return True
    if item.required_if:
        outcome = evaluate(
            item.required_if, _rule_values(typed), today=today or timezone.localdate()
        )
        return bool(outcome.decided and outcome.value)
    return False


def section_status(ctx: Context) -> dict[str, str]:
    """'complete', 'errors' or 'incomplete' for each section key, for the side index."""
    errors = ctx.field_errors()
    status = {}
    for section, fields in ctx.sections():
        keys = [f.key for f in fields if f.type != "computed"]
        if any(k in errors for k in keys):
            status[section.key] = "errors"
        elif any(
            f.required and is_empty(ctx.values.get(f.key)) for f in fields if f.type != "computed"
        ):
            status[section.key] = "incomplete"
        else:
            status[section.key] = "complete"
    return status
