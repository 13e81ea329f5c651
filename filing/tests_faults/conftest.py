"""Fixtures of the fault tests (docs/security.md, "Faults")."""

from filing.applications.tests.conftest import applicant, seed_calls  # noqa: F401
