"""Remind applicants and levels three days before their deadline; run it every hour."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from filing.notices.reminders import send_deadline_reminders


class Command(BaseCommand):
    help = (
        "Write (and e-mail) reminders for deadlines in the next three days: applicants who have "
        "not submitted, levels that have not forwarded. Nothing is sent twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            help="act as if it were this time (ISO 8601; without an offset, Beijing time)",
        )

    def handle(self, *args, now=None, **options):
        moment = timezone.now()
        if now:
            moment = parse_datetime(now.strip())
            if moment is None:
                raise CommandError(
                    f"--now must be an ISO time such as 2026-05-01T09:00, not {now!r}"
                )
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
        written = send_deadline_reminders(moment)
        self.stdout.write(f"{written} reminder(s) written")
