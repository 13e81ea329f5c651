"""A call can hold thousands of applications: a refresh costs the same number of queries
however many there are, both after one submission and for the whole call."""

import threading

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from filing.applications.constants import Status
from filing.applications.models import Application, Attachment, RosterRow
from filing.calls.models import Call
from filing.integrity.models import Signal
from filing.integrity.services import refresh_call_signals
from filing.orgs.tests.factories import OrganisationFactory, UserFactory


def applications(call, n, user):
    """n submitted applications (made directly, content only) sharing one company and one file."""
    org = OrganisationFactory(city_code="440100")
    apps = Application.objects.bulk_create(
        Application(
            call=call,
            call_version=call.current_version,
            organisation=org,
            track="professional",
            status=Status.SUBMITTED,
            space_name=f"空间{i}专业化众创空间",
            values={"team_count": "1", "company_count": "2", "ip_holder_count": "0"},
            created_by=user,
        )
        for i in range(n)
    )
    RosterRow.objects.bulk_create(
        row
        for a in apps
        for row in [
            RosterRow(application=a, roster="teams", position=1, values={"name": f"团队{a.pk}"}),
            RosterRow(
                application=a,
                roster="companies",
                position=1,
                values={"name": "共同公司", "credit_code": "91440101MA5CXXXX1X"},
            ),
            RosterRow(
                application=a,
                roster="companies",
                position=2,
                values={"name": f"公司{a.pk}", "credit_code": f"91440101MA{a.pk:08d}"},
            ),
        ]
    )
    Attachment.objects.bulk_create(
        Attachment(
            application=a,
            item="licence_and_org_code",
            file="x.pdf",
            original_name="营业执照.pdf",
            content_type="application/pdf",
            size=1,
            sha256="ab" * 32,
            uploaded_by=user,
        )
        for a in apps
    )
    return apps


def queries(action) -> int:
    with CaptureQueriesContext(connection) as ctx:
        action()
    return len(ctx)


def test_a_refresh_costs_the_same_number_of_queries_for_3_or_30_applications(seed_calls):
    call = seed_calls["guangdong-2020-rehearsal"]
    user = UserFactory(username="someone", reviewer=True, authority_code="gd")
    few = applications(call, 3, user)

    def fresh():
        return Call.objects.get(pk=call.pk)

    whole = queries(lambda: refresh_call_signals(fresh()))
    after_one = queries(lambda: refresh_call_signals(fresh(), changed=[few[0]]))
    assert Signal.objects.count() == 3 * 2  # the company and the file, on each
    many = applications(call, 27, user)
    assert queries(lambda: refresh_call_signals(fresh())) == whole
    assert queries(lambda: refresh_call_signals(fresh(), changed=[many[0]])) == after_one
    assert Signal.objects.count() == 30 * 2
    assert len(Signal.objects.filter(application=many[0]).first().others) == 29


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
@pytest.mark.django_db(transaction=True)
def test_submissions_arriving_together_refresh_one_after_the_other(seed_calls):
    """Without the lock on the call, two refreshes would both rebuild the same signals and one
    would fail on the unique constraint."""
    call = seed_calls["guangdong-2020-rehearsal"]
    user = UserFactory(username="someone", reviewer=True, authority_code="gd")
    apps = applications(call, 8, user)
    errors: list[Exception] = []
    start = threading.Barrier(len(apps))

    def refresh(app):
        try:
            start.wait()
            refresh_call_signals(Call.objects.get(pk=call.pk), changed=[app])
        except Exception as exc:  # noqa: BLE001 - collected and asserted on below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=refresh, args=(a,)) for a in apps]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Signal.objects.count() == 8 * 2
