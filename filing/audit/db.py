"""The database side of the append-only rule, and its one escape hatch.

Triggers refuse UPDATE, DELETE and TRUNCATE on audit rows. A connection may switch on
*maintenance* to let a whole-database flush through; only the test suite does, to empty the
database between tests. Production code never calls set_maintenance.
"""

from __future__ import annotations

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


connection_created.connect(on_connection_created)
