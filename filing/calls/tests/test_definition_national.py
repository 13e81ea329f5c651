"""The definition of 科技部办公厅 国科办区〔2020〕54号, the 4th batch of national professional maker
space filing, checked against the notice and the guideline it applies (国科发高〔2016〕231号)."""

from datetime import date, datetime

import pytest

from filing.calls.loading import check_file, load_paths
from filing.calls.models import Call
from filing.calls.schema import SHANGHAI
from filing.calls.tests.definitions import CALLS
from filing.lib.expressions import evaluate

TODAY = date(2020, 8, 1)


@pytest.fixture(scope="module")
def d():
    return check_file(CALLS / "national-2020-4th.yaml").definition


def test_it_is_the_ministrys_fourth_batch_issued_on_19_june_2020(d):
    assert d.code == "national-2020-4th"
    assert d.issuer == "most"
    assert d.document_number == "国科办区〔2020〕54号"
    assert d.published_on == date(2020, 6, 19)
    assert d.batch.zh == "第四批"
    assert d.feeds is None


def test_it_has_one_professional_track(d):
    assert [(t.key, t.kind) for t in d.tracks] == [("professional", "professional_maker_space")]


def test_provinces_recommend_by_31_august_and_the_ministry_files(d):
    province, ministry = d.route
    assert (province.key, province.level) == ("province", "province")
    assert province.deadline == datetime(2020, 8, 31, 23, 59, 59, tzinfo=SHANGHAI)
    assert province.tasks == [
        "formal_review",
        "rank",
        "recommendation_letter",
        "electronic_materials",
    ]
    assert "推荐名单和备案材料函送科技部成果与区域司" in province.note.zh
    assert (ministry.level, ministry.decides_filing) == ("ministry", True)
    assert d.submission.deadline is None
    assert d.first_deadline == province.deadline


def test_the_contacts_are_those_of_the_notice(d):
    (contact,) = d.contacts
    assert contact.unit == "科技部成果与区域司"
    assert contact.name == "曹煜中、雷洋"
    assert contact.phone == "010-58884274、58884276"
    assert contact.email == "kjb58881560@163.com"


def test_the_notice_text_is_the_54_text(d):
    assert "请于8月31日前将推荐名单和备案材料" in d.notice.text
    assert "kjb58881560@163.com" in d.notice.text
    assert "2020年6月19日印发" in d.notice.text


def test_the_report_follows_the_guidelines_outline(d):
    titles = [s.title.zh for s in d.sections]
    assert titles[1:] == [
        "一、专业化众创空间介绍",
        "二、取得成效",
        "三、发展目标和重点任务",
        "四、组织与保障",
    ]
    labels = {f.key: f.label.zh for f in d.all_fields()}
    assert labels["intro_host_entity"] == "1. 建设主体基本情况"
    assert labels["intro_status"] == "2. 专业化众创空间现状"
    assert labels["results_overall"] == "1. 总体成效"
    assert labels["results_cases"] == "2. 3-5个成功案例"


def test_the_basic_section_names_the_space_its_operator_host_and_field(d):
    fields = {f.key: f for f in d.sections[0].fields}
    for key in (
        "space_name",
        "operator_name",
        "host_entity_name",
        "professional_field",
        "contact_name",
    ):
        assert fields[key].required, key
    assert fields["professional_field"].type == "high_tech_field"
    assert fields["operator_name"].prefill == "organisation.name"
    assert fields["host_entity_name"].prefill == "organisation.host_entity_name"


def test_the_checklist_has_the_seven_basic_conditions_verbatim(d):
    conditions = [c for c in d.review_checklist if c.key.startswith("condition_")]
    assert len(conditions) == 7
    assert [c.source for c in conditions] == [
        f"国科发高〔2016〕231号 三、基本条件 {n}是" for n in "一二三四五六七"
    ]
    assert (
        conditions[0].text.zh
        == "以服务科技型创新创业为宗旨，能够紧密对接实体经济，聚焦明确的产业细分领域。"
    )
    assert (
        conditions[4].text.zh
        == "具有创新导师、创业导师服务能力。由专业人士提供技术创新辅导、创业辅导、创业培训。"
    )
    assert conditions[5].text.zh == (
        "具有创业投资基金或创新基金，或与天使投资、创投机构等合作设立股权投资基金，"
        "提供创业领域投融资服务，技术创新金融支持服务。"
    )
    assert conditions[6].text.zh.endswith(
        "并具备完善的运营管理制度，有清晰的可持续运营机制和管理模式。"
    )
    assert all(c.text.en for c in conditions)


def test_the_checklist_adds_the_four_features(d):
    features = [c for c in d.review_checklist if c.key.startswith("feature_")]
    assert [c.text.zh.split("。")[0] for c in features] == [
        "拥有创新源头",
        "资源共享基础好、水平高",
        "产业整合能力强",
        "孵化服务质量高",
    ]


def test_the_field_rule_waits_for_a_field_and_passes_once_chosen(d):
    (rule,) = d.eligibility
    assert evaluate(rule.expression, {"professional_field": ""}, today=TODAY).missing == [
        "professional_field"
    ]
    assert evaluate(rule.expression, {"professional_field": "1.1.2"}, today=TODAY).value is True


def test_the_recommendation_list_has_the_minimum_columns(d):
    table = d.summary_table
    assert table.level == "province"
    assert [c.label.zh for c in table.columns] == [
        "序号",
        "专业化众创空间名称",
        "运营机构",
        "依托主体",
        "所在省市",
        "专业领域",
        "联系人",
        "联系电话",
    ]
    values = {c.key: c.value for c in table.columns}
    assert values["rank"] == "rank"
    assert values["professional_field"] == "field_path"
    region = evaluate(
        values["region"],
        {"organisation_province": "广东省", "organisation_city": "深圳市"},
        today=TODAY,
    )
    assert region.value == "广东省深圳市"


@pytest.mark.django_db
def test_it_loads_with_the_provincial_rounds_that_feed_it():
    load_paths(
        [
            CALLS / "national-2020-4th.yaml",
            CALLS / "guangdong-2020.yaml",
            CALLS / "jiangsu-2020.yaml",
        ]
    )
    national = Call.objects.get(code="national-2020-4th")
    assert national.issuer.code == "most"
    assert sorted(Call.objects.filter(feeds=national).values_list("code", flat=True)) == [
        "guangdong-2020",
        "jiangsu-2020",
    ]
