"""Loading the authority tree from definitions/authorities.yaml (idempotent)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

AUTHORITIES_FILE = (
    Path(__file__).resolve().parent.parent.parent / "definitions" / "authorities.yaml"
)


def load_authorities(Authority: Any, Region: Any, path: Path | None = None) -> int:
    """Create or update every authority in the file; works with migration (historical) models."""
    nodes = yaml.safe_load((path or AUTHORITIES_FILE).read_text(encoding="utf-8"))
    by_code: dict[str, Any] = {}
    pending_acts_for: list[tuple[Any, str]] = []
    count = 0

    def upsert(code: str, parent: Any, **fields: Any) -> Any:
        nonlocal count
        path_ = (parent.path if parent else "") + code + "/"
        obj, _ = Authority.objects.update_or_create(
            code=code, defaults={**fields, "parent": parent, "path": path_}
        )
        count += 1
        by_code[code] = obj
        return obj

    def walk(items: list[dict], parent: Any) -> None:
        for item in items:
            region = Region.objects.get(code=item["region"]) if item.get("region") else None
            obj = upsert(
                item["code"],
                parent,
                name=item["name"],
                name_en=item.get("name_en", ""),
                kind=item["kind"],
                region=region,
            )
            if item.get("acts_for"):
                pending_acts_for.append((obj, item["acts_for"]))
            if item.get("cities") == "auto" and region is not None:
                overrides = item.get("city_names", {})
                for city in Region.objects.filter(parent=region).order_by("code"):
                    upsert(
                        f"{item['code']}-{city.code}",
                        obj,
                        name=overrides.get(city.code, f"{city.name}科学技术局"),
                        name_en="",
                        kind="city",
                        region=city,
                    )
            walk(item.get("children", []), obj)

    walk(nodes, None)
    for obj, code in pending_acts_for:
        obj.acts_for = by_code[code]
        obj.save(update_fields=["acts_for"])
    return count
