"""A space whose filing was decided enters the filed list once, with the public facts of its
application: its name, the host entity (the form's, else the organisation's), the operator, the
province and city, the professional field from the catalogue, and from the call definition the
kind of track, the year and the batch; each entry writes an audit row. A second entry for the
same application, or an entry for an application that was not filed, is refused with a
message."""

from datetime import date, datetime

import pytest
from django.urls import reverse

from filing.applications.tests.filling import start
from filing.audit.events import describe
from filing.audit.models import AuditEvent
from filing.orgs.models import Authority
from filing.registry.constants import Level, TrackKind
from filing.registry.models import FiledSpace
from filing.registry.services import RegistryError, enter_filed_space
from filing.registry.tests.building import filed_application, mark_filed

IN_JIANGSU_ROUND = datetime(2020, 7, 20, 10, 0)
IN_HUNAN_ROUND = datetime(2016, 4, 10, 10, 0)


@pytest.fixture
def jiangsu(seed_calls, applicant):
    org, filler, admin = applicant("320100")
    org.host_entity_name = "南京测试依托集团有限公司"
    org.save()
    return org, filler


@pytest.fixture
def most(db):
    return Authority.objects.get(code="most")


def test_it_enters_a_filed_application_with_its_public_facts(cast, jiangsu, most):
    org, filler = jiangsu
    app = filed_application(
        "jiangsu-2020",
        "professional",
        filler,
        "南京智能制造专业化众创空间",
        when=IN_JIANGSU_ROUND,
        values={"professional_field": "1.1.2"},
    )
    entry = enter_filed_space(
        app,
        actor=cast.ministry_reviewer,
        authority=most,
        level=Level.NATIONAL,
        document="国科办区〔2020〕99号",
        filed_on=date(2020, 11, 30),
    )
    entry.refresh_from_db()
    assert entry.space_name == "南京智能制造专业化众创空间"
    assert entry.host_entity_name == "南京测试依托集团有限公司"  # the call asks none: the profile's
    assert entry.operator_name == org.name
    assert (entry.province.name, entry.city.name) == ("江苏省", "南京市")
    assert entry.field_code == "1.1.2"
    assert entry.field_path == "电子信息 / 软件 / 嵌入式软件"
    assert entry.track_kind == TrackKind.PROFESSIONAL_MAKER_SPACE
    assert (entry.level, entry.year, entry.batch, entry.batch_en) == (
        Level.NATIONAL,
        2020,
        "第四批",
        "4th batch",
    )
    assert entry.batch_number == 4
    assert entry.decision_document == "国科办区〔2020〕99号"
    assert entry.filed_on == date(2020, 11, 30)
    assert entry.call.code == "jiangsu-2020"
    assert entry.application == app
    assert entry.authority == most
    assert entry.position == 1
    assert not entry.is_rehearsal


def test_it_writes_an_audit_row(cast, jiangsu, most):
    _org, filler = jiangsu
    app = filed_application(
        "jiangsu-2020", "professional", filler, "南京测试众创空间", when=IN_JIANGSU_ROUND
    )
    entry = enter_filed_space(app, actor=cast.ministry_reviewer, authority=most, level="national")
    event = AuditEvent.objects.get(event="registry.entered")
    assert event.actor == cast.ministry_reviewer
    assert (event.object_type, event.object_id) == ("registry.filedspace", str(entry.pk))
    assert event.data["application"] == app.pk
    assert describe(event) == "most-reviewer 将 南京测试众创空间 列入 2020 年第四批备案名单"


def test_the_kind_year_and_batch_come_from_the_call_definition(cast, seed_calls, applicant):
    _org, filler, _admin = applicant("430200")
    app = filed_application(
        "hunan-2016-2", "maker_space", filler, "株洲创客众创空间", when=IN_HUNAN_ROUND
    )
    entry = enter_filed_space(
        app,
        actor=cast.ministry_reviewer,
        authority=Authority.objects.get(code="hn"),
        level=Level.PROVINCIAL,
    )
    assert entry.track_kind == TrackKind.MAKER_SPACE
    assert (entry.year, entry.batch, entry.batch_number) == (2016, "2016年度第二批", 2)
    assert entry.field_code is None and entry.field_path is None
    assert entry.decision_document == "" and entry.filed_on is None


def test_the_host_entity_comes_from_the_form_and_a_rehearsal_entry_is_marked(
    client, cast, seed_calls, most
):
    client.force_login(cast.filler)
    app = start(client, "guangdong-2020-rehearsal", "professional", "广州演练专业化众创空间")
    app = mark_filed(
        app, {"host_entity_name": "广州表单依托集团有限公司", "professional_field": "8.1.2"}
    )
    entry = enter_filed_space(app, actor=cast.ministry_reviewer, authority=most, level="national")
    assert entry.host_entity_name == "广州表单依托集团有限公司"
    assert entry.field_code == "8.1.2"
    assert (entry.province.name, entry.city.name) == ("广东省", "广州市")
    assert entry.is_rehearsal
    client.logout()
    listing = client.get(reverse("registry:list"), {"q": "广州演练"})
    assert list(listing.context["page"]) == [entry]
    assert 'class="badge badge-rehearsal"' in listing.content.decode()


def test_it_refuses_to_enter_the_same_application_twice(cast, jiangsu, most):
    _org, filler = jiangsu
    app = filed_application(
        "jiangsu-2020", "professional", filler, "南京测试众创空间", when=IN_JIANGSU_ROUND
    )
    enter_filed_space(app, actor=cast.ministry_reviewer, authority=most, level="national")
    with pytest.raises(RegistryError, match="已列入备案名单"):
        enter_filed_space(app, actor=cast.ministry_reviewer, authority=most, level="national")
    assert FiledSpace.objects.filter(application=app).count() == 1
    assert AuditEvent.objects.filter(event="registry.entered").count() == 1


def test_it_refuses_an_application_that_was_not_filed(cast, jiangsu, most):
    _org, filler = jiangsu
    app = filed_application(
        "jiangsu-2020", "professional", filler, "南京测试众创空间", when=IN_JIANGSU_ROUND
    )
    app.status = "in_review"
    app.save(update_fields=["status"])
    with pytest.raises(RegistryError, match="只有已准予备案的申报"):
        enter_filed_space(app, actor=cast.ministry_reviewer, authority=most, level="national")
    assert not FiledSpace.objects.filter(application=app).exists()


def test_entries_of_one_list_are_numbered_in_turn(cast, seed_calls, applicant, most):
    entries = []
    for n, city in enumerate(["320100", "320200", "320500"]):
        _org, filler, _admin = applicant(city, n=n)
        app = filed_application(
            "jiangsu-2020", "professional", filler, f"江苏第{n}众创空间", when=IN_JIANGSU_ROUND
        )
        entries.append(
            enter_filed_space(app, actor=cast.ministry_reviewer, authority=most, level="national")
        )
    assert [e.position for e in entries] == [1, 2, 3]
