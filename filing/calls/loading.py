"""Validating and loading call-definition files.

Loading is all or nothing: every file is read and checked first, and only when all are sound
are they written, in one transaction. Loading a version that is already there changes nothing;
loading the same version number with other content is refused (raise the version instead).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone
from pydantic import ValidationError

from filing.audit.services import record
from filing.calls.models import Call, CallVersion
from filing.calls.schema import SHANGHAI, CallDefinition
from filing.orgs.models import Authority


@dataclass
class Problem:
    file: str
    line: int | None
    place: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        place = f" {self.place}" if self.place else ""
        return f"{where}{place}: {self.message}"


class DefinitionError(Exception):
    """One or more definition files are unsound; nothing was loaded."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Checked:
    path: str
    definition: CallDefinition
    data: dict[str, Any]
    checksum: str


@dataclass
class LoadResult:
    loaded: list[CallVersion] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


# ----- reading and checking one file ---------------------------------------------------------


def _line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """Follow a validation error's location through the YAML node tree to a line number."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in loc:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            match = next((v for k, v in node.value if getattr(k, "value", None) == part), None)
            if match is None:
                continue  # a pydantic-internal segment (a union branch), not a key
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            node = node.value[part]
        else:
            continue
        line = node.start_mark.line + 1
    return line


def _place(loc: tuple[Any, ...], data: Any) -> str:
    """sections[0].fields[3] (key: space_name), readable for whoever edits the file."""
    out = ""
    key_hint = ""
    current = data
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            if isinstance(current, list) and part < len(current):
                current = current[part]
                if isinstance(current, dict) and "key" in current:
                    key_hint = str(current["key"])
        elif isinstance(current, dict) and part in current:
            out += ("." if out else "") + str(part)
            current = current[part]
    return f"{out} (key: {key_hint})" if key_hint else out


def _line_of_key(text: str, message: str) -> int | None:
    """For a cross-check message naming a key ('field space_name: …'), the line of that key."""
    kinds = "field|roster|rule|attachment|section|commitment|level|item|column"
    match = re.search(rf"(?:{kinds}) ([a-z][a-z0-9_]*)", message)
    if not match:
        return None
    key = re.escape(match.group(1))
    pattern = re.compile(rf"^[\s{{-]*key:\s*['\"]?{key}['\"]?\s*(?:[,}}]|$)", re.M)
    found = pattern.search(text)
    return text.count("\n", 0, found.start()) + 1 if found else None


def canonical(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def _refuse_aliases(root: yaml.Node, name: str) -> None:
    """No anchors and aliases (``&a`` … ``*a``): a definition never needs them, and a few nested
    aliases make a file of a few lines expand into billions of values when it is checked. An
    alias is the same node met twice in the composed document."""
    seen: set[int] = set()
    todo = [root]
    while todo:
        node = todo.pop()
        if id(node) in seen:
            line = node.start_mark.line + 1
            raise DefinitionError(
                [Problem(name, line, "", "aliases (*name) are not allowed in a call definition")]
            )
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            todo.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            todo.extend(node.value)


def _load(text: str, name: str) -> tuple[Any, yaml.Node | None]:
    """The document and its node tree (for line numbers), parsed once."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if root is None:
        return None, None
    _refuse_aliases(root, name)
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_document(root), root
    finally:
        loader.dispose()


def check_text(text: str, name: str) -> Checked:
    """Parse and validate one definition; raise DefinitionError listing every problem found."""
    try:
        raw, root = _load(text, name)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise DefinitionError(
            [Problem(name, line, "", f"not valid YAML: {getattr(exc, 'problem', exc)}")]
        ) from exc
    if not isinstance(raw, dict):
        raise DefinitionError([Problem(name, 1, "", "a call definition is a mapping of keys")])
    try:
        definition = CallDefinition.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            message = err["msg"].removeprefix("Value error, ")
            if not loc:
                for part in message.split("; "):
                    problems.append(Problem(name, _line_of_key(text, part), "", part))
                continue
            problems.append(Problem(name, _line_of(root, loc), _place(loc, raw), message))
        raise DefinitionError(problems) from exc
    data = definition.model_dump(mode="json", by_alias=True, exclude_defaults=False)
    # The checksum covers what the file says, not the schema's defaults: a new optional key in
    # the format must not make an unchanged file look changed.
    checksum = hashlib.sha256(canonical(raw).encode()).hexdigest()
    return Checked(name, definition, data, checksum)


def check_file(path: Path) -> Checked:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DefinitionError([Problem(path.name, None, "", f"cannot be read: {exc}")]) from exc
    return check_text(text, path.name)


# ----- checks against the database -------------------------------------------------------------


def _check_references(items: list[Checked]) -> list[Problem]:
    problems: list[Problem] = []
    codes_in_batch = {c.definition.code for c in items}
    known_authorities = set(Authority.objects.values_list("code", flat=True))
    seen: dict[str, str] = {}
    for item in items:
        d = item.definition
        if d.code in seen:
            problems.append(
                Problem(
                    item.path, None, "code", f"the code {d.code!r} is also used by {seen[d.code]}"
                )
            )
        seen[d.code] = item.path
        if d.issuer not in known_authorities:
            problems.append(
                Problem(item.path, None, "issuer", f"unknown authority code {d.issuer!r}")
            )
        for i, level in enumerate(d.route):
            if level.authority and level.authority not in known_authorities:
                problems.append(
                    Problem(
                        item.path,
                        None,
                        f"route[{i}].authority",
                        f"unknown authority code {level.authority!r}",
                    )
                )
        if (
            d.feeds
            and d.feeds not in codes_in_batch
            and not Call.objects.filter(code=d.feeds).exists()
        ):
            problems.append(
                Problem(
                    item.path,
                    None,
                    "feeds",
                    f"no call with the code {d.feeds!r} is loaded or being loaded",
                )
            )
        existing = CallVersion.objects.filter(call__code=d.code)
        same = existing.filter(version=d.version).first()
        if same and same.checksum != item.checksum:
            problems.append(
                Problem(
                    item.path,
                    None,
                    "version",
                    f"version {d.version} of {d.code} is already loaded with other content; "
                    "raise the version number to load a change",
                )
            )
        newest = existing.order_by("-version").first()
        if newest and newest.version > d.version and not same:
            problems.append(
                Problem(
                    item.path,
                    None,
                    "version",
                    f"version {d.version} is older than the loaded version {newest.version}",
                )
            )
    return problems


def _opens_at(d: CallDefinition, fallback: datetime) -> datetime:
    """The publication date; a call without one opens when loaded, or at its deadline if past."""
    if d.published_on:
        return datetime.combine(d.published_on, time(0, 0), tzinfo=SHANGHAI)
    return min(fallback, d.first_deadline) if d.first_deadline else fallback


def _order_by_feeds(items: list[Checked]) -> list[Checked]:
    """Load a national call before the provincial rounds that feed it."""
    return sorted(items, key=lambda c: c.definition.feeds is not None)


@transaction.atomic
def _write(
    items: list[Checked], *, actor: Any = None, rehearsal_of: dict[str, str] | None = None
) -> LoadResult:
    result = LoadResult()
    now = timezone.now()
    for item in _order_by_feeds(items):
        d = item.definition
        if CallVersion.objects.filter(call__code=d.code, version=d.version).exists():
            result.unchanged.append(d.code)
            continue
        existing = Call.objects.filter(code=d.code).first()
        fields = {
            "title": d.title.zh,
            "title_en": d.title.en,
            "issuer": Authority.objects.get(code=d.issuer),
            "document_number": d.document_number or "",
            "year": d.year,
            "feeds": Call.objects.get(code=d.feeds) if d.feeds else None,
            "opens_at": _opens_at(d, existing.opens_at if existing else now),
            "submission_deadline": d.first_deadline,
            "final_deadline": d.last_deadline,
            "is_rehearsal": bool(rehearsal_of and d.code in rehearsal_of),
            "rehearsal_of": Call.objects.filter(code=(rehearsal_of or {}).get(d.code, "")).first(),
        }
        call, _ = Call.objects.update_or_create(code=d.code, defaults=fields)
        version = CallVersion.objects.create(
            call=call,
            version=d.version,
            definition=item.data,
            checksum=item.checksum,
            source_file=item.path,
            loaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        call.current_version = version
        call.save(update_fields=["current_version"])
        record("call.loaded", actor=actor, obj=call, data={"version": d.version, "file": item.path})
        result.loaded.append(version)
    return result


def load_paths(paths: list[Path], *, actor: Any = None) -> LoadResult:
    """Check every file, then load them all, or raise DefinitionError and load none."""
    checked: list[Checked] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            checked.append(check_file(path))
        except DefinitionError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DefinitionError(problems)
    return load_checked(checked, actor=actor)


def load_checked(
    checked: list[Checked], *, actor: Any = None, rehearsal_of: dict[str, str] | None = None
) -> LoadResult:
    problems = _check_references(checked)
    if problems:
        raise DefinitionError(problems)
    return _write(checked, actor=actor, rehearsal_of=rehearsal_of)


def definition_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.yaml") if p.is_file())


# ----- rehearsal copies ----------------------------------------------------------------------

REHEARSAL_LEAD = timedelta(days=14)


def _shift(value: str | None, delta: timedelta) -> str | None:
    if value is None:
        return None
    if len(value) == 10:
        return (date.fromisoformat(value) + delta).isoformat()
    return (datetime.fromisoformat(value) + delta).isoformat()


def rehearsal_data(data: dict[str, Any], delta: timedelta, today: date) -> dict[str, Any]:
    """A copy of a definition with every date moved by delta, marked as a rehearsal."""
    copy = json.loads(json.dumps(data))
    copy["code"] = f"{data['code']}-rehearsal"
    copy["title"] = {
        "zh": f"【演练】{data['title']['zh']}",
        "en": f"[Rehearsal] {data['title']['en']}",
    }
    copy["published_on"] = today.isoformat()
    if data.get("feeds"):
        copy["feeds"] = f"{data['feeds']}-rehearsal"
    copy["submission"]["deadline"] = _shift(data["submission"].get("deadline"), delta)
    for level in copy["route"]:
        level["deadline"] = _shift(level.get("deadline"), delta)
    return copy


def make_rehearsals(originals: list[Call], today: date, *, actor: Any = None) -> LoadResult:
    """Rehearsal copies of loaded calls, dates shifted so their first deadline is two weeks off.

    A national call and the provincial rounds that feed it move by one shift, so the levels of
    the whole family stay in their original order. Existing rehearsals are left as they are.
    """
    families: dict[str, list[Call]] = {}
    for call in originals:
        root = call.feeds or call
        families.setdefault(root.code, []).append(call)
        if call.feeds and call.feeds not in originals:
            families[root.code].append(call.feeds)
    checked: list[Checked] = []
    mapping: dict[str, str] = {}
    for members in families.values():
        members = list({c.pk: c for c in members}.values())
        firsts = [c.definition.first_deadline for c in members if c.definition.first_deadline]
        if not firsts:
            continue
        first = min(firsts).astimezone(SHANGHAI).date()
        delta = timedelta(days=(today + REHEARSAL_LEAD - first).days)
        for call in members:
            copy_code = f"{call.code}-rehearsal"
            if Call.objects.filter(code=copy_code).exists():
                continue
            data = rehearsal_data(call.current_version.definition, delta, today)
            text = json.dumps(data, ensure_ascii=False)
            checked.append(check_text(text, f"{call.code} (rehearsal)"))
            mapping[copy_code] = call.code
    if not checked:
        return LoadResult()
    return load_checked(checked, actor=actor, rehearsal_of=mapping)


def load_text(text: str, name: str, *, actor: Any = None) -> LoadResult:
    """Check and load one uploaded definition; raise DefinitionError and load nothing if unsound."""
    return load_checked([check_text(text, name)], actor=actor)
