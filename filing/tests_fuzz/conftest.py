"""Fixtures of the fuzz tests (docs/testing.md, "Fuzzing"): the seed calls, applicants, and
applications at each stage, made through the pages as elsewhere in the suite."""

from __future__ import annotations

from filing.applications.tests.conftest import applicant, seed_calls  # noqa: F401
