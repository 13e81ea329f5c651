"""A backup restored into a freshly migrated instance, by another process, holds every row of
every table, every stored file byte for byte and every audit record of the instance it came
from; the restore adds one audit record, saying it happened. Tables are compared with plain
SQL, not with the serialiser the backup uses."""

import io
import os
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command

from filing.backups.database import backed_up_models, file_fields
from filing.backups.tests import tables
from filing.backups.tests.populate import populate

pytestmark = pytest.mark.django_db(transaction=True)


def stored_files() -> dict[str, bytes]:
    """Every file a FileField refers to, read through the storage."""
    found = {}
    for model in backed_up_models("default"):
        for f in file_fields(model):
            for name in model._base_manager.exclude(**{f.attname: ""}).values_list(
                f.attname, flat=True
            ):
                with default_storage.open(name, "rb") as stream:
                    found[name] = stream.read()
    return found


def organisation_type(rows: list[dict]) -> int:
    return next(r["id"] for r in rows if (r["app_label"], r["model"]) == ("orgs", "organisation"))


def files_under(root: Path) -> set[str]:
    return {
        str((Path(d) / n).relative_to(root)).replace(os.sep, "/")
        for d, _dirs, names in os.walk(root)
        for n in names
    }


def test_a_restored_instance_holds_every_row_file_and_audit_record(
    client, admin_client, seed_calls, applicant, media, distinct_uploads, fresh_instance, tmp_path
):
    populate(client, applicant, admin_client)
    before = tables.dump()
    files = stored_files()
    sizes = {t: len(before[t]) for t in before}
    assert sizes["applications_application"] == 3
    assert sizes["applications_submission"] == 3
    assert sizes["reviews_review"] >= 5
    assert sizes["applications_attachment"] >= 10
    assert sizes["publicity_objectionfile"] == sizes["reviews_packagebuild"] == 1
    assert sizes["django_admin_log"] == 1 and sizes["axes_accessattempt"] == 1
    assert sizes["auth_group_permissions"] == sizes["orgs_user_groups"] == 1
    assert sizes["audit_auditevent"] > 50
    assert len(files) == len(set(files.values()))  # no two files share their bytes

    # The fresh instance numbers content types otherwise: ids must come from the archive.
    fresh_types = fresh_instance.tables()["django_content_type"]
    assert organisation_type(fresh_types) != organisation_type(before["django_content_type"])
    assert before["django_admin_log"][0]["content_type_id"] == organisation_type(
        before["django_content_type"]
    )

    path = tmp_path / "instance.tar.gz"
    call_command("backup", str(path), stdout=io.StringIO())
    restored = fresh_instance.manage("restore", str(path))
    assert restored.returncode == 0, restored.stderr
    assert "row counts and file hashes verified" in restored.stdout

    after = fresh_instance.tables()
    trail = after.pop("audit_auditevent")
    source_trail = before.pop("audit_auditevent")
    assert sorted(after) == sorted(before)
    for table, rows in before.items():
        assert after[table] == rows, table
    added = [row for row in trail if row["event"] == "backup.restored"]
    assert len(added) == 1
    assert [row for row in trail if row["event"] != "backup.restored"] == source_trail

    target = FileSystemStorage(location=fresh_instance.media)
    assert files_under(fresh_instance.media) == set(files)
    for name, data in files.items():
        with target.open(name, "rb") as stream:
            assert stream.read() == data, name

    # The restored instance is in use now: restoring into it again is refused, changing nothing.
    again = fresh_instance.manage("restore", str(path))
    assert again.returncode != 0
    assert "not empty" in again.stderr and "orgs.user" in again.stderr
    assert fresh_instance.tables()["audit_auditevent"] == trail
