from django.core.management.base import BaseCommand

from filing.reference.loading import load_fields, load_regions
from filing.reference.models import HighTechField, Region


class Command(BaseCommand):
    help = "Create or update regions and the high-tech field catalogue from definitions/reference/."

    def handle(self, *args, **options):
        self.stdout.write(
            f"{load_regions(Region)} regions, {load_fields(HighTechField)} catalogue items"
        )
