"""The workbench at 20,000 applications: the same number of queries per page as at 20, with
every filter, the search and each sort; counts and pages come out right."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from filing.applications.constants import Status
from filing.applications.models import Application
from filing.orgs.tests.factories import OrganisationFactory, UserFactory
from filing.reviews.models import Review
from filing.reviews.tests.routing import staff
from filing.reviews.tests.test_review_guards import auth

CODE = "guangdong-2020-rehearsal"
QUERIES = [
    {},
    {"call": CODE},
    {"status": "received"},
    {"eligibility": "passes"},
    {"field": "1"},
    {"q": "空间17"},
    {"sort": "name"},
    {"sort": "-received", "page": "3"},
    {"scope": "area", "city": "440100"},
]


def fill(seed_calls, *, count: int, organisations) -> None:
    """`count` submitted applications with their reviews, written in bulk."""
    call = seed_calls[CODE]
    version = call.versions.order_by("-version").first()
    authority = auth("gd-440100")
    creator = UserFactory(filler=True, organisation=organisations[0])
    now = timezone.now()
    Review.objects.all().delete()
    Application.objects.all().delete()
    apps = Application.objects.bulk_create(
        [
            Application(
                call=call,
                call_version=version,
                organisation=organisations[i % len(organisations)],
                track="professional",
                status=Status.SUBMITTED,
                space_name=f"空间{i}专业化众创空间",
                first_level=authority,
                field_code=f"{1 + i % 8}.1.1",
                rule_failures=int(i % 3 == 0),
                created_by=creator,
                submitted_at=now,
            )
            for i in range(count)
        ],
        batch_size=2000,
    )
    if not apps[0].pk:  # SQLite before RETURNING: read the keys back
        apps = list(Application.objects.order_by("pk"))
    Review.objects.bulk_create(
        [
            Review(
                application=app,
                level_key="city",
                level_index=0,
                authority=authority,
                received_at=now,
                **Review.copied_from(app),
            )
            for app in apps
        ],
        batch_size=2000,
    )


def page_queries(client, params) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("reviews:workbench"), params)
    assert response.status_code == 200
    return len(ctx), response.content.decode()


def test_twenty_thousand_applications_cost_no_more_queries_than_twenty(client, seed_calls):
    organisations = [OrganisationFactory(city_code="440100") for _ in range(20)]
    client.force_login(staff(auth("gd-440100"), "reviewer"))

    fill(seed_calls, count=20, organisations=organisations)
    small = {str(p): page_queries(client, p)[0] for p in map(dict, QUERIES)}

    fill(seed_calls, count=20_000, organisations=organisations)
    assert Review.objects.count() == 20_000
    large = {}
    for params in QUERIES:
        large[str(params)], page = page_queries(client, params)
        rows = len(re.findall(r'href="/reviews/\d+/"', page))
        assert 0 < rows <= 50, params  # one page, whatever the total
    assert large == small
    _n, page = page_queries(client, {})
    assert "共 20000 件" in page
