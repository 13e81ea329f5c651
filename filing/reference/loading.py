"""Loading the reference files into the database; used by a migration and a command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "definitions" / "reference"


def sort_key(code: str) -> str:
    return ".".join(f"{int(part):03d}" for part in code.split("."))


def load_regions(Region: Any, path: Path | None = None) -> int:
    data = json.loads((path or DATA_DIR / "regions.json").read_text(encoding="utf-8"))
    count = 0
    for province in data:
        prov, _ = Region.objects.update_or_create(
            code=province["code"], defaults={"name": province["name"], "level": "province"}
        )
        count += 1
        for city in province.get("children", []):
            Region.objects.update_or_create(
                code=city["code"], defaults={"name": city["name"], "level": "city", "parent": prov}
            )
            count += 1
    return count


def load_fields(HighTechField: Any, path: Path | None = None, catalogue: str = "2016") -> int:
    data = json.loads((path or DATA_DIR / "high_tech_fields.json").read_text(encoding="utf-8"))
    count = 0

    def walk(items: list[dict], parent: Any, level: int, names: list[str]) -> None:
        nonlocal count
        for item in items:
            children = item.get("children") or []
            obj, _ = HighTechField.objects.update_or_create(
                catalogue=catalogue,
                code=item["code"],
                defaults={
                    "name": item["name"],
                    "level": level,
                    "parent": parent,
                    "is_leaf": not children,
                    "path": " / ".join([*names, item["name"]]),
                    "sort_key": sort_key(item["code"]),
                },
            )
            count += 1
            walk(children, obj, level + 1, [*names, item["name"]])

    walk(data, None, 1, [])
    return count
