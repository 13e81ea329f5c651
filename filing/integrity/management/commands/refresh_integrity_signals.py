"""Recompute the integrity signals of one call (with the rounds that feed it) or of every call.

Submissions keep the signals current; run this after deploying a new kind of signal, after a
call definition gains roster kinds, or to check that nothing was missed.
"""

from django.core.management.base import BaseCommand, CommandError

from filing.calls.models import Call
from filing.integrity.services import family_root, refresh_call_signals


class Command(BaseCommand):
    help = "Recompute integrity signals for a call and the rounds that feed it (default: all)."

    def add_arguments(self, parser):
        parser.add_argument("--call", metavar="CODE", help="the code of one call")

    def handle(self, *args, call=None, **options):
        if call:
            found = Call.objects.select_related("feeds").filter(code=call).first()
            if found is None:
                raise CommandError(f"no call with the code {call!r}")
            roots = [family_root(found)]
        else:
            roots = list(Call.objects.filter(feeds__isnull=True).order_by("code"))
        for root in roots:
            total = refresh_call_signals(root)
            self.stdout.write(f"{root.code}: {total} signal(s)")
