import pytest  # noqa: E402

from filing.applications.tests.conftest import applicant, seed_calls  # noqa: F401


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Objection counts per address live in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()
