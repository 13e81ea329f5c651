"""Load the seed calls, make their rehearsal copies and create the demo accounts."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from filing.calls.loading import DefinitionError
from filing.front.demo import DEMO_PASSWORD, create_accounts, load_calls_and_rehearsals


class Command(BaseCommand):
    help = "Load the notices' calls, rehearsal copies dated from today, and demo accounts."

    def handle(self, *args, **options):
        today = timezone.localdate()
        try:
            loaded, rehearsals = load_calls_and_rehearsals(today)
        except DefinitionError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                "call definitions were not loaded; a definition changed without a new version "
                "number? Raise `version` in the file, or start from a new database "
                "(delete var/db.sqlite3)."
            ) from exc
        self.stdout.write(f"calls loaded: {loaded}, rehearsal copies made: {rehearsals}")
        rows = create_accounts()
        width = max(len(r[0]) for r in rows)
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD})")
        for username, role, body in rows:
            self.stdout.write(f"  {username.ljust(width)}  {role}  {body}")
