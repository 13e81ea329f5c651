"""The workbench's filters, search and sorts give the right applications: each count on the page
matches what the applications themselves say (the reviews keep copies of their call, operator
and city, and the copies must agree); newest first pages through every review exactly once."""

import re

import pytest
from django.apps import apps as registry
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from filing.applications.models import Application
from filing.orgs.tests.factories import OrganisationFactory
from filing.reviews import workbench
from filing.reviews.models import Review
from filing.reviews.tests.routing import staff
from filing.reviews.tests.test_review_guards import auth, submit
from filing.reviews.tests.test_workbench_scale import CODE, fill

COPIES = ["call_id", "organisation_id", "city_id"]


def total(client, params) -> int:
    page = client.get(reverse("reviews:workbench"), params).content.decode()
    found = re.search(r"共 (\d+) 件", page)
    assert found, page[:500]
    return int(found.group(1))


def ids_on(client, params) -> list[int]:
    page = client.get(reverse("reviews:workbench"), params).content.decode()
    return [int(n) for n in re.findall(r'href="/reviews/(\d+)/"', page)]


@pytest.fixture
def bureau(client, seed_calls):
    """120 applications at the Guangzhou bureau, from operators in Guangzhou and Shenzhen."""
    guangzhou = [OrganisationFactory(city_code="440100") for _ in range(3)]
    shenzhen = [OrganisationFactory(city_code="440300") for _ in range(2)]
    fill(seed_calls, count=120, organisations=guangzhou + shenzhen)
    client.force_login(staff(auth("gd-440100"), "reviewer"))
    return guangzhou, shenzhen


def test_an_arriving_application_leaves_its_copies_on_the_review(client, seed_calls, applicant):
    app, *_ = submit(client, applicant)
    review = Review.objects.get(application=app)
    assert (review.call_id, review.organisation_id, review.city_id) == (
        app.call_id,
        app.organisation_id,
        "440100",
    )


def test_counts_agree_with_the_applications(client, bureau):
    guangzhou, shenzhen = bureau
    apps = Application.objects.all()
    assert total(client, {}) == 120
    assert total(client, {"call": CODE}) == apps.filter(call__code=CODE).count() == 120
    assert total(client, {"call": "jiangsu-2020-rehearsal"}) == 0
    in_shenzhen = apps.filter(organisation__city_id="440300").count()
    assert total(client, {"scope": "area", "city": "440300"}) == in_shenzhen == 48
    assert total(client, {"city": "440100"}) == 120 - in_shenzhen
    operator = shenzhen[0]
    by_operator = apps.filter(
        Q(organisation__name__icontains=operator.name) | Q(space_name__icontains=operator.name)
    )
    assert total(client, {"q": operator.name}) == by_operator.count() >= 24
    code = operator.credit_code[:10]
    by_code = apps.filter(organisation__credit_code__startswith=code)
    assert total(client, {"q": code}) == by_code.count() >= 24
    # A space name anywhere in it: 空间1, 空间1x and 空间1xx.
    assert total(client, {"q": "空间1"}) == apps.filter(space_name__contains="空间1").count()


@pytest.mark.parametrize("written_out", [2000, 5])
def test_a_search_finds_the_same_whether_its_matches_are_written_out_or_asked_for(
    client, bureau, monkeypatch, written_out
):
    # Up to SEARCH_IDS matches go into the query as ids; more, as a subquery.
    monkeypatch.setattr(workbench, "SEARCH_IDS", written_out)
    apps = Application.objects.all()
    operator = bureau[1][0]
    expected = apps.filter(
        Q(organisation__name__icontains=operator.name) | Q(space_name__icontains=operator.name)
    ).count()
    assert total(client, {"q": operator.name}) == expected >= 24
    assert total(client, {"q": "空间1"}) == apps.filter(space_name__contains="空间1").count() > 5


@pytest.mark.parametrize("sorted_apart", [2000, 5])
@pytest.mark.parametrize("sort", ["received", "-received"])
def test_a_search_lists_its_matches_in_arrival_order_sorted_apart_or_not(
    client, bureau, monkeypatch, sort, sorted_apart
):
    # Up to SORTED_APART matches are sorted on their own; more, read along the arrival index.
    monkeypatch.setattr(workbench, "SORTED_APART", sorted_apart)
    matching = Review.objects.filter(application__space_name__contains="空间1")
    expected = sorted(matching.values_list("pk", flat=True), reverse=sort.startswith("-"))
    assert len(expected) > 10
    assert ids_on(client, {"q": "空间1", "sort": sort}) == expected[: workbench.PAGE_SIZE]


def test_the_list_reads_the_same_number_of_queries_for_a_full_page_as_for_a_few_rows(
    client, bureau
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(params) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("reviews:workbench"), params).status_code == 200
        return len(captured)

    queries({})  # the filter choices are cached after the first page
    assert len(ids_on(client, {})) == workbench.PAGE_SIZE
    assert 0 < len(ids_on(client, {"q": "空间10"})) < 20
    assert queries({}) == queries({"q": "空间10"}) - 2  # the search's two look-ups


def test_a_search_matching_nothing_says_so(client, bureau):
    page = client.get(reverse("reviews:workbench"), {"q": "没有这个名称"}).content.decode()
    assert "共 0 件" in page
    assert "没有符合条件的申报。" in page


def test_newest_first_pages_through_every_review_once(client, bureau):
    # All 120 arrived at the same moment: ties are broken by id, in the same direction.
    seen = []
    for page in (1, 2, 3):
        seen += ids_on(client, {"sort": "-received", "page": page})
    assert len(seen) == 120
    assert seen == sorted(seen, reverse=True)
    oldest_first = []
    for page in (1, 2, 3):
        oldest_first += ids_on(client, {"sort": "received", "page": page})
    assert oldest_first == sorted(seen)


def test_reviews_made_before_the_copies_get_them_from_their_applications(bureau):
    from importlib import import_module

    migration = import_module("filing.reviews.migrations.0007_workbench_copies")
    Review.objects.update(call=None, organisation=None, city=None)
    migration.copy_from_applications(registry, None)
    for review in Review.objects.select_related("application__organisation"):
        app = review.application
        assert [getattr(review, name) for name in COPIES] == [
            app.call_id,
            app.organisation_id,
            app.organisation.city_id,
        ]


def test_an_arrival_after_a_return_refreshes_the_copies(client, seed_calls, applicant):
    app, *_ = submit(client, applicant)
    review = Review.objects.get(application=app)
    Review.objects.filter(pk=review.pk).update(city=None, organisation=None)
    from filing.reviews.services import receive

    receive(app, level_index=0, authority=review.authority, now=timezone.now())
    review.refresh_from_db()
    assert (review.organisation_id, review.city_id) == (app.organisation_id, "440100")
