"""The database side of a backup: which models, a consistent snapshot, rows out and back in.

Every concrete model Django knows is backed up, the auto-created many-to-many tables included,
so a model added later is covered without a change here. Rows keep their primary keys: the
restore empties the tables of a freshly migrated database (whose only rows are the reference
data, authorities, filed list, content types and permissions that migrations put there) and
loads the archive's rows in their place, so every foreign key, content-type id and audit
reference stays valid as it was, and no natural keys are needed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from django.apps import apps
from django.core.management.color import no_style
from django.core.serializers import jsonl
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models, router, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from filing.backups.errors import ArchiveError, BackupError

# The models a freshly migrated database already holds rows of (data migrations and Django's
# post-migrate signal). Any other model with a row means the instance is in use. The round-trip
# test restores into a freshly migrated database, so a new data migration that seeds another
# model makes it fail until the model is named here.
SEEDED = frozenset(
    {
        "auth.permission",
        "contenttypes.contenttype",
        "orgs.authority",
        "reference.hightechfield",
        "reference.region",
        "registry.filedspace",
    }
)


def backed_up_models(using: str) -> list[type[models.Model]]:
    """Every model with a table of its own in this database, by label."""
    found = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
        and not model._meta.proxy
        and router.allow_migrate_model(using, model)
    ]
    return sorted(found, key=lambda m: m._meta.label_lower)


def label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def field_label(f: models.Field) -> str:
    return f"{label(f.model)}.{f.name}"


def field_by_label(text: str) -> models.FileField:
    app_label, model_name, field_name = text.split(".")
    f = apps.get_model(app_label, model_name)._meta.get_field(field_name)
    if not isinstance(f, models.FileField):
        raise LookupError(text)
    return f


# ----- the snapshot -------------------------------------------------------------------------


@contextmanager
def snapshot(using: str) -> Iterator[None]:
    """One read-only transaction that sees the database as of its first read.

    PostgreSQL: REPEATABLE READ, READ ONLY (what pg_dump uses); writers carry on meanwhile.
    SQLite: one deferred read transaction, begun plainly even where the settings make every
    other transaction IMMEDIATE (which would take the write lock); without WAL, writers wait
    for it to end, up to the connection's timeout.
    """
    connection = connections[using]
    if connection.in_atomic_block:
        raise BackupError("a backup reads the database in a transaction of its own: run it alone")
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
    elif connection.vendor == "sqlite":
        mode = connection.transaction_mode
        connection.transaction_mode = None
        try:
            with transaction.atomic(using=using):
                connection.transaction_mode = mode
                yield
        finally:
            connection.transaction_mode = mode
    else:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {connection.vendor}")


# ----- migration state ----------------------------------------------------------------------


def applied_migrations(using: str) -> set[tuple[str, str]]:
    return set(MigrationRecorder(connections[using]).applied_migrations())


def code_migrations() -> set[tuple[str, str]]:
    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def unapplied_migrations(using: str) -> list[str]:
    executor = MigrationExecutor(connections[using])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{m.app_label}.{m.name}" for m, _backwards in plan]


def by_app(pairs: set[tuple[str, str]]) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for app_label, name in sorted(pairs):
        result.setdefault(app_label, []).append(name)
    return result


# ----- rows out -----------------------------------------------------------------------------


class ExactEncoder(DjangoJSONEncoder):
    """Django's encoder cuts datetimes to milliseconds; a backup keeps the microseconds."""

    def default(self, o):
        if hasattr(o, "isoformat") and hasattr(o, "microsecond"):
            return o.isoformat()
        return super().default(o)


class RowSerializer(jsonl.Serializer):
    """Django's JSON Lines serialiser, without many-to-many lists: the auto-created tables that
    hold them are backed up as models of their own, ids included."""

    def handle_m2m_field(self, obj, field):
        pass


def dump_model(model: type[models.Model], target: Path, using: str) -> int:
    """Write every row of the model to ``target``, one line each, by primary key."""
    count = 0

    def rows():
        nonlocal count
        for obj in model._base_manager.using(using).order_by("pk").iterator(chunk_size=2000):
            count += 1
            yield obj

    with open(target, "w", encoding="utf-8", newline="\n") as out:
        RowSerializer().serialize(rows(), stream=out, cls=ExactEncoder)
    return count


def file_references(model: type[models.Model], using: str) -> Iterator[tuple[models.Field, str]]:
    """(field, stored name) for every non-empty FileField value of the model."""
    for f in file_fields(model):
        names = (
            model._base_manager.using(using)
            .exclude(**{f"{f.attname}__isnull": True})
            .exclude(**{f.attname: ""})
            .order_by()
            .values_list(f.attname, flat=True)
        )
        for name in names.iterator(chunk_size=2000):
            yield f, name


# ----- rows in ------------------------------------------------------------------------------


def clear(models_: list[type[models.Model]], using: str) -> None:
    """Empty every table. Foreign keys are deferred to the commit on SQLite and PostgreSQL
    alike, so the order does not matter within the restore's transaction."""
    connection = connections[using]
    with connection.cursor() as cursor:
        for model in models_:
            table = connection.ops.quote_name(model._meta.db_table)  # a model's, not input
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608


def load_model(model: type[models.Model], stream: IO[bytes], using: str) -> int:
    """Insert the archived rows of one model as they were: primary keys kept, no save() and no
    signals (an admin log row must not write a new audit row), auto_now fields untouched."""
    connection = connections[using]
    fields = [f for f in model._meta.local_concrete_fields if not f.generated]
    batch_size = max(1, min(1000, connection.ops.bulk_batch_size(fields, [None] * 1000)))
    manager = model._base_manager.using(using)
    batch: list[models.Model] = []
    count = 0
    for deserialized in jsonl.Deserializer(stream, using=using):
        obj = deserialized.object
        if type(obj) is not model:
            raise ArchiveError(f"the rows of {label(model)} include one of {label(type(obj))}")
        batch.append(obj)
        count += 1
        if len(batch) >= batch_size:
            manager._insert(batch, fields=fields, raw=True, using=using)
            batch = []
    if batch:
        manager._insert(batch, fields=fields, raw=True, using=using)
    return count


def check_constraints(models_: list[type[models.Model]], using: str) -> None:
    connections[using].check_constraints(table_names=[m._meta.db_table for m in models_])


def reset_sequences(models_: list[type[models.Model]], using: str) -> None:
    """PostgreSQL's id sequences continue after the highest restored id (SQLite's do anyway)."""
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), models_)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def row_counts(models_: list[type[models.Model]], using: str) -> dict[str, int]:
    return {label(m): m._base_manager.using(using).count() for m in models_}


def rows_in_use(models_: list[type[models.Model]], using: str) -> dict[str, int]:
    """The models outside SEEDED that hold rows: empty for a freshly migrated database."""
    return {
        label(m): n
        for m in models_
        if label(m) not in SEEDED and (n := m._base_manager.using(using).count())
    }
