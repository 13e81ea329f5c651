"""A backup is one private archive: every table's rows as they are (microseconds included),
every stored file with its size and SHA-256, the migration state, all read in one snapshot,
and an audit row saying who made which archive. It never overwrites, and it stops when a file
the database refers to is missing, unless told to go on and list it."""

import hashlib
import io
import json
import stat
import threading

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils.dateparse import parse_datetime

from filing.applications.models import Attachment
from filing.audit.models import AuditEvent
from filing.audit.services import record
from filing.backups import database, services
from filing.backups.tests import archives
from filing.orgs.models import User

pytestmark = pytest.mark.django_db(transaction=True)


def backup(path, *args) -> str:
    out = io.StringIO()
    call_command("backup", str(path), *args, stdout=out, stderr=out)
    return out.getvalue()


def test_the_manifest_lists_every_table_its_rows_and_every_file(archive):
    manifest = archives.manifest(archive)
    content = archives.members(archive)
    assert (manifest["format"], manifest["version"]) == ("filing-backup", 1)
    assert parse_datetime(manifest["created_at"]) is not None
    assert manifest["database"] == connection.vendor

    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    assert manifest["migrations"] == applied

    models = database.backed_up_models("default")
    assert sorted(manifest["models"]) == sorted(m._meta.label_lower for m in models)
    assert {"orgs.user_groups", "auth.group_permissions", "audit.auditevent"} <= set(
        manifest["models"]
    )
    for model in models:
        label = model._meta.label_lower
        entry = manifest["models"][label]
        rows = [json.loads(line) for line in content[entry["member"]].splitlines()]
        assert len(rows) == entry["rows"]
        assert {r["model"] for r in rows} <= {label}
        expected = model._base_manager.count()
        if label == "audit.auditevent":
            expected -= 1  # the backup's own row, written once the archive was complete
        assert entry["rows"] == expected, label

    attachments = {a.file.name: a for a in Attachment.objects.all()}
    assert len(attachments) == 2
    assert {f["name"] for f in manifest["files"]} == set(attachments)
    for entry in manifest["files"]:
        data = content[entry["member"]]
        stored = attachments[entry["name"]]
        assert entry["fields"] == ["applications.attachment.file"]
        assert entry["size"] == len(data) == stored.size
        assert entry["sha256"] == hashlib.sha256(data).hexdigest() == stored.sha256
        with default_storage.open(entry["name"], "rb") as stream:
            assert stream.read() == data
    assert manifest["missing_files"] == []


def test_times_keep_their_microseconds(archive):
    content = archives.members(archive)
    rows = [json.loads(line) for line in content["data/audit.auditevent.jsonl"].splitlines()]
    with_micro = [r for r in rows if parse_datetime(r["fields"]["at"]).microsecond % 1000]
    assert with_micro, "every audit time fell on a whole millisecond: try again"
    for row in with_micro:
        assert parse_datetime(row["fields"]["at"]) == AuditEvent.objects.get(pk=row["pk"]).at


def test_the_archive_is_private_and_its_making_is_audited(in_use, tmp_path):
    path = tmp_path / "backup.tar"
    output = backup(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    made = AuditEvent.objects.get(event="backup.created")
    assert made.data["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert made.data["sha256"] in output and made.data["archive"] == str(path)
    assert made.data["files"] == 2
    assert f"（{made.data['rows']} 行记录，2 个文件）" in made.sentence


def test_it_never_overwrites_and_names_what_it_writes(archive, tmp_path):
    before = archive.read_bytes()
    with pytest.raises(CommandError, match="exists already"):
        backup(archive)
    assert archive.read_bytes() == before
    with pytest.raises(CommandError, match=r"must end in \.tar, \.tar\.gz or \.tgz"):
        backup(tmp_path / "backup.zip")
    with pytest.raises(CommandError, match="is not a directory"):
        backup(tmp_path / "nowhere" / "backup.tar")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup.tar.gz", "media"]


def test_a_missing_file_stops_the_backup_unless_allowed(in_use, tmp_path):
    lost = in_use.files.order_by("pk").first().file.name
    default_storage.delete(lost)
    path = tmp_path / "backup.tar.gz"
    with pytest.raises(CommandError, match=f"missing from storage: {lost}. If they were removed"):
        backup(path)
    assert list(tmp_path.glob("backup*")) == []  # no archive, no partial file
    assert not list(tmp_path.glob(".backup-*"))

    output = backup(path, "--allow-missing-files")
    assert f"missing from storage, not in the archive: {lost}" in output
    manifest = archives.manifest(path)
    assert manifest["missing_files"] == [{"name": lost, "fields": ["applications.attachment.file"]}]
    assert len(manifest["files"]) == 1
    restored = io.StringIO()
    call_command("restore", str(path), "--replace", stdout=restored, stderr=restored)
    assert f"missing when the backup was made, not restored: {lost}" in restored.getvalue()
    assert in_use.files.count() == 2  # the row is kept, as the archive has it


def test_check_reads_the_archive_and_changes_nothing(archive):
    users = User.objects.count()
    out = io.StringIO()
    call_command("restore", str(archive), "--check", stdout=out)
    assert f"{archive} is intact" in out.getvalue() and "2 files" in out.getvalue()
    assert User.objects.count() == users
    assert not AuditEvent.objects.filter(event="backup.restored").exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite's writers wait for the snapshot to end"
)
def test_rows_written_while_the_backup_runs_are_not_in_it(in_use, tmp_path, monkeypatch):
    """Another connection commits a person and an audit row after the first table is read."""
    users, events = User.objects.count(), AuditEvent.objects.count()
    real_dump = database.dump_model
    written = []

    def write_meanwhile():
        User.objects.create(username="written-meanwhile")
        record("user.login_failed", data={"username": "written-meanwhile"})
        connection.close()

    def dump_then_write(model, target, using):
        rows = real_dump(model, target, using)
        if not written:
            thread = threading.Thread(target=write_meanwhile)
            thread.start()
            thread.join()
            written.append(model._meta.label_lower)
        return rows

    monkeypatch.setattr(database, "dump_model", dump_then_write)
    path = tmp_path / "backup.tar"
    services.backup(path)
    assert written == ["admin.logentry"]  # the first table; people and the trail come later
    assert User.objects.count() == users + 1
    manifest = archives.manifest(path)
    assert manifest["models"]["orgs.user"]["rows"] == users
    assert manifest["models"]["audit.auditevent"]["rows"] == events
    assert b"written-meanwhile" not in b"".join(archives.members(path).values())


@pytest.mark.django_db
def test_a_backup_needs_a_transaction_of_its_own(tmp_path):
    with pytest.raises(CommandError, match="in a transaction of its own"):
        backup(tmp_path / "backup.tar")
    assert list(tmp_path.iterdir()) == []
