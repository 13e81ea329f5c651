"""The definition of 湖南省科学技术厅《关于开展众创空间备案工作的通知》(2016年4月8日), the second
batch of 2016: the basic-information table of annex 1 with its character limits, the nine
evidence items of annex 2, the 13 columns of the summary table of annex 3, and the route
市州科技局 / 高新区管委会 → 省生产力促进中心 → 科技部火炬中心."""

from datetime import date, datetime
from functools import partial

import pytest

from filing.calls.loading import check_file, load_paths
from filing.calls.models import Call
from filing.calls.schema import SHANGHAI
from filing.calls.tests.definitions import CALLS, rule, shanghai_end_of
from filing.calls.tests.definitions import outcome as _outcome
from filing.lib.expressions import evaluate

TODAY = date(2016, 4, 14)
outcome = partial(_outcome, today=TODAY)


@pytest.fixture(scope="module")
def d():
    return check_file(CALLS / "hunan-2016-2.yaml").definition


@pytest.fixture(scope="module")
def fields(d):
    return {f.key: f for f in d.all_fields()}


# ----- the call ------------------------------------------------------------------------------


def test_it_is_the_second_batch_of_2016_published_on_8_april_without_a_number(d):
    assert d.code == "hunan-2016-2"
    assert d.issuer == "hn"
    assert d.year == 2016
    assert d.batch.zh == "2016年度第二批"
    assert d.published_on == date(2016, 4, 8)
    assert d.document_number is None
    assert d.title.zh == "关于开展众创空间备案工作的通知"
    assert [(t.key, t.kind) for t in d.tracks] == [("maker_space", "maker_space")]


def test_applicants_have_no_date_so_the_recommenders_14_april_closes_submissions(d):
    assert d.submission.deadline is None
    assert d.first_deadline == shanghai_end_of(date(2016, 4, 14))


def test_cities_or_high_tech_zones_recommend_to_the_productivity_center_by_14_april(d):
    city, receiving, torch = d.route
    assert (city.key, city.level, city.alternatives) == ("city", "city", ["zone"])
    assert city.deadline == shanghai_end_of(date(2016, 4, 14))
    assert city.tasks == [
        "formal_review",
        "rank",
        "recommendation_letter",
        "summary_table",
        "paper_copies",
    ]
    assert "按顺序装订成册一式二份" in city.note.zh
    assert "国家高新区内的众创空间向高新区管委会申请" in city.title.zh
    assert (receiving.level, receiving.authority) == ("receiving_unit", "hn-productivity-center")
    assert receiving.tasks == ["formal_review", "rank", "recommendation_letter"]
    assert "择优向科技部推荐" in receiving.note.zh
    assert (torch.key, torch.level, torch.authority) == ("torch", "national_unit", "most-torch")
    assert torch.decides_filing is True


def test_spaces_of_the_first_batch_are_told_they_need_not_submit_again(d):
    remark = "2016年度首批众创空间备案（2016年1月）已经报送材料的众创空间不需要重复报送"
    assert remark in d.route[0].note.zh
    assert remark in d.notice.text
    assert rule(d, "not_in_first_batch").severity == "warning"
    assert outcome(d, "not_in_first_batch", submitted_in_first_batch=True) is False
    assert outcome(d, "not_in_first_batch", submitted_in_first_batch=False) is True
    assert outcome(d, "not_in_first_batch", submitted_in_first_batch=None) is None


def test_the_contacts_are_at_the_productivity_center_and_the_high_tech_division(d):
    assert [(c.name, c.unit) for c in d.contacts] == [
        ("李滢", "湖南省生产力促进中心"),
        ("李杰敏", "湖南省科学技术厅高新处"),
    ]
    for contact in d.contacts:
        assert contact.phone == "0731-88988998、0731-88988745"
        assert contact.email == "156878309@qq.com"


# ----- 附件1 ---------------------------------------------------------------------------------


def test_the_basic_information_table_has_every_field_of_annex_1(d, fields):
    basic = next(s for s in d.sections if s.key == "basic_info")
    assert [f.label.zh for f in basic.fields] == [
        "众创空间名称",
        "运营机构名称",
        "地址",
        "机构性质",
        "成立时间",
        "场地面积",
        "组织活动次数",
        "入驻创业团队和企业数量",
        "负责人姓名",
        "负责人手机",
        "负责人电子邮件",
        "负责人传真",
        "联系人姓名",
        "联系人手机",
        "联系人电子邮件",
        "联系人传真",
    ]
    assert [c.label.zh for c in fields["operator_nature"].choices] == [
        "事业单位",
        "国有企业",
        "民营企业",
        "其他",
    ]
    assert fields["total_area"].unit == "m2"
    assert fields["resident_total"].type == "integer"


def test_the_seven_boxes_keep_their_limits_of_200_500_1000_500_500_500_800(d):
    construction = next(s for s in d.sections if s.key == "construction")
    assert construction.title.zh.startswith("众创空间建设情况")
    assert [(f.label.zh, f.max_chars) for f in construction.fields] == [
        ("主要负责人简介（限200字）", 200),
        ("众创空间定位、特色和理念（限500字）", 500),
        ("服务模式和内容（含导师、培训、路演、沙龙、大赛、资源对接等）（限1000字）", 1000),
        ("场地和硬件设施情况（限500字）", 500),
        ("投融资服务情况（限500字）", 500),
        ("成功孵化案例（限500字）", 500),
        ("下一阶段发展规划（限800字）", 800),
    ]
    assert all(f.type == "textarea" and f.required for f in construction.fields)


def test_the_summary_tables_yes_with_name_questions_are_asked_of_the_applicant(fields):
    assert fields["in_national_hightech_zone"].type == "yes_with_name"
    assert (
        fields["in_national_hightech_zone"].label.zh == "是否在国家高新区（请注明所在高新区名称）"
    )
    assert fields["in_national_incubator_or_university_park"].type == "yes_with_name"
    assert fields["contact_phone"].label.zh == "办公电话"


def test_the_recommenders_opinion_is_not_an_applicant_field(fields):
    assert not any("推荐单位意见" in f.label.zh for f in fields.values())


# ----- 附件2 ---------------------------------------------------------------------------------


def test_it_has_the_nine_evidence_items_of_annex_2_word_for_word(d):
    assert [(a.number, a.label.zh) for a in d.attachments] == [
        ("1", "众创空间运营主体法人证书副本或营业执照副本、组织机构代码证副本"),
        ("2", "设立天使投资（种子）资金（基金）的相关证明文件"),
        ("3", "产权证明或房屋租赁协议"),
        ("4", "众创空间管理机构设置与职能的相关文件"),
        ("5", "入孵项目（或企业）条件及退出办法的相关文件"),
        (
            "6",
            "入驻创业团队和企业名单（包括：名称、进驻时间、注册资金、技术领域等），以及与其签署的服务协议；"
            "已转化的创业企业应提供加盖各公司印章的营业执照复印件",
        ),
        ("7", "管理团队人员毕业证书复印件；培训证书、资格证书等其他能够证明其培训经历的文件"),
        ("8", "创业导师聘书，服务协议和服务活动记录等"),
        (
            "9",
            "举办的各类创新创业活动情况，每场活动附1张活动通知或截图、1张签到单复印件和2张活动图片",
        ),
    ]


def test_item_6_is_a_roster_of_residents_with_their_service_agreements(d):
    residents = next(r for r in d.rosters if r.key == "residents")
    assert residents.count_field == "resident_total"
    labels = [c.label.zh for c in residents.columns]
    for label in ["名称", "进驻时间", "注册资金", "技术领域"]:
        assert label in labels
    evidence = {e.key: e for e in residents.evidence}
    assert evidence["agreement"].label.zh == "服务协议" and evidence["agreement"].required
    licence = evidence["licence"].required_if
    assert evaluate(licence, {"resident_kind": "company"}, today=TODAY).value is True
    assert evaluate(licence, {"resident_kind": "team"}, today=TODAY).value is False


def test_items_8_and_9_are_rosters_of_mentors_and_activities_with_their_files(d):
    rosters = {r.key: r for r in d.rosters}
    assert [e.label.zh for e in rosters["mentors"].evidence] == [
        "创业导师聘书",
        "服务协议",
        "服务活动记录",
    ]
    assert rosters["activities"].count_field == "activity_count"
    assert [(e.label.zh, e.required) for e in rosters["activities"].evidence] == [
        ("1张活动通知或截图", True),
        ("1张签到单复印件", True),
        ("2张活动图片", True),
    ]


# ----- eligibility and checklist -------------------------------------------------------------


def test_the_operator_must_be_registered_in_hunan(d):
    assert outcome(d, "registered_in_hunan", organisation_province="湖南省") is True
    assert outcome(d, "registered_in_hunan", organisation_province="湖北省") is False
    assert outcome(d, "registered_in_hunan", organisation_province=None) is None


def test_half_a_year_to_the_day_passes_and_a_day_less_fails(d):
    assert outcome(d, "established_half_year", established_on=date(2015, 10, 14)) is True
    assert outcome(d, "established_half_year", established_on=date(2015, 10, 15)) is False
    assert outcome(d, "established_half_year", established_on=None) is None
    # the end of a month: 31 August + 6 months is 29 February 2016
    assert (
        outcome(
            d, "established_half_year", today=date(2016, 2, 29), established_on=date(2015, 8, 31)
        )
        is True
    )
    assert (
        outcome(
            d, "established_half_year", today=date(2016, 2, 28), established_on=date(2015, 8, 31)
        )
        is False
    )


def test_the_nine_basic_conditions_are_checklist_items_word_for_word(d):
    items = {c.key: c for c in d.review_checklist}
    conditions = [items[f"condition_{n}"] for n in range(1, 10)]
    assert [c.source for c in conditions] == [f"一、基本条件{n}" for n in range(1, 10)]
    assert conditions[0].text.zh == "以服务科技创新创业为宗旨，具有明确的发展方向。"
    assert conditions[2].text.zh == "众创空间成立时间在半年以上。"
    assert conditions[8].text.zh == "已入驻与其服务功能和能力相匹配的创客、创业团队。"
    for c in conditions:
        assert c.text.zh in d.notice.text
        assert c.levels == []
    assert items["materials_authentic"].levels == ["city"]
    assert items["priority_recommendation"].levels == ["city", "receiving_unit"]


# ----- 附件3 ---------------------------------------------------------------------------------


def test_the_summary_table_has_exactly_the_13_columns_of_annex_3_in_order(d):
    table = d.summary_table
    assert table.title.zh == "申请备案的众创空间信息汇总表"
    assert table.level == "city"
    assert [c.label.zh for c in table.columns] == [
        "众创空间名称",
        "运营管理主体",
        "地址",
        "成立时间",
        "机构性质（事业、国有企业、民营企业等）",
        "负责人",
        "联系人",
        "办公电话",
        "手机",
        "传真",
        "电子邮件",
        "是否在国家高新区（请注明所在高新区名称）",
        "是否在国家级科技企业孵化器或大学科技园（请注明所在机构名称）",
    ]
    assert [c.value for c in table.columns] == [
        "space_name",
        "operator_name",
        "address",
        "established_on",
        "operator_nature",
        "leader_name",
        "contact_name",
        "contact_phone",
        "contact_mobile",
        "fax",
        "contact_email",
        "in_national_hightech_zone",
        "in_national_incubator_or_university_park",
    ]
    assert "rank" not in [c.value for c in table.columns]


@pytest.mark.django_db
def test_it_loads_with_the_receiving_unit_and_the_torch_center():
    load_paths([CALLS / "hunan-2016-2.yaml"])
    call = Call.objects.get(code="hunan-2016-2")
    assert call.issuer.code == "hn"
    assert call.submission_deadline == shanghai_end_of(date(2016, 4, 14))
    assert call.opens_at == datetime(2016, 4, 8, tzinfo=SHANGHAI)


def test_each_activity_carries_two_photos(d):
    activities = next(r for r in d.rosters if r.key == "activities")
    photos = next(e for e in activities.evidence if e.key == "photos")
    assert photos.min_files == 2
