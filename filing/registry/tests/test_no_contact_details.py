"""The public pages carry no telephone number, e-mail address or person's name, even when the
organisation, its people and its application have them: an entry copies public facts only."""

import re
from datetime import datetime

import pytest
from django.urls import reverse

from filing.orgs.models import Authority
from filing.registry.services import enter_filed_space
from filing.registry.tests.building import filed_application

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(r"\b(?:0\d{2,3}-?\d{7,8}|1[3-9]\d{9})\b")


@pytest.fixture
def entry(cast, seed_calls, applicant):
    org, filler, admin = applicant("320100")
    org.phone = "025-83163286"
    org.legal_representative = "李法人"
    org.address = "南京市示范路88号"
    org.host_entity_name = "南京依托集团有限公司"
    org.save()
    for person, mobile in [(filler, "13812345678"), (admin, "13987654321")]:
        person.phone = mobile
        person.full_name = f"王{person.pk}某"
        person.save()
    app = filed_application(
        "jiangsu-2020",
        "professional",
        filler,
        "南京隐私测试专业化众创空间",
        when=datetime(2020, 7, 20, 10, 0),
        values={
            "contact_name": "赵联系",
            "contact_phone": "025-88889999",
            "contact_mobile": "13700001111",
            "contact_email": "contact@example.cn",
            "professional_field": "1.1.2",
        },
    )
    space = enter_filed_space(
        app,
        actor=cast.ministry_reviewer,
        authority=Authority.objects.get(code="most"),
        level="national",
    )
    secrets = [
        org.phone,
        org.legal_representative,
        org.address,
        org.credit_code,
        filler.email,
        admin.email,
        filler.phone,
        admin.phone,
        filler.full_name,
        admin.full_name,
        "赵联系",
        "025-88889999",
        "13700001111",
        "contact@example.cn",
    ]
    return space, secrets


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_contact_detail_or_name_of_a_person_reaches_the_public_pages(client, entry, language):
    space, secrets = entry
    client.cookies["django_language"] = language
    pages = [
        client.get(reverse("registry:list")).content.decode(),
        client.get(reverse("registry:list"), {"q": "隐私测试"}).content.decode(),
        client.get(reverse("registry:detail", args=[space.pk])).content.decode(),
    ]
    for page in pages:
        assert "南京隐私测试专业化众创空间" in page
        for secret in secrets:
            assert secret not in page, secret
        assert EMAIL.findall(page) == []
        assert PHONE.findall(page) == []
