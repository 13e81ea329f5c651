"""Filed-list entries for the list's tests; entries from applications go through the service."""

from __future__ import annotations

import factory

from filing.orgs.models import Authority
from filing.reference.models import HighTechField, Region
from filing.registry.constants import Level, TrackKind
from filing.registry.models import FiledSpace


class FiledSpaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FiledSpace

    class Params:
        city_code = "440100"
        field = "1.1.2"
        provincial = factory.Trait(
            level=Level.PROVINCIAL,
            authority=factory.LazyAttribute(
                lambda o: Authority.objects.get(kind="province", region=o.province)
            ),
            track_kind=TrackKind.MAKER_SPACE,
        )
        rehearsal = factory.Trait(is_rehearsal=True)

    space_name = factory.Sequence(lambda n: f"测试{n}号专业化众创空间")
    host_entity_name = factory.Sequence(lambda n: f"测试依托集团{n}有限公司")
    operator_name = factory.Sequence(lambda n: f"测试运营{n}有限公司")
    city = factory.LazyAttribute(lambda o: Region.objects.get(code=o.city_code))
    province = factory.LazyAttribute(lambda o: o.city.parent)
    field_code = factory.LazyAttribute(lambda o: o.field)
    field_path = factory.LazyAttribute(
        lambda o: HighTechField.objects.get(catalogue="2016", code=o.field).path
    )
    track_kind = TrackKind.PROFESSIONAL_MAKER_SPACE
    level = Level.NATIONAL
    authority = factory.LazyFunction(lambda: Authority.objects.get(code="most"))
    year = 2020
    batch = "第四批"
    batch_en = "4th batch"
    position = factory.Sequence(lambda n: n + 1)
