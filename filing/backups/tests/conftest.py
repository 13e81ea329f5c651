from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from filing.applications.evaluation import Context
from filing.applications.services import add_file, start_application
from filing.applications.tests.conftest import applicant  # noqa: F401
from filing.backups.tests.populate import unique_pdf
from filing.calls.loading import definition_files, load_paths, make_rehearsals
from filing.calls.models import Call
from filing.orgs.models import Authority

# The migrations that fill a fresh database (besides content types and permissions, which
# Django's post-migrate signal makes again after every flush).
DATA_MIGRATIONS = [
    "filing.reference.migrations.0002_load_reference_data",
    "filing.orgs.migrations.0002_load_authorities",
    "filing.registry.migrations.0002_load_first_national_demonstration_list",
]


@pytest.fixture(autouse=True)
def seeded(db):
    """The rows of a freshly migrated database. These tests commit (a backup needs a snapshot
    of its own), and a committing test ends with a flush that empties every table: when an
    earlier one has, the data migrations are run again."""
    if not Authority.objects.exists():
        from importlib import import_module

        from django.apps import apps

        for module in DATA_MIGRATIONS:
            import_module(module).load(apps, None)


@pytest.fixture
def seed_calls(seeded):
    """The five notices and their rehearsal copies (open now), as the demo has them."""
    load_paths(definition_files(Path(settings.CALL_DEFINITIONS_DIR)))
    make_rehearsals(list(Call.objects.filter(is_rehearsal=False)), date.today())
    return {c.code: c for c in Call.objects.all()}


@pytest.fixture
def media(settings, tmp_path):
    """Stored files go to a directory of the test's own."""
    root = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


@pytest.fixture
def distinct_uploads(monkeypatch):
    """Every file the page-filling helper uploads gets bytes of its own, so a file restored
    under another's name could not pass for it."""
    from itertools import count

    from filing.applications.tests import filling

    serial = count(1)

    def upload(name, content, content_type):
        return SimpleUploadedFile(name, content + f"% {next(serial)}\n".encode(), content_type)

    monkeypatch.setattr(filling, "SimpleUploadedFile", upload)


@dataclass
class Instance:
    """Another installation of the platform: its own database and storage, its own processes."""

    env: dict[str, str]
    media: Path

    def run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, *args],
            cwd=settings.BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )

    def manage(self, *args: str) -> subprocess.CompletedProcess:
        return self.run("manage.py", *args)

    def tables(self) -> dict:
        done = self.run("-m", "filing.backups.tests.tables")
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)


@pytest.fixture
def fresh_instance(transactional_db, tmp_path):
    """A freshly migrated instance beside the test database: a SQLite file, or a PostgreSQL
    database named after the test database, with an empty storage directory."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "S3_BUCKET"}}
    media = tmp_path / "restored-media"
    env["MEDIA_ROOT"] = str(media)
    name = None
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    else:
        s = connection.settings_dict
        name = f"{s['NAME']}_restore"
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        auth = quote(s["USER"] or "") + (f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else "")
        env["DATABASE_URL"] = (
            f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"
        )
    instance = Instance(env, media)
    migrated = instance.manage("migrate", "--noinput", "-v", "0")
    assert migrated.returncode == 0, migrated.stderr
    yield instance
    if name is not None:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def in_use(seed_calls, cast, media):
    """A small instance in use: an application with two stored files of distinct bytes."""
    call = seed_calls["guangdong-2020-rehearsal"]
    app = start_application(
        call, actor=cast.filler, track="professional", space_name="智能制造专业化众创空间"
    )
    item = Context.of(app).attachments()[0]
    for n in range(2):
        upload = SimpleUploadedFile(
            f"材料{n}.pdf", unique_pdf(f"small-{n}", 5000), "application/pdf"
        )
        add_file(app, actor=cast.filler, item=item.key, upload=upload)
    return app


@pytest.fixture
def archive(in_use, tmp_path):
    """A backup of the small instance."""
    path = tmp_path / "backup.tar.gz"
    call_command("backup", str(path), stdout=io.StringIO())
    return path
