"""A restore checks the whole archive before it touches anything, and leaves the instance as it
was when it refuses or fails: a changed byte, a truncated copy, something that is not a backup,
an archive from another version, an instance in use, a failure halfway through the rows or
the files. The restores here run with --replace over the test's own instance, so that nothing
but the fault stops them."""

import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from filing.audit.models import AuditEvent
from filing.backups.archive import MANIFEST
from filing.backups.tests import archives, tables

pytestmark = pytest.mark.django_db(transaction=True)


def restore(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("restore", str(path), *args, stdout=out, stderr=out)
    return out.getvalue()


def state(media: Path) -> tuple[dict, dict]:
    """Every table and every stored file, to compare before and after."""
    files = {
        str(p.relative_to(media)): p.read_bytes() for p in sorted(media.rglob("*")) if p.is_file()
    }
    return tables.dump(), files


def first(path: Path, prefix: str) -> str:
    return next(name for name in archives.members(path) if name.startswith(prefix))


@pytest.mark.parametrize("prefix", ["files/", "data/applications.application"])
def test_one_changed_byte_is_refused_before_anything_changes(archive, media, tmp_path, prefix):
    target = first(archive, prefix)

    def flip(name, data):
        if name != target:
            return data
        return data[:-2] + bytes([data[-2] ^ 0x01]) + data[-1:]

    tampered = archives.rewrite(archive, tmp_path / "tampered.tar.gz", flip)
    before = state(media)
    with pytest.raises(CommandError, match=f"refused, nothing was changed: .*{target}.* differs"):
        restore(tampered, "--replace")
    assert state(media) == before


@pytest.mark.parametrize("compressed", [True, False])
@pytest.mark.parametrize("keep", [0.5, 0.98])
def test_a_truncated_archive_is_refused(in_use, media, tmp_path, compressed, keep):
    path = tmp_path / ("backup.tar.gz" if compressed else "backup.tar")
    call_command("backup", str(path), stdout=io.StringIO())
    whole = path.read_bytes()
    cut = tmp_path / f"cut-{path.name}"
    cut.write_bytes(whole[: int(len(whole) * keep)])
    before = state(media)
    with pytest.raises(CommandError) as refused:
        restore(cut, "--replace")
    message = str(refused.value)
    assert message.startswith("refused, nothing was changed")
    assert "damaged or truncated" in message or "no manifest" in message, message
    assert state(media) == before


def test_an_archive_without_its_manifest_is_refused(archive, media, tmp_path):
    content = archives.members(archive)
    del content[MANIFEST]
    headless = archives.write(tmp_path / "headless.tar.gz", content)
    with pytest.raises(CommandError, match="no manifest"):
        restore(headless, "--replace")


def test_something_else_is_not_taken_for_a_backup(in_use, media, tmp_path):
    noise = tmp_path / "noise.tar"
    noise.write_bytes(b"not a tar file at all" * 100)
    with pytest.raises(CommandError, match="damaged or truncated"):
        restore(noise, "--replace")
    other = archives.write(tmp_path / "other.tar", {MANIFEST: b'{"format": "something-else"}'})
    with pytest.raises(CommandError, match="not a backup of the filing platform"):
        restore(other, "--replace")
    with pytest.raises(CommandError, match="no such file"):
        restore(tmp_path / "absent.tar", "--replace")


def test_an_instance_in_use_is_refused_without_replace(archive, media):
    before = state(media)
    with pytest.raises(CommandError) as refused:
        restore(archive)
    message = str(refused.value)
    assert "refused, nothing was changed: this instance is not empty" in message
    assert "applications.application: 1 rows" in message and "orgs.user:" in message
    assert "--replace" in message
    assert state(media) == before


def test_an_archive_from_a_newer_version_is_refused(archive, media, tmp_path):
    later = archives.edit_manifest(
        archive,
        tmp_path / "later.tar.gz",
        lambda m: m["migrations"]["reviews"].append("0099_from_a_later_release"),
    )
    with pytest.raises(CommandError, match="newer version of the platform.*reviews.0099"):
        restore(later, "--replace")
    newer_format = archives.edit_manifest(
        archive, tmp_path / "format.tar.gz", lambda m: m.update(version=2)
    )
    with pytest.raises(CommandError, match="backup format 2, newer than"):
        restore(newer_format, "--replace")


def test_an_archive_from_an_older_version_says_how_to_restore_it(archive, media, tmp_path):
    older = archives.edit_manifest(
        archive, tmp_path / "older.tar.gz", lambda m: m["migrations"]["reviews"].pop()
    )
    with pytest.raises(CommandError) as refused:
        restore(older, "--replace")
    message = str(refused.value)
    assert "made by an older version" in message
    # It names a reviews migration the archive has, to go back to before restoring.
    target = message.split("manage.py migrate reviews ", 1)[1].split(";", 1)[0]
    assert (Path(settings.BASE_DIR) / "filing/reviews/migrations" / f"{target}.py").exists()
    assert message.endswith("manage.py restore ARCHIVE; manage.py migrate")


def _dangling_attachment(name, data):
    if name != "data/applications.attachment.jsonl":
        return data
    rows = [json.loads(line) for line in data.splitlines()]
    rows[-1]["fields"]["application"] = 987654
    return b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in rows)


def _duplicate_user(name, data):
    if name != "data/orgs.user.jsonl":
        return data
    return data + data.splitlines(keepends=True)[0]


@pytest.mark.parametrize(
    ("fault", "table"),
    [(_dangling_attachment, "applications_attachment"), (_duplicate_user, "orgs_user")],
)
def test_a_failure_while_loading_rolls_everything_back(archive, media, tmp_path, fault, table):
    """The hashes match (the manifest was made to fit), the rows do not load: the tables were
    emptied and most rows loaded when the database says no."""
    broken = archives.rewrite(archive, tmp_path / "broken.tar.gz", fault, refresh_manifest=True)
    before = state(media)
    with pytest.raises(CommandError) as failed:
        restore(broken, "--replace")
    message = str(failed.value)
    assert message.startswith("the restore failed: ")
    assert table in message
    assert message.endswith("the restore was rolled back; nothing was changed")
    assert state(media) == before


def test_a_failure_while_writing_files_removes_the_files_written(
    archive, settings, tmp_path, monkeypatch
):
    empty = tmp_path / "other-media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(empty)},
        },
    }
    saves = []
    real_save = FileSystemStorage._save

    def failing_second_save(self, name, content):
        saves.append(name)
        if len(saves) == 2:
            raise OSError("disk full")
        return real_save(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", failing_second_save)
    before = tables.dump()
    with pytest.raises(CommandError, match="the restore failed: disk full"):
        restore(archive, "--replace")
    assert len(saves) == 2
    assert tables.dump() == before
    assert [p for p in empty.rglob("*") if p.is_file()] == []


def test_replace_puts_the_archive_in_place_of_everything_and_says_so(archive, media, audit_strict):
    """Restoring over the instance the backup came from: rows as archived, files untouched, the
    audit trail as archived plus the restore's own row; the triggers are back on afterwards."""
    before_tables, before_files = state(media)
    output = restore(archive, "--replace")
    assert "row counts and file hashes verified" in output
    after_tables, after_files = state(media)
    assert after_files == before_files
    trail, before_trail = (
        after_tables.pop("audit_auditevent"),
        before_tables.pop("audit_auditevent"),
    )
    assert after_tables == before_tables
    # The backup's own row was written after the snapshot, so the archive does not hold it.
    assert [r for r in before_trail if r["event"] != "backup.created"] == [
        r for r in trail if r["event"] != "backup.restored"
    ]
    restored = AuditEvent.objects.get(event="backup.restored")
    assert restored.data["replaced"] is True
    assert "的备份恢复了全部数据" in restored.sentence
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM audit_auditevent WHERE id = {restored.pk}")
    assert AuditEvent.objects.filter(pk=restored.pk).exists()


def test_different_bytes_under_an_archived_name_are_refused(archive, media):
    """The storage is not the archive's: a file of the same name holds something else."""
    name = next(p for p in sorted(media.rglob("*")) if p.is_file())
    name.write_bytes(b"%PDF-1.4\n% written by something else\n")
    before = state(media)
    with pytest.raises(CommandError, match="already holds different files .*restore into an empty"):
        restore(archive, "--replace")
    assert state(media) == before
