"""The high-tech field picker finds items by part of their name and accepts only leaves:
third-level items, or the three second-level items that have no third level."""

import pytest
from django import forms
from django.urls import reverse

from filing.reference.forms import HighTechFieldChoice
from filing.reference.models import HighTechField

pytestmark = pytest.mark.django_db


class PickerForm(forms.Form):
    field = HighTechFieldChoice(label="专业领域")


def test_the_catalogue_is_loaded_with_its_published_shape():
    assert HighTechField.objects.filter(level=1).count() == 8
    assert HighTechField.objects.filter(level=2).count() == 52
    assert HighTechField.objects.filter(level=3).count() == 254
    assert HighTechField.objects.selectable().count() == 257


def test_typing_part_of_a_name_suggests_matching_leaves_with_their_path(client):
    page = client.get(reverse("reference:field_search"), {"q": "嵌入"}).content.decode()
    assert "1.1.2" in page
    assert "电子信息 / 软件 / 嵌入式软件" in page


def test_suggestions_never_offer_a_first_or_second_level_item(client):
    page = client.get(reverse("reference:field_search"), {"q": "软件"}).content.decode()
    assert 'data-code="1.1"' not in page
    assert 'data-code="1.1.1"' in page


def test_an_empty_query_suggests_nothing(client):
    assert (
        "field-option"
        not in client.get(reverse("reference:field_search"), {"q": ""}).content.decode()
    )


@pytest.mark.parametrize("typed", ["1.1.2", "嵌入式软件", "1.1.2 电子信息 / 软件 / 嵌入式软件"])
def test_a_leaf_is_accepted_by_code_or_by_name(typed):
    form = PickerForm({"field": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["field"].code == "1.1.2"


def test_a_second_level_item_without_children_is_a_leaf():
    form = PickerForm({"field": "5.4"})
    assert form.is_valid()
    assert form.cleaned_data["field"].name == "高技术专业化服务"


@pytest.mark.parametrize("typed", ["1", "1.1", "电子信息", "软件"])
def test_a_first_or_second_level_item_is_refused_with_a_reason(typed):
    form = PickerForm({"field": typed})
    assert not form.is_valid()
    assert "三级目录" in form.errors["field"][0]


def test_an_unknown_item_is_refused():
    form = PickerForm({"field": "量子烹饪"})
    assert not form.is_valid()
    assert "未找到" in form.errors["field"][0]


def test_the_widget_renders_the_search_hook_and_the_chosen_path():
    leaf = HighTechField.objects.get(code="1.1.2")
    html = PickerForm(initial={"field": leaf}).as_p()
    assert 'hx-get="/reference/fields/search/"' in html
    assert "电子信息 / 软件 / 嵌入式软件" in html
