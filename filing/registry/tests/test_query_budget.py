"""The list page costs the same number of queries for 6 entries as for 60: places are joined
(select_related), the filters' choices take one query each, and nothing is read per row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from filing.registry.tests.factories import FiledSpaceFactory

pytestmark = pytest.mark.django_db

BUDGET = 8


def count_queries(client, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("registry:list"), params or {})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("params", [{}, {"field": "1.1.2", "year": 2020}, {"q": "测试"}])
def test_the_list_costs_the_same_for_6_entries_as_for_60(client, params):
    FiledSpaceFactory.create_batch(3, city_code="440100")
    FiledSpaceFactory.create_batch(3, provincial=True, city_code="320100")
    with_6 = count_queries(client, params)
    FiledSpaceFactory.create_batch(27, city_code="440300")
    FiledSpaceFactory.create_batch(27, provincial=True, city_code="430100")
    with_60 = count_queries(client, params)
    assert with_6 == with_60
    assert with_60 <= BUDGET


def test_the_detail_page_reads_the_entry_in_one_query(client, django_assert_num_queries):
    space = FiledSpaceFactory()
    with django_assert_num_queries(1):
        client.get(reverse("registry:detail", args=[space.pk]))
