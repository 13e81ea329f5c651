"""Check call-definition files against the format without touching the database."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from filing.calls.loading import DefinitionError, check_file, definition_files


class Command(BaseCommand):
    help = "Check call-definition files (default: every file in definitions/calls/)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path)

    def handle(self, *args, paths, **options):
        paths = paths or definition_files(Path(settings.CALL_DEFINITIONS_DIR))
        failures = []
        for path in paths:
            try:
                checked = check_file(path)
            except DefinitionError as exc:
                failures.extend(exc.problems)
            else:
                d = checked.definition
                self.stdout.write(
                    f"ok  {path.name}: {d.code} v{d.version}, {len(d.all_fields())} fields, "
                    f"{len(d.rosters)} rosters, {len(d.attachments)} attachments, "
                    f"{len(d.eligibility)} rules"
                )
        if failures:
            for problem in failures:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(failures)} problem(s); fix them and check again")
