"""Arbitrary input to the account forms (registration, organisation, members, invitation,
login, password, two-factor) and to every list's filters and the JSON health endpoint: no 500,
and a refused form adds no person, organisation or invitation."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from filing.applications.tests.filling import credit_code
from filing.orgs.services import invite_member
from filing.tests_fuzz.fuzzing import FUZZ, Target, check_each, check_one, form_data

pytestmark = pytest.mark.fuzz

REGISTRATION = {
    "name": "广州模糊测试运营有限公司",
    "credit_code": credit_code(4242),
    "province": "440000",
    "city": "440100",
    "address": "广州市天河区科韵路1号",
    "legal_representative": "张明",
    "phone": "020-83163286",
    "nature": "enterprise",
    "host_entity_name": "广州依托集团",
    "full_name": "李管理",
    "username": "fuzz-admin",
    "email": "fuzz-admin@example.cn",
    "mobile": "13812345678",
    "password1": "Fuzz-pass-2026!",
    "password2": "Fuzz-pass-2026!",
}


@pytest.fixture
def invitation_token(cast) -> str:
    admin = cast.org_admin
    issued = invite_member(admin.organisation, actor=admin, email="new-filler@example.cn")
    return issued.url.rstrip("/").split("/")[-1]


@FUZZ
@given(data=st.data())
def test_account_forms_take_any_input(client, cast, invitation_token, data):
    admin, token = cast.org_admin, invitation_token
    org_fields = {k: v for k, v in REGISTRATION.items() if k in {"address", "phone", "nature"}}
    targets = {
        "register": (None, Target(reverse("orgs:register"), baseline=REGISTRATION)),
        "login": (
            None,
            Target(
                reverse("login"),
                baseline={"username": "org-admin", "password": "wrong"},
                refusal_records=frozenset({"audit.AuditEvent"}),
            ),
        ),
        "accept": (
            None,
            Target(
                reverse("orgs:accept_invitation", args=[token]),
                baseline={
                    "full_name": "王填报",
                    "username": "fuzz-filler",
                    "password1": "Fuzz-pass-2026!",
                    "password2": "Fuzz-pass-2026!",
                },
            ),
        ),
        "organisation": (
            admin,
            Target(
                reverse("orgs:my_organisation"),
                baseline=org_fields,
                watched=lambda: [admin.organisation],
            ),
        ),
        "members": (
            admin,
            Target(reverse("orgs:members"), baseline={"email": "another@example.cn"}),
        ),
        "password": (
            admin,
            Target(
                reverse("password_change"),
                baseline={
                    "old_password": "wrong",
                    "new_password1": "Fuzz-pass-2026!",
                    "new_password2": "Fuzz-pass-2026!",
                },
                watched=lambda: [admin],
            ),
        ),
        "two_factor": (
            cast.city_reviewer,
            Target(reverse("orgs:two_factor"), refusal_records=frozenset({"audit.AuditEvent"})),
        ),
    }
    check_each(client, data, targets, extra={"token", "otp_token"})


LISTS = {
    "workbench": (
        "city_reviewer",
        "reviews:workbench",
        [
            "scope",
            "call",
            "track",
            "status",
            "city",
            "field",
            "eligibility",
            "integrity",
            "q",
            "sort",
            "page",
        ],
    ),
    "area": ("city_reviewer", "reviews:area", ["call", "page"]),
    "organisations": ("city_reviewer", "orgs:organisation_list", ["q", "page"]),
    "registry": (None, "registry:list", ["q", "province", "city", "batch", "kind", "page"]),
    "publicity": (None, "publicity:index", ["page"]),
    "find_objection": (None, "publicity:find_objection", ["reference"]),
    "catalogue": (None, "reference:catalogue", ["q", "page"]),
    "field_search": (None, "reference:field_search", ["q", "page"]),
    "verify": ("org_admin", "applications:verify", ["code"]),
    "inbox": ("org_admin", "notices:inbox", ["page"]),
    "home": (None, "front:home", ["page"]),
    "applications": ("filler", "applications:home", ["page"]),
}


@FUZZ
@given(data=st.data())
def test_list_filters_and_the_json_endpoint_take_any_query(client, cast, data):
    for name, (role, url_name, params) in sorted(LISTS.items()):
        if role is None:
            client.logout()
        else:
            client.force_login(getattr(cast, role))
        target = Target(reverse(url_name), method="get")
        check_one(client, target, data.draw(form_data(params), label=name))
    client.logout()
    query = data.draw(form_data(["verbose", "format"]), label="health")
    response = client.get(reverse("front:health"), query)
    assert response.status_code in {200, 503}
    assert "status" in json.loads(response.content)
