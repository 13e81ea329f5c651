"""Write one archive holding the whole database (one snapshot) and every stored file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from filing.backups.errors import BackupError
from filing.backups.services import backup


def megabytes(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


class Command(BaseCommand):
    help = (
        "Back up the database and every stored file into one archive "
        "(PATH ending in .tar, or .tar.gz / .tgz to compress). See docs/backup.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, metavar="PATH")
        parser.add_argument(
            "--allow-missing-files",
            action="store_true",
            help="write the archive even if stored files the database refers to are missing, "
            "listing them in the manifest",
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, path, allow_missing_files, database, **options):
        try:
            result = backup(path, using=database, allow_missing_files=allow_missing_files)
        except BackupError as exc:
            raise CommandError(f"no backup was written: {exc}") from exc
        for name in result.missing_files:
            self.stderr.write(f"missing from storage, not in the archive: {name}")
        self.stdout.write(
            f"wrote {result.path}: {result.rows} rows in {result.tables} tables and "
            f"{result.files} files ({megabytes(result.file_bytes)}) as of "
            f"{result.created_at.isoformat()}; archive {megabytes(result.size)}, "
            f"sha256 {result.sha256}, {result.seconds:.1f} s"
        )
