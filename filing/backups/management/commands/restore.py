"""Restore an archive written by `manage.py backup` into an empty instance, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from filing.backups.errors import RestoreFailed, RestoreRefused
from filing.backups.management.commands.backup import megabytes
from filing.backups.services import check, restore


class Command(BaseCommand):
    help = (
        "Restore a backup archive into a freshly migrated, empty instance. The archive is "
        "checked before anything is touched; the restore is one transaction. See docs/backup.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, metavar="PATH")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="restore into an instance that holds data: delete all of it first, its audit "
            "trail included",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            dest="check_only",
            help="only check the archive against its manifest; change nothing",
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, path, replace, check_only, database, **options):
        try:
            if check_only:
                manifest = check(path)
                self.stdout.write(
                    f"{path} is intact: made {manifest.created_at.isoformat()} on "
                    f"{manifest.database}, {manifest.rows} rows in {len(manifest.models)} "
                    f"tables, {len(manifest.files)} files ({megabytes(manifest.file_bytes)})"
                )
                return
            result = restore(path, replace=replace, using=database)
        except RestoreRefused as exc:
            raise CommandError(f"refused, nothing was changed: {exc}") from exc
        except RestoreFailed as exc:
            raise CommandError(f"the restore failed: {exc}") from exc
        for missing in result.manifest.missing_files:
            self.stderr.write(
                f"missing when the backup was made, not restored: {missing.get('name')}"
            )
        self.stdout.write(
            f"restored {path} (made {result.manifest.created_at.isoformat()}): {result.rows} "
            f"rows in {result.tables} tables and {result.files} files "
            f"({megabytes(result.file_bytes)}, {result.files_written} written); row counts "
            f"and file hashes verified, {result.seconds:.1f} s"
        )
