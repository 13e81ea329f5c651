"""Backing up a whole instance to one archive, and restoring an archive into an empty instance.

A backup reads every table in one read-only snapshot (``database.snapshot``), then copies the
files that snapshot refers to. Stored files are written once under names never reused (random
names, or a build's id) and never rewritten; they are removed only after the row that refers
to them is deleted and committed, or when a newer materials ZIP replaces an older one. So the
bytes behind a name the snapshot saw are the bytes it meant; the one race is a file removed
between the snapshot and its copy, which fails the backup (run it again) unless
``allow_missing_files`` says to record the loss and go on.

A restore checks the whole archive before it touches anything, refuses an instance in use,
then in one transaction empties every table, loads every row, writes every file, checks the
counts and the files' hashes and appends a ``backup.restored`` audit row. Anything failing on
the way rolls the transaction back and removes the files already written.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from contextlib import nullcontext, suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.core.files.storage import Storage
from django.core.serializers.base import DeserializationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.utils import timezone

from filing.audit.db import maintenance
from filing.audit.models import AuditEvent
from filing.audit.services import record
from filing.backups import archive, database
from filing.backups.archive import FileEntry, Manifest, ModelEntry
from filing.backups.errors import ArchiveError, BackupError, RestoreFailed, RestoreRefused

LISTED = 10
# What an operator recognises first when told an instance is in use.
TELLING = ("applications.application", "orgs.organisation", "orgs.user", "audit.auditevent")


def _telling(item: tuple[str, int]) -> tuple[int, str]:
    label = item[0]
    return (TELLING.index(label) if label in TELLING else len(TELLING), label)


def _listing(items: list[str]) -> str:
    shown = ", ".join(items[:LISTED])
    return shown + (f" and {len(items) - LISTED} more" if len(items) > LISTED else "")


# ----- backup -------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    size: int
    sha256: str
    tables: int
    rows: int
    files: int
    file_bytes: int
    missing_files: list[str]
    seconds: float
    created_at: datetime


@dataclass
class _Stored:
    storage: Storage
    fields: set[str] = field(default_factory=set)


def backup(
    path: Path, *, using: str = DEFAULT_DB_ALIAS, allow_missing_files: bool = False, now=None
) -> BackupResult:
    """Write the database (one snapshot) and every file it refers to into one archive."""
    started = time.monotonic()
    path = Path(path)
    try:
        archive.is_compressed(path)
    except ValueError as exc:
        raise BackupError(str(exc)) from exc
    if path.exists():
        raise BackupError(f"{path} exists already: give the backup a new name")
    if not path.parent.is_dir():
        raise BackupError(f"{path.parent} is not a directory")
    models_ = database.backed_up_models(using)
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=path.parent) as tmp:
        with database.snapshot(using):
            created_at = now or timezone.now()
            migrations = _current_migrations(using)
            counts: dict[str, int] = {}
            stored: dict[str, _Stored] = {}
            for model in models_:
                label = database.label(model)
                counts[label] = database.dump_model(model, Path(tmp) / f"{label}.jsonl", using)
                for f, name in database.file_references(model, using):
                    entry = stored.setdefault(name, _Stored(f.storage))
                    if entry.storage is not f.storage:
                        raise BackupError(f"two storages hold a file named {name}")
                    entry.fields.add(database.field_label(f))
        writer = archive.Writer(path, mtime=created_at)
        try:
            model_entries = {}
            for label, rows in counts.items():
                member = archive.data_member(label)
                digest = writer.add_path(member, Path(tmp) / f"{label}.jsonl")
                model_entries[label] = ModelEntry(label, rows, member, digest.size, digest.sha256)
            files, missing = _copy_files(writer, stored)
            if missing and not allow_missing_files:
                raise BackupError(
                    f"{len(missing)} file(s) the database refers to are missing from storage: "
                    f"{_listing([m['name'] for m in missing])}. If they were removed while the "
                    "backup ran (an applicant deleting a file, a newer materials ZIP), run the "
                    "backup again; if the storage lost them, --allow-missing-files writes the "
                    "archive anyway and lists them in its manifest."
                )
            manifest = Manifest(
                created_at=created_at,
                database=connections[using].vendor,
                migrations=migrations,
                models=model_entries,
                files=files,
                missing_files=missing,
            )
            writer.add_bytes(archive.MANIFEST, manifest.to_json())
            digest = writer.close()
        except BaseException:
            writer.abort()
            raise
    result = BackupResult(
        path=path,
        size=digest.size,
        sha256=digest.sha256,
        tables=len(model_entries),
        rows=manifest.rows,
        files=len(files),
        file_bytes=manifest.file_bytes,
        missing_files=[m["name"] for m in missing],
        seconds=time.monotonic() - started,
        created_at=created_at,
    )
    record(
        "backup.created",
        data={
            "archive": str(path),
            "sha256": result.sha256,
            "size": result.size,
            "rows": result.rows,
            "files": result.files,
            "missing_files": len(missing),
        },
    )
    return result


def _current_migrations(using: str) -> dict[str, list[str]]:
    applied = database.applied_migrations(using)
    unknown = sorted(f"{a}.{n}" for a, n in applied - database.code_migrations())
    if unknown:
        raise BackupError(
            f"the database has migrations this code does not have ({_listing(unknown)}): it "
            "was migrated by a newer version of the platform; back it up with that version"
        )
    pending = database.unapplied_migrations(using)
    if pending:
        raise BackupError(
            f"the database is not fully migrated ({_listing(pending)} not applied): "
            "run manage.py migrate first"
        )
    return database.by_app(applied)


def _copy_files(
    writer: archive.Writer, stored: dict[str, _Stored]
) -> tuple[list[FileEntry], list[dict]]:
    files, missing = [], []
    for name in sorted(stored):
        entry = stored[name]
        fields = tuple(sorted(entry.fields))
        try:
            if not entry.storage.exists(name):
                raise FileNotFoundError(name)
            size = entry.storage.size(name)
            with entry.storage.open(name, "rb") as stream:
                digest = writer.add_stream(archive.file_member(name), stream, size)
        except FileNotFoundError:
            missing.append({"name": name, "fields": list(fields)})
            continue
        files.append(FileEntry(name, archive.file_member(name), size, digest.sha256, fields))
    return files, missing


# ----- restore ------------------------------------------------------------------------------


@dataclass
class RestoreResult:
    manifest: Manifest
    tables: int
    rows: int
    files: int
    files_written: int
    file_bytes: int
    replaced: bool
    seconds: float


@dataclass
class _FilePlan:
    entry: FileEntry
    storage: Storage
    present: bool  # already in the storage with the same bytes (restoring over itself)


def check(path: Path) -> Manifest:
    """Read the whole archive once and check it against its manifest; touches nothing."""
    try:
        return archive.read_manifest(Path(path))
    except ArchiveError as exc:
        raise RestoreRefused(str(exc)) from exc


def restore(path: Path, *, replace: bool = False, using: str = DEFAULT_DB_ALIAS) -> RestoreResult:
    """Put an archive's rows and files into this instance, all or nothing.

    Without ``replace`` the instance must be empty: freshly migrated, no row in any model but
    those the migrations fill. With it, everything in the database is deleted first, the audit
    trail included (the triggers let that through under ``audit.db.maintenance`` only).
    """
    started = time.monotonic()
    path = Path(path)
    manifest = check(path)
    models_ = database.backed_up_models(using)
    _check_models(manifest, models_)
    _check_migrations(manifest, using)
    if not replace:
        in_use = database.rows_in_use(models_, using)
        if in_use:
            raise RestoreRefused(
                "this instance is not empty, and a restore replaces everything in it ("
                + _listing(
                    [f"{label}: {n} rows" for label, n in sorted(in_use.items(), key=_telling)]
                )
                + "). Restore into a freshly migrated database with an empty storage, or pass "
                "--replace to delete all of this instance's data, its audit trail included."
            )
    plan = _plan_files(manifest)
    by_member = {e.member: e for e in manifest.models.values()}
    files_by_member = {p.entry.member: p for p in plan}
    models_by_label = {database.label(m): m for m in models_}
    written: list[tuple[Storage, str]] = []
    # The audit triggers refuse DELETE; only an instance being replaced has audit rows to delete.
    has_trail = AuditEvent._base_manager.using(using).exists()
    switch = maintenance() if has_trail else nullcontext()
    try:
        with switch, transaction.atomic(using=using):
            database.clear(models_, using)
            for member, stream in archive.read_checked(path, manifest):
                if member in by_member:
                    entry = by_member[member]
                    loaded = database.load_model(models_by_label[entry.label], stream, using)
                    if loaded != entry.rows:
                        raise ArchiveError(
                            f"{member}: {loaded} rows, the manifest says {entry.rows}"
                        )
                elif member in files_by_member:
                    _write_file(files_by_member[member], stream, written)
            database.check_constraints(models_, using)
            database.reset_sequences(models_, using)
            _verify(manifest, models_, plan, using)
            record(
                "backup.restored",
                data={
                    "archive": str(path),
                    "created_at": timezone.localtime(manifest.created_at).strftime(
                        "%Y-%m-%d %H:%M:%S"
                    ),
                    "rows": manifest.rows,
                    "files": len(manifest.files),
                    "replaced": replace,
                },
            )
    except (ArchiveError, DatabaseError, DeserializationError, OSError, ValueError) as exc:
        _remove(written)
        reason = " ".join(str(exc).split())  # PostgreSQL's DETAIL comes on a line of its own
        raise RestoreFailed(f"{reason} — the restore was rolled back; nothing was changed") from exc
    except BaseException:
        _remove(written)
        raise
    finally:
        ContentType.objects.clear_cache()
    return RestoreResult(
        manifest=manifest,
        tables=len(manifest.models),
        rows=manifest.rows,
        files=len(plan),
        files_written=len(written),
        file_bytes=manifest.file_bytes,
        replaced=replace,
        seconds=time.monotonic() - started,
    )


def _check_models(manifest: Manifest, models_) -> None:
    here = {database.label(m) for m in models_}
    there = set(manifest.models)
    if here != there:
        problems = [f"no data for {m}" for m in sorted(here - there)]
        problems += [f"data for {m}, which this code does not have" for m in sorted(there - here)]
        raise RestoreRefused(f"the archive does not fit this code's models: {_listing(problems)}")


def _check_migrations(manifest: Manifest, using: str) -> None:
    archived = {(app, name) for app, names in manifest.migrations.items() for name in names}
    unknown = sorted(f"{a}.{n}" for a, n in archived - database.code_migrations())
    if unknown:
        raise RestoreRefused(
            "the archive was made by a newer version of the platform: its database has "
            f"migrations this code does not have ({_listing(unknown)}). Restore it with that "
            "version or a later one."
        )
    here = database.applied_migrations(using)
    if archived - here:
        pending = sorted(f"{a}.{n}" for a, n in archived - here)
        raise RestoreRefused(
            f"this database is not fully migrated ({_listing(pending)} not applied): "
            "run manage.py migrate first"
        )
    ahead = here - archived
    if ahead:
        steps = []
        for app in sorted({a for a, _ in ahead}):
            names = manifest.migrations.get(app) or []
            steps.append(f"manage.py migrate {app} {names[-1] if names else 'zero'}")
        raise RestoreRefused(
            "the archive was made by an older version of the platform (this database has "
            f"{_listing(sorted(f'{a}.{n}' for a, n in ahead))} and the archive does not). "
            "Bring this empty database back to the archive's state, restore, then migrate "
            "forward: " + "; ".join(steps) + "; manage.py restore ARCHIVE; manage.py migrate"
        )


def _plan_files(manifest: Manifest) -> list[_FilePlan]:
    plan, clashes = [], []
    for entry in manifest.files:
        try:
            fields = [database.field_by_label(text) for text in entry.fields]
        except (LookupError, ValueError) as exc:
            raise RestoreRefused(f"{entry.name}: no such file field {exc}") from exc
        storage = fields[0].storage if fields else None
        if storage is None or any(f.storage is not storage for f in fields):
            raise RestoreRefused(f"{entry.name}: cannot tell which storage it belongs in")
        name = PurePosixPath(entry.name)
        if name.is_absolute() or ".." in name.parts:
            raise RestoreRefused(f"the archive names a file outside the storage: {entry.name}")
        present = storage.exists(entry.name)
        if present and _sha256(storage, entry.name) != entry.sha256:
            clashes.append(entry.name)
        plan.append(_FilePlan(entry, storage, present))
    if clashes:
        raise RestoreRefused(
            "the storage already holds different files under names the archive uses ("
            f"{_listing(clashes)}): restore into an empty storage (MEDIA_ROOT or S3 prefix)"
        )
    return plan


def _write_file(plan: _FilePlan, stream, written: list[tuple[Storage, str]]) -> None:
    if plan.present:
        return
    name = plan.storage.save(
        plan.entry.name, File(stream, name=PurePosixPath(plan.entry.name).name)
    )
    written.append((plan.storage, name))
    if name != plan.entry.name:
        raise OSError(f"the storage kept {plan.entry.name} as {name}")


def _verify(manifest: Manifest, models_, plan: list[_FilePlan], using: str) -> None:
    counts = database.row_counts(models_, using)
    wrong = [
        f"{label}: {counts[label]} rows, the archive has {entry.rows}"
        for label, entry in sorted(manifest.models.items())
        if counts[label] != entry.rows
    ]
    if wrong:
        raise ArchiveError(f"row counts differ after loading: {_listing(wrong)}")
    bad = [p.entry.name for p in plan if _sha256(p.storage, p.entry.name) != p.entry.sha256]
    if bad:
        raise OSError(f"files read back differ from the archive: {_listing(bad)}")


def _sha256(storage: Storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as stream:
        while chunk := stream.read(archive.CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _remove(written: list[tuple[Storage, str]]) -> None:
    for storage, name in written:
        with suppress(OSError):
            storage.delete(name)
