"""Reload the published filed lists from definitions/registry/; all files or none."""

from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError
from pydantic import ValidationError

from filing.registry.loading import registry_files
from filing.registry.services import reload_lists


class Command(BaseCommand):
    help = "Create or update filed-list entries from definitions/registry/ (or the files given)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path)

    def handle(self, *args, paths, **options):
        paths = paths or registry_files()
        if not paths:
            raise CommandError("no filed-list files given or found")
        try:
            results = reload_lists(paths)
        except (ValidationError, yaml.YAMLError, OSError) as exc:
            raise CommandError(f"nothing loaded: {exc}") from exc
        for result in results:
            self.stdout.write(
                f"{result.document}: {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged"
            )
