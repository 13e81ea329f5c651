"""Every table's rows as plain values, read with SQL: a yardstick independent of the backup's
own serialiser and model list. Run as a module it prints the dump of the database its
environment names (DATABASE_URL), so a test can read another instance's tables:

    python -m filing.backups.tests.tables
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

# Django's own bookkeeping: when each migration ran differs between two instances by nature.
SKIPPED = {"django_migrations"}


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, float | Decimal):
        return repr(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return str(value)


def dump(using: str = "default") -> dict[str, list[dict[str, Any]]]:
    """{table: rows sorted by their content}, for every table the database holds."""
    from django.db import connections

    connection = connections[using]
    tables: dict[str, list[dict[str, Any]]] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table in SKIPPED:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            columns = [c[0] for c in cursor.description]
            rows = [dict(zip(columns, map(_plain, row), strict=True)) for row in cursor.fetchall()]
            tables[table] = sorted(rows, key=lambda r: json.dumps(r, sort_keys=True))
    return tables


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "filing.settings")
    import django

    django.setup()
    json.dump(dump(), sys.stdout, ensure_ascii=False)
