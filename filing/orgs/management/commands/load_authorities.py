from django.core.management.base import BaseCommand

from filing.orgs.loading import load_authorities
from filing.orgs.models import Authority
from filing.reference.models import Region


class Command(BaseCommand):
    help = "Create or update the authority tree from definitions/authorities.yaml."

    def handle(self, *args, **options):
        count = load_authorities(Authority, Region)
        self.stdout.write(f"{count} authorities loaded")
