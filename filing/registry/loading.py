"""Loading published filed lists from definitions/registry/; used by a migration and a command.

The functions take the model classes as arguments so that the data migration can pass its
historical models. An entry is found by (document, position): loading a file again updates what
changed and creates nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from filing.registry.batches import batch_number
from filing.registry.constants import HOST_SEPARATOR
from filing.registry.schema import FiledList

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "definitions" / "registry"


@dataclass
class LoadResult:
    document: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def registry_files(directory: Path = DATA_DIR) -> list[Path]:
    return sorted(directory.glob("*.yaml"))


def read_list(path: Path) -> FiledList:
    """Parse and check one file; raises pydantic.ValidationError or yaml.YAMLError."""
    return FiledList.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def load_list(FiledSpace: Any, Authority: Any, filed: FiledList) -> LoadResult:
    authority = None
    if filed.authority:
        authority = Authority.objects.filter(code=filed.authority).first()
    batch = filed.batch.zh if filed.batch else ""
    result = LoadResult(document=filed.document)
    for entry in filed.entries:
        values = {
            "space_name": entry.name,
            "host_entity_name": HOST_SEPARATOR.join(entry.hosts),
            "operator_name": entry.operator,
            "track_kind": filed.track_kind,
            "level": filed.level,
            "year": filed.year,
            "batch": batch,
            "batch_en": filed.batch.en if filed.batch else "",
            "batch_number": batch_number(batch),
            "filed_on": filed.filed_on,
            "authority_id": authority.pk if authority else None,
        }
        existing = FiledSpace.objects.filter(
            decision_document=filed.document, position=entry.position
        ).first()
        if existing is None:
            FiledSpace.objects.create(
                decision_document=filed.document, position=entry.position, **values
            )
            result.created += 1
            continue
        changed = [key for key, value in values.items() if getattr(existing, key) != value]
        if not changed:
            result.unchanged += 1
            continue
        for key in changed:
            setattr(existing, key, values[key])
        existing.save(update_fields=[*changed, "updated_at"])
        result.updated += 1
    return result


def load_file(FiledSpace: Any, Authority: Any, path: Path) -> LoadResult:
    return load_list(FiledSpace, Authority, read_list(path))
