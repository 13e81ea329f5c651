from filing.applications.tests.conftest import applicant, seed_calls  # noqa: F401
