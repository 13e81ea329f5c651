"""The public list answers without a login; one box finds a space by part of its name, of a
host entity's or of the operator's; filters narrow it by province, year, batch, field (a
first-level catalogue item or a leaf code), host entity, kind and level; it is ordered national
first, the latest year first, batches in order, then 序号, and shows 50 a page. An entry filed
in a rehearsal copy of a call is listed, marked 演练."""

import pytest
from django.urls import reverse

from filing.registry.constants import Level, TrackKind
from filing.registry.models import FiledSpace
from filing.registry.tests.factories import FiledSpaceFactory

pytestmark = pytest.mark.django_db

URL = reverse("registry:list")


def names(client, **params) -> list[str]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return [space.space_name for space in response.context["page"].object_list]


@pytest.fixture
def spaces(db):
    """Three entries besides the 17 of 2016, differing in one respect each."""
    return {
        "gz": FiledSpaceFactory(
            space_name="广州嵌入式软件专业化众创空间",
            host_entity_name="广州甲集团有限公司",
            operator_name="广州甲运营有限公司",
            city_code="440100",
            field="1.1.2",
        ),
        "nj": FiledSpaceFactory(
            space_name="南京生物医药专业化众创空间",
            host_entity_name="南京乙大学",
            operator_name="南京乙科技服务有限公司",
            city_code="320100",
            field="2.1.1",
            batch="第三批",
            batch_en="3rd batch",
            year=2019,
        ),
        "hn": FiledSpaceFactory(
            provincial=True,
            space_name="长沙创客众创空间",
            host_entity_name="",
            operator_name="长沙丙孵化器有限公司",
            city_code="430100",
            field="8.1.2",
            year=2016,
            batch="2016年度第二批",
            batch_en="Second batch of 2016",
        ),
    }


def test_it_needs_no_login_and_shows_the_2016_list(client, spaces):
    page = client.get(URL).content.decode()
    assert "智慧家庭国家专业化众创空间" in page
    assert "软控股份有限公司、橡胶谷集团有限公司" in page
    assert "国科发高〔2016〕231号" in page
    assert "广州嵌入式软件专业化众创空间" in page


def test_the_main_navigation_links_to_the_list(client, db):
    page = client.get(reverse("front:home")).content.decode()
    assert f'href="{URL}"' in page and "备案名单" in page


def test_one_box_finds_a_space_by_its_name_host_entity_or_operator(client, spaces):
    assert names(client, q="嵌入式软件") == ["广州嵌入式软件专业化众创空间"]
    assert names(client, q="南京乙大学") == ["南京生物医药专业化众创空间"]
    assert names(client, q="丙孵化器") == ["长沙创客众创空间"]
    assert names(client, q="橡胶谷") == ["化工橡胶国家专业化众创空间"]
    assert names(client, q="  ") == names(client)
    assert names(client, q="没有这个名字") == []


def test_filters_by_province(client, spaces):
    jiangsu = spaces["nj"].province_id
    assert names(client, province=jiangsu) == ["南京生物医药专业化众创空间"]


def test_filters_by_year_and_batch(client, spaces):
    assert names(client, year=2019) == ["南京生物医药专业化众创空间"]
    in_2016 = names(client, year=2016)
    assert len(in_2016) == 18 and "长沙创客众创空间" in in_2016
    assert names(client, batch="2016年度第二批") == ["长沙创客众创空间"]
    assert len(names(client, year=2016, batch="首批")) == 17


def test_filters_by_a_first_level_field_or_a_leaf_code(client, spaces):
    assert names(client, field="1") == ["广州嵌入式软件专业化众创空间"]
    assert names(client, field="1.1.2") == ["广州嵌入式软件专业化众创空间"]
    assert names(client, field="8") == ["长沙创客众创空间"]
    assert names(client, field="1.1.1") == []
    page = client.get(URL, {"field": "1.1.2"}).content.decode()
    # The leaf asked for (say, from an entry's page) is offered as the selected choice.
    assert '<option value="1.1.2" selected>1.1.2 电子信息 / 软件 / 嵌入式软件</option>' in page


def test_filters_by_host_entity_kind_and_level(client, spaces):
    assert names(client, host="海尔") == ["智慧家庭国家专业化众创空间"]
    assert names(client, track_kind=TrackKind.MAKER_SPACE) == ["长沙创客众创空间"]
    assert names(client, level=Level.PROVINCIAL) == ["长沙创客众创空间"]
    national = names(client, level=Level.NATIONAL)
    assert len(national) == 19 and "长沙创客众创空间" not in national


def test_filters_combine(client, spaces):
    assert names(client, level=Level.NATIONAL, year=2016, q="光电") == [
        "光电子国家专业化众创空间",
        "光电显示国家专业化众创空间",
    ]


def test_an_invalid_filter_is_shown_and_left_out(client, spaces):
    response = client.get(URL, {"year": "1999", "q": "嵌入式"})
    assert response.status_code == 200
    assert response.context["form"].errors["year"]
    assert [s.space_name for s in response.context["page"]] == ["广州嵌入式软件专业化众创空间"]


def test_an_entry_filed_in_a_rehearsal_is_marked_as_such(client, spaces):
    rehearsal = FiledSpaceFactory(rehearsal=True, space_name="演练中备案的众创空间")
    listing = client.get(URL, {"q": "演练中备案"}).content.decode()
    assert "演练中备案的众创空间" in listing
    assert 'class="badge badge-rehearsal"' in listing
    assert 'class="badge badge-rehearsal"' not in client.get(URL, {"q": "嵌入式"}).content.decode()
    detail = client.get(reverse("registry:detail", args=[rehearsal.pk])).content.decode()
    assert 'class="badge badge-rehearsal"' in detail


def test_it_is_ordered_by_level_year_batch_and_position(client, spaces):
    FiledSpaceFactory(space_name="二〇二〇第二批空间", batch="第二批", batch_en="2nd batch")
    listed = names(client)
    assert listed[:3] == [
        "二〇二〇第二批空间",  # national 2020, 第二批 before 第四批
        "广州嵌入式软件专业化众创空间",  # national 2020 第四批
        "南京生物医药专业化众创空间",  # national 2019
    ]
    assert listed[3:20] == list(
        FiledSpace.objects.filter(decision_document="国科发高〔2016〕231号")
        .order_by("position")
        .values_list("space_name", flat=True)
    )
    assert listed[-1] == "长沙创客众创空间"  # provincial after every national entry


def test_it_shows_fifty_a_page_and_the_next_page_keeps_the_filters(client, db):
    FiledSpaceFactory.create_batch(60, year=2021, batch="第五批", batch_en="5th batch")
    first = client.get(URL, {"year": 2021})
    assert len(first.context["page"].object_list) == 50
    body = first.content.decode()
    assert "?year=2021&amp;page=2" in body
    second = client.get(URL, {"year": 2021, "page": 2})
    assert len(second.context["page"].object_list) == 10


def test_the_detail_page_shows_the_public_facts(client, spaces):
    space = spaces["gz"]
    page = client.get(reverse("registry:detail", args=[space.pk])).content.decode()
    for text in [
        "广州嵌入式软件专业化众创空间",
        "广州甲集团有限公司",
        "广州甲运营有限公司",
        "广东省 广州市",
        "1.1.2",
        "嵌入式软件",
        "专业化众创空间",
        "国家级",
        "第四批",
        "科学技术部",
        "待公布",  # no document number yet
    ]:
        assert text in page, text


def test_the_detail_page_of_an_entry_of_2016(client, db):
    entry = FiledSpace.objects.get(decision_document="国科发高〔2016〕231号", position=11)
    page = client.get(reverse("registry:detail", args=[entry.pk])).content.decode()
    assert "软控股份有限公司<br>橡胶谷集团有限公司" in page
    assert "国科发高〔2016〕231号" in page
    assert "2016-07-29" in page


def test_an_unknown_entry_is_not_found(client, db):
    assert client.get(reverse("registry:detail", args=[999999])).status_code == 404
