"""The list and an entry's page are in Chinese unless the visitor chose English (the
django_language cookie set by the language switch); then the page, the batch label and the
authority's name are in English, while names of spaces and organisations stay as published."""

import pytest
from django.urls import reverse

from filing.registry.models import FiledSpace

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(db):
    return FiledSpace.objects.get(decision_document="国科发高〔2016〕231号", position=11)


def test_the_pages_are_in_chinese_by_default(client, entry):
    listing = client.get(reverse("registry:list")).content.decode()
    assert '<html lang="zh-hans">' in listing
    assert "众创空间备案名单" in listing
    assert "2016 首批" in listing
    assert "专业化众创空间" in listing
    detail = client.get(reverse("registry:detail", args=[entry.pk])).content.decode()
    assert '<html lang="zh-hans">' in detail
    assert "科学技术部" in detail
    assert "化工橡胶国家专业化众创空间" in detail


def test_the_pages_are_in_english_when_the_visitor_chose_english(client, entry):
    client.cookies["django_language"] = "en"
    listing = client.get(reverse("registry:list")).content.decode()
    assert '<html lang="en">' in listing
    assert "Maker Space Filing Platform" in listing
    assert "2016 First batch" in listing
    assert "2016 首批" not in listing
    assert "Professional maker space" in listing
    assert "化工橡胶国家专业化众创空间" in listing  # names stay as published
    detail = client.get(reverse("registry:detail", args=[entry.pk])).content.decode()
    assert '<html lang="en">' in detail
    assert "Ministry of Science and Technology" in detail
    assert "First batch" in detail
    assert "软控股份有限公司" in detail


def test_an_unknown_language_cookie_falls_back_to_chinese(client, entry):
    client.cookies["django_language"] = "fr"
    assert '<html lang="zh-hans">' in client.get(reverse("registry:list")).content.decode()
