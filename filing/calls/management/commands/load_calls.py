"""Validate and load call definitions; all or nothing."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from filing.calls.loading import DefinitionError, definition_files, load_paths


class Command(BaseCommand):
    help = "Load call-definition files (default: every file in definitions/calls/)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path)

    def handle(self, *args, paths, **options):
        paths = paths or definition_files(Path(settings.CALL_DEFINITIONS_DIR))
        if not paths:
            raise CommandError("no definition files given or found")
        try:
            result = load_paths(paths)
        except DefinitionError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"nothing was loaded: {len(exc.problems)} problem(s)") from exc
        for version in result.loaded:
            self.stdout.write(f"loaded    {version.call.code} v{version.version}")
        for code in result.unchanged:
            self.stdout.write(f"unchanged {code}")
