"""Rehearsal copies: every date moves by one shift, so a newcomer can walk a route today,
while the original call keeps its real, long-past dates."""

from datetime import date, timedelta
from pathlib import Path

import pytest

from filing.calls.loading import load_paths, make_rehearsals
from filing.calls.models import Call

MINIMAL = Path(__file__).parent / "data" / "minimal.yaml"
TODAY = date(2026, 11, 23)

pytestmark = pytest.mark.django_db


def test_the_first_deadline_falls_two_weeks_from_today_and_distances_are_kept():
    load_paths([MINIMAL])
    original = Call.objects.get(code="minimal-2021")
    make_rehearsals([original], TODAY)
    copy = Call.objects.get(code="minimal-2021-rehearsal")
    assert copy.is_rehearsal and copy.rehearsal_of == original
    assert copy.definition.first_deadline.date() == TODAY + timedelta(days=14)
    gap_original = original.definition.route[0].deadline - original.definition.first_deadline
    gap_copy = copy.definition.route[0].deadline - copy.definition.first_deadline
    assert gap_original == gap_copy
    assert copy.title.startswith("【演练】")
    original.refresh_from_db()
    assert original.definition.first_deadline.year == 2021


def test_making_rehearsals_again_changes_nothing():
    load_paths([MINIMAL])
    original = Call.objects.get(code="minimal-2021")
    make_rehearsals([original], TODAY)
    assert make_rehearsals([original], TODAY + timedelta(days=3)).loaded == []
    assert Call.objects.filter(is_rehearsal=True).count() == 1
