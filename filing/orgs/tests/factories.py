"""Factories for organisations and people; authorities come from the loaded tree."""

from __future__ import annotations

import factory
from stdnum.cn import uscc

from filing.orgs.constants import HostEntityKind, OrganisationNature, Role
from filing.orgs.models import Authority, Organisation, User
from filing.reference.models import Region


def make_credit_code(n: int) -> str:
    body = f"91440101MA{n:07d}"
    return body + uscc.calc_check_digit(body)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    class Params:
        city_code = "440100"

    name = factory.Sequence(lambda n: f"测试运营机构{n}有限公司")
    credit_code = factory.Sequence(make_credit_code)
    nature = OrganisationNature.PRIVATE
    city = factory.LazyAttribute(lambda o: Region.objects.get(code=o.city_code))
    province = factory.LazyAttribute(lambda o: o.city.parent)
    address = "示范路1号"
    legal_representative = "张明"
    host_entity_kind = HostEntityKind.NONE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.cn")
    full_name = factory.LazyAttribute(lambda u: u.username)
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests-1")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()

    class Params:
        filler = factory.Trait(
            role=Role.FILLER, organisation=factory.SubFactory(OrganisationFactory)
        )
        org_admin = factory.Trait(
            role=Role.ORG_ADMIN, organisation=factory.SubFactory(OrganisationFactory)
        )
        authority_code = None
        reviewer = factory.Trait(
            role=Role.REVIEWER,
            authority=factory.LazyAttribute(lambda u: Authority.objects.get(code=u.authority_code)),
        )
        leader = factory.Trait(
            role=Role.LEADER,
            authority=factory.LazyAttribute(lambda u: Authority.objects.get(code=u.authority_code)),
        )


PASSWORD = "pw-for-tests-1"
