"""A typed high-tech field is found by code, name or full path; answers are kept, so a roster
of many rows asks the database once per distinct value, and a change to the catalogue is seen
at once."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from filing.reference.models import HighTechField, find_high_tech_field


def test_an_item_is_found_by_code_name_or_path(db):
    item = HighTechField.objects.filter(is_leaf=True).first()
    for text in (item.code, f"{item.code} {item.path}", item.name, item.path):
        found = find_high_tech_field(text)
        assert found is not None, text
        assert (found.code, found.is_leaf) == (item.code, True)
    assert find_high_tech_field("不存在的领域") is None


def test_the_same_value_is_looked_up_once(db):
    item = HighTechField.objects.filter(is_leaf=True).last()
    find_high_tech_field.cache_clear()
    with CaptureQueriesContext(connection) as queries:
        for _ in range(200):
            assert find_high_tech_field(item.code).code == item.code
    assert len(queries) == 1


def test_a_changed_item_is_seen_at_once(db):
    item = HighTechField.objects.filter(is_leaf=True).first()
    assert find_high_tech_field(item.code).name == item.name
    item.name = "改名后的领域"
    item.save()
    try:
        assert find_high_tech_field(item.code).name == "改名后的领域"
    finally:
        # The test's transaction is rolled back without a signal: forget the renamed item.
        find_high_tech_field.cache_clear()
