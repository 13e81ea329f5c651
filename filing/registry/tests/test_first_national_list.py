"""The 17 spaces of the first national demonstration list (国科发高〔2016〕231号) are in the filed
list from the start, exactly as the document prints them (序号, name, host entities), filed on
the document's date of issue; reloading the file changes nothing, restores an edited entry and
is audited; a file that does not follow the format loads nothing."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from filing.audit.models import AuditEvent
from filing.registry.constants import Level, TrackKind
from filing.registry.models import FiledSpace

DOCUMENT = "国科发高〔2016〕231号"

pytestmark = pytest.mark.django_db


def first_list():
    return FiledSpace.objects.filter(decision_document=DOCUMENT).order_by("position")


def test_the_seventeen_spaces_are_there_from_the_start():
    assert first_list().count() == 17
    assert list(first_list().values_list("position", flat=True)) == list(range(1, 18))


@pytest.mark.parametrize(
    ("position", "name", "host"),
    [
        (1, "智慧家庭国家专业化众创空间", "海尔集团公司"),
        (2, "卡车动力总成国家专业化众创空间", "潍柴控股集团有限公司"),
        (5, "智能硬件国家专业化众创空间", "TCL集团股份有限公司"),
        (6, "轨道交通国家专业化众创空间", "中车株洲电力机车研究所有限公司"),
        (7, "智能制造国家专业化众创空间", "大连机床集团(东莞)智能技术研发中心有限公司"),
        (10, "诊断试剂国家专业化众创空间", "中山大学达安基因股份有限公司"),
        (12, "光电子国家专业化众创空间", "中国科学院西安光学精密机械研究所"),
        (16, "虚拟现实与智能硬件国家专业化众创空间", "北京航空航天大学"),
        (17, "无线通信国家专业化众创空间", "电子科技大学"),
    ],
)
def test_names_and_hosts_are_exactly_as_published(position, name, host):
    entry = first_list().get(position=position)
    assert entry.space_name == name
    assert entry.host_entity_name == host
    assert entry.host_entities == [host]


def test_entry_eleven_has_two_host_entities():
    entry = first_list().get(position=11)
    assert entry.space_name == "化工橡胶国家专业化众创空间"
    assert entry.host_entity_name == "软控股份有限公司、橡胶谷集团有限公司"
    assert entry.host_entities == ["软控股份有限公司", "橡胶谷集团有限公司"]


def test_the_list_is_the_national_first_batch_of_2016_filed_on_its_date_of_issue():
    for entry in first_list().select_related("authority"):
        assert entry.level == Level.NATIONAL
        assert entry.track_kind == TrackKind.PROFESSIONAL_MAKER_SPACE
        assert (entry.year, entry.batch, entry.batch_en) == (2016, "首批", "First batch")
        assert entry.batch_number == 1
        assert entry.filed_on == date(2016, 7, 29)
        assert entry.authority.code == "most"
        assert entry.application is None and entry.call is None
        assert not entry.is_rehearsal


def test_nothing_the_list_does_not_say_is_inferred():
    """The table has no province, city, operator or field column."""
    assert not first_list().exclude(province=None).exists()
    assert not first_list().exclude(city=None).exists()
    assert not first_list().exclude(field_code=None).exists()
    assert not first_list().exclude(operator_name="").exists()


def test_reloading_changes_nothing_and_restores_an_edited_entry(capsys):
    call_command("load_registry")
    assert f"{DOCUMENT}: 0 created, 0 updated, 17 unchanged" in capsys.readouterr().out
    assert first_list().count() == 17

    first_list().filter(position=3).update(space_name="改错的名称", filed_on=None)
    call_command("load_registry")
    assert f"{DOCUMENT}: 0 created, 1 updated, 16 unchanged" in capsys.readouterr().out
    entry = first_list().get(position=3)
    assert entry.space_name == "移动互联网国家专业化众创空间"
    assert entry.filed_on == date(2016, 7, 29)

    events = AuditEvent.objects.filter(event="registry.loaded").order_by("pk")
    assert [e.data["updated"] for e in events] == [0, 1]
    assert events.last().data["document"] == DOCUMENT


def test_a_file_off_the_format_loads_nothing(tmp_path):
    good = tmp_path / "a-good.yaml"
    good.write_text(
        "schema: 1\ndocument: 测试〔2030〕1号\ntitle: 测试名单\nlevel: provincial\n"
        "track_kind: maker_space\nyear: 2030\nentries:\n  - {position: 1, name: 测试众创空间}\n",
        encoding="utf-8",
    )
    bad = tmp_path / "b-bad.yaml"
    bad.write_text(good.read_text(encoding="utf-8").replace("title:", "titel:"), encoding="utf-8")
    with pytest.raises(CommandError, match="titel"):
        call_command("load_registry", str(good), str(bad))
    assert not FiledSpace.objects.filter(decision_document="测试〔2030〕1号").exists()
