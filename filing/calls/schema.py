"""The call-definition format: what a YAML file in definitions/calls/ may say.

A definition describes one call (通知 / 申报批次) completely: who issued it, its route of levels
and deadlines, its forms, rosters, attachment checklist, commitments, eligibility rules,
reviewer checklist and summary table. Nothing about a particular province lives in code; a new
call is a copied and edited file. The format is documented in docs/call-definitions.md.

Every model forbids unknown keys, so a misspelt key is an error, not a silently ignored line.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from filing.lib.expressions import ExpressionError, check_syntax, referenced_names

SCHEMA_VERSION = 1
SHANGHAI = ZoneInfo("Asia/Shanghai")
KEY_RE = r"^[a-z][a-z0-9_]*$"
Key = Annotated[str, Field(pattern=KEY_RE, max_length=60)]


def _deadline(value: Any) -> Any:
    """A date alone means the end of that day in Asia/Shanghai; a naive time is Shanghai's."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=SHANGHAI)
    if isinstance(value, date):
        return datetime.combine(value, time(23, 59, 59), tzinfo=SHANGHAI)
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return _deadline(date.fromisoformat(text))
        parsed = datetime.fromisoformat(text)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=SHANGHAI)
    return value


Deadline = Annotated[datetime, BeforeValidator(_deadline)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A text shown to people, in Chinese and English."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, language: str | None) -> str:
        return self.en if language == "en" else self.zh


FieldType = Literal[
    "text",
    "textarea",
    "integer",
    "decimal",
    "date",
    "choice",
    "multichoice",
    "yes_with_name",
    "boolean",
    "high_tech_field",
    "phone",
    "mobile",
    "email",
    "credit_code",
    "computed",
]
NUMERIC_TYPES = {"integer", "decimal", "computed"}
Unit = Literal[
    "m2", "wan_yuan", "count", "sessions", "persons", "percent", "times", "seats", "months"
]


class Choice(Strict):
    value: Key
    label: Text


class FieldDef(Strict):
    """One input of a form or one column of a roster."""

    key: Key
    type: FieldType
    label: Text
    help: Text | None = None
    required: bool = False
    max_chars: int | None = Field(default=None, gt=0)
    min_chars: int | None = Field(default=None, ge=0)
    min: float | None = None
    max: float | None = None
    plausible_min: float | None = None
    plausible_max: float | None = None
    decimals: int = Field(default=0, ge=0, le=4)
    unit: Unit | None = None
    choices: list[Choice] = []
    other_choice: bool = False
    expression: str | None = None
    pattern: str | None = None
    pattern_message: Text | None = None
    prefill: (
        Literal[
            "organisation.name",
            "organisation.credit_code",
            "organisation.address",
            "organisation.legal_representative",
            "organisation.host_entity_name",
            "organisation.city",
            "organisation.phone",
            "organisation.nature",
        ]
        | None
    ) = None
    tracks: list[Key] = []

    @model_validator(mode="after")
    def _consistent(self) -> FieldDef:
        if self.type in {"choice", "multichoice"} and not self.choices:
            raise ValueError(f"field {self.key}: a {self.type} field needs choices")
        if self.type not in {"choice", "multichoice"} and self.choices:
            raise ValueError(f"field {self.key}: only choice fields have choices")
        if self.type == "computed" and not self.expression:
            raise ValueError(f"field {self.key}: a computed field needs an expression")
        if self.type != "computed" and self.expression:
            raise ValueError(f"field {self.key}: only computed fields have an expression")
        if self.type == "computed" and self.required:
            raise ValueError(f"field {self.key}: a computed field is never typed, so not required")
        if self.max_chars and self.type not in {"text", "textarea", "yes_with_name"}:
            raise ValueError(f"field {self.key}: max_chars applies to text fields only")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"field {self.key}: min is above max")
        if self.pattern:
            try:
                re.compile(self.pattern)
            except re.error as exc:
                raise ValueError(f"field {self.key}: pattern is not a valid regex: {exc}") from exc
            if self.pattern_message is None:
                raise ValueError(f"field {self.key}: a pattern needs a pattern_message")
        return self


class Section(Strict):
    key: Key
    title: Text
    help: Text | None = None
    tracks: list[Key] = []
    fields: list[FieldDef] = Field(min_length=1)


class Evidence(Strict):
    """A file a roster row carries (an agreement, an IP certificate when IP is claimed)."""

    key: Key
    label: Text
    help: Text | None = None
    required: bool = False
    required_if: str | None = None
    min_files: int = Field(default=1, ge=1, le=20)


# What a roster's rows are. Integrity signals compare resident companies, teams and mentors
# across the applications of a call; activities and rosters without a kind are not compared.
RosterKind = Literal["teams", "companies", "residents", "mentors", "activities"]


class Roster(Strict):
    key: Key
    title: Text
    help: Text | None = None
    kind: RosterKind | None = None
    tracks: list[Key] = []
    min_rows: int = Field(default=0, ge=0)
    max_rows: int = Field(default=2000, ge=1)
    count_field: Key | None = None
    columns: list[FieldDef] = Field(min_length=1)
    evidence: list[Evidence] = []

    @field_validator("columns")
    @classmethod
    def _simple_columns(cls, columns: list[FieldDef]) -> list[FieldDef]:
        for col in columns:
            if col.type in {"textarea", "multichoice", "computed"}:
                raise ValueError(f"roster column {col.key}: type {col.type} is not allowed")
        return columns


class Attachment(Strict):
    key: Key
    number: str = Field(min_length=1, max_length=20)
    label: Text
    help: Text | None = None
    required: bool = False
    required_if: str | None = None
    tracks: list[Key] = []


class Commitment(Strict):
    key: Key
    title: Text
    text: str = Field(min_length=1)
    text_en: str | None = None
    by: Literal["applicant", "level"] = "applicant"
    level: Key | None = None
    signer: Text

    @model_validator(mode="after")
    def _level_named(self) -> Commitment:
        if self.by == "level" and not self.level:
            raise ValueError(f"commitment {self.key}: a level's commitment names its route level")
        return self


class Rule(Strict):
    """An eligibility condition, evaluated on the application with a reason shown to people."""

    key: Key
    title: Text
    expression: str
    message: Text
    source: str | None = None
    tracks: list[Key] = []
    severity: Literal["error", "warning"] = "error"


class ChecklistItem(Strict):
    key: Key
    text: Text
    source: str | None = None
    tracks: list[Key] = []
    levels: list[Key] = []


TASKS = Literal[
    "formal_review",
    "site_check",
    "publicity",
    "rank",
    "recommendation_letter",
    "summary_table",
    "supervisor_commitment",
    "electronic_materials",
    "paper_copies",
]
LevelKind = Literal["city", "zone", "province", "receiving_unit", "ministry", "national_unit"]


class RouteLevel(Strict):
    key: Key
    level: LevelKind
    alternatives: list[LevelKind] = []
    authority: str | None = None
    title: Text
    deadline: Deadline | None = None
    tasks: list[TASKS] = []
    decides_filing: bool = False
    note: Text | None = None


class Contact(Strict):
    unit: str | None = None
    name: str
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    postcode: str | None = None


class Annex(Strict):
    number: str
    title: str


class Notice(Strict):
    text: str = Field(min_length=1)
    annexes: list[Annex] = []
    source: str | None = None


class Track(Strict):
    key: Key
    title: Text
    kind: Literal["maker_space", "professional_maker_space"]


class SummaryColumn(Strict):
    key: Key
    label: Text
    value: str
    source: str | None = None


class SummaryTable(Strict):
    title: Text
    level: Key
    columns: list[SummaryColumn] = Field(min_length=1)
    notes: list[str] = []


class Submission(Strict):
    deadline: Deadline | None = None
    copies: str | None = None


class CoverField(Strict):
    label: str
    value: str


class CallDefinition(Strict):
    schema_version: Literal[1] = Field(alias="schema")
    code: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
    version: int = Field(ge=1)
    title: Text
    issuer: str
    document_number: str | None = None
    year: int = Field(ge=2000, le=2100)
    batch: Text | None = None
    published_on: date | None = None
    feeds: str | None = None
    notice: Notice
    contacts: list[Contact] = []
    tracks: list[Track] = Field(min_length=1)
    submission: Submission = Submission()
    route: list[RouteLevel] = Field(min_length=1)
    cover: list[CoverField] = []
    sections: list[Section] = []
    rosters: list[Roster] = []
    attachments: list[Attachment] = []
    commitments: list[Commitment] = []
    eligibility: list[Rule] = []
    review_checklist: list[ChecklistItem] = []
    summary_table: SummaryTable | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    # ----- derived views -------------------------------------------------------------------

    def all_fields(self) -> list[FieldDef]:
        return [f for s in self.sections for f in s.fields]

    def field_keys(self) -> set[str]:
        return {f.key for f in self.all_fields()}

    def track_keys(self) -> set[str]:
        return {t.key for t in self.tracks}

    @property
    def first_deadline(self) -> datetime | None:
        """When applicants' submissions close: the submission deadline, else the first level's."""
        return self.submission.deadline or self.route[0].deadline

    @property
    def last_deadline(self) -> datetime | None:
        dates = [lvl.deadline for lvl in self.route if lvl.deadline]
        return max(dates) if dates else self.first_deadline

    # ----- cross-checks ------------------------------------------------------------------

    @model_validator(mode="after")
    def _cross_checks(self) -> CallDefinition:
        errors: list[str] = []
        tracks = self.track_keys()
        _unique("track", [t.key for t in self.tracks], errors)
        _unique("route level", [lvl.key for lvl in self.route], errors)
        _unique("section", [s.key for s in self.sections], errors)
        _unique("attachment", [a.key for a in self.attachments], errors)
        _unique("rule", [r.key for r in self.eligibility], errors)
        _unique("commitment", [c.key for c in self.commitments], errors)
        _unique("checklist item", [c.key for c in self.review_checklist], errors)
        # Fields and rosters share one namespace: rules and computed values read both.
        _unique(
            "field or roster",
            [f.key for f in self.all_fields()] + [r.key for r in self.rosters],
            errors,
        )
        for roster in self.rosters:
            _unique(f"column of roster {roster.key}", [c.key for c in roster.columns], errors)

        def check_tracks(where: str, keys: list[str]) -> None:
            for key in keys:
                if key not in tracks:
                    errors.append(
                        f"{where}: unknown track {key!r} (tracks: {', '.join(sorted(tracks))})"
                    )

        for s in self.sections:
            check_tracks(f"section {s.key}", s.tracks)
            for f in s.fields:
                check_tracks(f"field {f.key}", f.tracks)
        for r in self.rosters:
            check_tracks(f"roster {r.key}", r.tracks)
            for col in r.columns:
                check_tracks(f"column {col.key} of roster {r.key}", col.tracks)
        for a in self.attachments:
            check_tracks(f"attachment {a.key}", a.tracks)
        for rule in self.eligibility:
            check_tracks(f"rule {rule.key}", rule.tracks)
        for item in self.review_checklist:
            check_tracks(f"checklist item {item.key}", item.tracks)

        names = self.field_keys() | {r.key for r in self.rosters} | {"track"} | ORGANISATION_NAMES
        numeric = {f.key for f in self.all_fields() if f.type in NUMERIC_TYPES}
        for f in self.all_fields():
            if f.type == "computed":
                _expr(f"field {f.key}.expression", f.expression or "", names, errors)
                if f.key in referenced_names_safe(f.expression or ""):
                    errors.append(f"field {f.key}.expression: a computed field cannot read itself")
        for rule in self.eligibility:
            _expr(f"rule {rule.key}.expression", rule.expression, names, errors)
        for a in self.attachments:
            if a.required_if:
                _expr(f"attachment {a.key}.required_if", a.required_if, names, errors)
        for roster in self.rosters:
            columns = {c.key for c in roster.columns}
            if roster.kind in {"teams", "residents", "mentors"} and "name" not in columns:
                errors.append(
                    f"roster {roster.key}: a roster of {roster.kind} needs a `name` column "
                    "(rows are compared across applications by it)"
                )
            if roster.count_field and roster.count_field not in numeric:
                errors.append(
                    f"roster {roster.key}.count_field: {roster.count_field!r} is not a number field"
                )
            for ev in roster.evidence:
                if ev.required_if:
                    _expr(
                        f"roster {roster.key} evidence {ev.key}.required_if",
                        ev.required_if,
                        columns,
                        errors,
                    )
        levels = {lvl.key for lvl in self.route}
        for item in self.review_checklist:
            for level in item.levels:
                if level not in levels:
                    errors.append(f"checklist item {item.key}: unknown route level {level!r}")
        for line in self.cover:
            if line.value not in self.field_keys():
                errors.append(f"cover line {line.label!r}: {line.value!r} is not a field key")
        for c in self.commitments:
            if c.level and c.level not in levels:
                errors.append(f"commitment {c.key}: unknown route level {c.level!r}")
        if self.summary_table:
            if self.summary_table.level not in levels:
                errors.append(
                    f"summary_table.level: unknown route level {self.summary_table.level!r}"
                )
            known = names | SUMMARY_EXTRA_NAMES
            for col in self.summary_table.columns:
                _expr(f"summary column {col.key}.value", col.value, known, errors)
        previous = self.submission.deadline
        for lvl in self.route:
            if lvl.deadline and previous and lvl.deadline < previous:
                errors.append(f"route level {lvl.key}: its deadline is before the previous one")
            previous = lvl.deadline or previous
        if not any(lvl.decides_filing for lvl in self.route) and not self.route[-1].decides_filing:
            errors.append("route: the last level must decide the filing (decides_filing: true)")
        if errors:
            raise ValueError("; ".join(errors))
        return self


# Names every rule and computed value may read besides the application's fields: facts of
# the applicant organisation's profile, filled in when the application is evaluated.
ORGANISATION_NAMES = {
    "organisation_name",
    "organisation_credit_code",
    "organisation_province",
    "organisation_city",
    "organisation_zone",
    "organisation_nature",
    "organisation_address",
    "legal_representative",
    "host_entity_name",
    "host_entity_kind",
}

# Names a summary-table column may read besides the application's fields.
SUMMARY_EXTRA_NAMES = ORGANISATION_NAMES | {
    "rank",
    "track_title",
    "field_path",
    "site_check",
    "level_opinion",
}


def referenced_names_safe(expression: str) -> frozenset[str]:
    try:
        return referenced_names(expression)
    except ExpressionError:
        return frozenset()


def _unique(what: str, keys: list[str], errors: list[str]) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            errors.append(f"duplicate {what} key {key!r}")
        seen.add(key)


def _expr(where: str, expression: str, names: set[str], errors: list[str]) -> None:
    try:
        check_syntax(expression, names)
    except ExpressionError as exc:
        errors.append(f"{where}: {exc}")
