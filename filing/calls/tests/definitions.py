"""Helpers shared by the tests that read one shipped call definition each."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from django.conf import settings

from filing.calls.schema import SHANGHAI, CallDefinition, Rule
from filing.lib.expressions import evaluate

CALLS = Path(settings.CALL_DEFINITIONS_DIR)


def rule(d: CallDefinition, key: str) -> Rule:
    return next(r for r in d.eligibility if r.key == key)


def outcome(d: CallDefinition, key: str, today: date, **values):
    """True / False for a decided rule, None when it cannot be decided."""
    result = evaluate(rule(d, key).expression, values, today=today)
    return result.value if result.decided else None


def shanghai_end_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=SHANGHAI)
