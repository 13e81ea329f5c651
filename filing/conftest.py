"""The named cast of the test suite, one fixture a role (see STYLE: factories, named cast)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from filing.lib.tests.queue import redis_worker  # noqa: F401 (a fixture for every test)
from filing.orgs.tests.factories import OrganisationFactory, UserFactory


@pytest.fixture
def cast(db):
    """An applicant organisation in Guangzhou with its admin and filler, and staff at each level."""
    gz_org = OrganisationFactory(name="广州测试众创运营有限公司", city_code="440100")
    sz_org = OrganisationFactory(name="深圳测试众创运营有限公司", city_code="440300")
    nj_org = OrganisationFactory(name="南京测试众创运营有限公司", city_code="320100")
    return SimpleNamespace(
        gz_org=gz_org,
        sz_org=sz_org,
        nj_org=nj_org,
        org_admin=UserFactory(username="org-admin", org_admin=True, organisation=gz_org),
        filler=UserFactory(username="filler", filler=True, organisation=gz_org),
        other_org_admin=UserFactory(
            username="other-org-admin", org_admin=True, organisation=sz_org
        ),
        city_reviewer=UserFactory(
            username="gz-reviewer", reviewer=True, authority_code="gd-440100"
        ),
        other_city_reviewer=UserFactory(
            username="sz-reviewer", reviewer=True, authority_code="gd-440300"
        ),
        province_reviewer=UserFactory(username="gd-reviewer", reviewer=True, authority_code="gd"),
        other_province_reviewer=UserFactory(
            username="js-reviewer", reviewer=True, authority_code="js"
        ),
        receiving_unit_reviewer=UserFactory(
            username="js-center", reviewer=True, authority_code="js-startup-center"
        ),
        ministry_reviewer=UserFactory(
            username="most-reviewer", reviewer=True, authority_code="most"
        ),
        leader=UserFactory(username="gz-leader", leader=True, authority_code="gd-440100"),
    )


@pytest.fixture(autouse=True, scope="session")
def _audit_flush_allowed():
    """Let pytest-django empty the audit table between transactional tests."""
    from filing.audit.db import set_maintenance

    set_maintenance(True)
    yield


@pytest.fixture
def audit_strict():
    """Within one test, the audit table's triggers apply as in production."""
    from filing.audit.db import set_maintenance

    set_maintenance(False)
    yield
    set_maintenance(True)


# The migrations that fill a fresh database with reference rows (content types and permissions
# are made again by Django after every flush).
SEED_MIGRATIONS = [
    "filing.reference.migrations.0002_load_reference_data",
    "filing.orgs.migrations.0002_load_authorities",
    "filing.registry.migrations.0002_load_first_national_demonstration_list",
]


@pytest.fixture(autouse=True)
def _seed_rows(request):
    """A committing test (transaction=True, a live server) ends with a flush that empties every
    table; a database test after it finds the reference rows loaded again."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if marker is None and not names & {"db", "transactional_db", "live_server"}:
        return
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        names & {"transactional_db", "live_server"}
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    ensure_seed_rows()


def ensure_seed_rows() -> None:
    """Load the reference rows again if a flush emptied them (also for package-scoped worlds,
    which are built before any function-scoped fixture runs)."""
    from importlib import import_module

    from django.apps import apps

    from filing.orgs.models import Authority

    if not Authority.objects.exists():
        for module in SEED_MIGRATIONS:
            import_module(module).load(apps, None)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: what one test kept (filter choices, rate-limit
    counts) would otherwise be read by the next, against another database's rows."""
    from django.core.cache import cache

    cache.clear()
