import pytest

from filing.applications.tests.conftest import applicant, seed_calls  # noqa: F401


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit at the end of the block, as a finished request does."""

    def block():
        return django_capture_on_commit_callbacks(execute=True)

    return block
