"""The registry's tests reuse the applications' fixtures to build real applications."""

from filing.applications.tests.conftest import applicant, seed_calls

__all__ = ["applicant", "seed_calls"]
