from datetime import date
from pathlib import Path

import pytest
from django.conf import settings

from filing.calls.loading import definition_files, load_paths, make_rehearsals
from filing.calls.models import Call
from filing.orgs.models import Authority
from filing.orgs.tests.factories import OrganisationFactory, UserFactory


@pytest.fixture
def seed_calls(db):
    """The five notices and their rehearsal copies (open now), as the demo has them."""
    load_paths(definition_files(Path(settings.CALL_DEFINITIONS_DIR)))
    make_rehearsals(list(Call.objects.filter(is_rehearsal=False)), date.today())
    return {c.code: c for c in Call.objects.all()}


@pytest.fixture
def applicant(db):
    """Makes an organisation in a city (optionally inside a zone) with its filler and admin."""

    def make(city_code: str, zone: str | None = None, n: int = 1):
        org = OrganisationFactory(city_code=city_code, legal_representative="张明")
        if zone:
            org.zone = Authority.objects.get(code=zone)
            org.save()
        filler = UserFactory(username=f"filler-{city_code}-{n}", filler=True, organisation=org)
        admin = UserFactory(username=f"admin-{city_code}-{n}", org_admin=True, organisation=org)
        return org, filler, admin

    return make
