"""The database side of the append-only rule, and its one escape hatch.

Triggers refuse UPDATE, DELETE and TRUNCATE on audit rows. A connection may switch on
*maintenance* to let a whole-database flush through. Two callers do: the test suite, to empty
its database between tests, and `manage.py restore --replace`, which deletes an instance's
whole database, its audit trail included, to put a backup's in its place (the archive carries
its own trail, and the restore appends a row saying it happened; see docs/backup.md). No page
or service calls it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db.backends.signals import connection_created

_state = {"maintenance": False}


def _sqlite_flag() -> int:
    return 1 if _state["maintenance"] else 0


def _apply(connection) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("audit_maintenance", 0, _sqlite_flag)
    elif connection.vendor == "postgresql":
        with connection.connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('filing.audit_maintenance', %s, false)",
                ["on" if _state["maintenance"] else "off"],
            )


def on_connection_created(sender, connection, **kwargs) -> None:
    _apply(connection)


def set_maintenance(on: bool) -> None:
    """Switch maintenance for every open connection and for connections opened later."""
    from django.db import connections

    _state["maintenance"] = on
    for conn in connections.all(initialized_only=True):
        if conn.connection is not None:
            _apply(conn)


@contextmanager
def maintenance() -> Iterator[None]:
    """Maintenance for the duration of the block, then back to what it was before.

    Enter it outside any transaction: on PostgreSQL the switch is a session setting, which a
    rolled-back transaction would otherwise undo under the block's feet.
    """
    previous = _state["maintenance"]
    set_maintenance(True)
    try:
        yield
    finally:
        set_maintenance(previous)


connection_created.connect(on_connection_created)
