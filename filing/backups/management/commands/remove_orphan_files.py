"""Remove stored files that no row refers to (left by a server killed mid-upload)."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from filing.backups.orphans import FOLDERS, sweep


class Command(BaseCommand):
    help = (
        f"List the stored files under {', '.join(FOLDERS)} that no row refers to and that are "
        "older than --hours (default 24), and remove them with --remove. See docs/backup.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=float, default=24.0)
        parser.add_argument("--remove", action="store_true", help="delete them (default: list)")

    def handle(self, *args, hours, remove, **options):
        result = sweep(older_than=timedelta(hours=hours), remove=remove)
        for name in result.orphans:
            self.stdout.write(f"{'removed' if remove else 'orphan'}: {name}")
        self.stdout.write(
            f"{result.examined} stored files examined, {len(result.orphans)} referred to by "
            f"nothing{' and removed' if remove else ' (run with --remove to delete them)'}, "
            f"{result.too_young} too recent to judge (younger than {hours:g} h)"
        )
