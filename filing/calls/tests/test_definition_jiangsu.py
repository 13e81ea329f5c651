"""The definition of 江苏省科学技术厅 苏科高发〔2020〕174号, the Jiangsu round of the 4th batch of
national professional maker space filing, checked against the notice and its annexes 2 to 5."""

import re
from datetime import date

import pytest

from filing.calls.loading import check_file, load_paths
from filing.calls.models import Call
from filing.calls.tests.definitions import CALLS, rule, shanghai_end_of
from filing.lib.expressions import evaluate

TODAY = date(2020, 7, 20)


@pytest.fixture(scope="module")
def d():
    return check_file(CALLS / "jiangsu-2020.yaml").definition


@pytest.fixture(scope="module")
def fields(d):
    return {f.key: f for f in d.all_fields()}


def commitment(d, key):
    return next(c for c in d.commitments if c.key == key)


def test_it_is_the_jiangsu_round_issued_on_7_july_feeding_the_national_call(d):
    assert d.code == "jiangsu-2020"
    assert d.issuer == "js"
    assert d.document_number == "苏科高发〔2020〕174号"
    assert d.published_on == date(2020, 7, 7)
    assert d.feeds == "national-2020-4th"


def test_applicants_have_no_date_of_their_own_so_the_citys_date_closes_submissions(d):
    assert d.submission.deadline is None
    assert d.first_deadline == shanghai_end_of(date(2020, 7, 31))


def test_cities_recommend_with_a_letter_and_their_own_commitment_by_31_july(d):
    city, receiving, ministry = d.route
    assert city.level == "city"
    assert city.deadline == shanghai_end_of(date(2020, 7, 31))
    assert city.tasks == [
        "formal_review",
        "rank",
        "recommendation_letter",
        "supervisor_commitment",
        "electronic_materials",
        "paper_copies",
    ]
    assert "纸质一式两份及电子档" in city.note.zh


def test_the_startup_center_receives_for_the_province(d):
    _, receiving, ministry = d.route
    assert receiving.level == "receiving_unit"
    assert receiving.authority == "js-startup-center"
    assert receiving.deadline == shanghai_end_of(date(2020, 8, 31))
    assert ministry.level == "ministry"
    assert ministry.decides_filing


def test_the_contacts_are_those_of_the_notice(d):
    first, second = d.contacts
    assert (first.unit, first.name, first.phone) == (
        "江苏省科学技术厅高新技术处",
        "张迪",
        "025-83379768",
    )
    assert (second.unit, second.name, second.phone) == (
        "江苏省高新技术创业服务中心",
        "康亚飞",
        "025-83232116",
    )
    assert second.email == "jscxcybgs@163.com"
    assert second.address == "南京市广州路37号江苏科技大厦2113室"


def test_the_naming_pattern_accepts_a_professional_name(fields):
    space_name = fields["space_name"]
    assert re.fullmatch(space_name.pattern, "智能制造专业化众创空间")
    assert not re.fullmatch(space_name.pattern, "智能制造众创空间")
    assert not re.fullmatch(space_name.pattern, "专业化众创空间")
    assert "XXX专业化众创空间" in space_name.pattern_message.zh
    assert "XXX专业化众创空间" in space_name.pattern_message.en


def test_the_naming_rule_refuses_a_plain_maker_space_name(d):
    r = rule(d, "name_pattern")
    assert r.source == "苏科高发〔2020〕174号 二"
    assert (
        evaluate(r.expression, {"space_name": "智能制造专业化众创空间"}, today=TODAY).value is True
    )
    assert evaluate(r.expression, {"space_name": "智能制造众创空间"}, today=TODAY).value is False
    assert evaluate(r.expression, {"space_name": ""}, today=TODAY).missing == ["space_name"]


def test_a_space_must_be_filed_or_proposed_at_the_provincial_level(d, fields):
    status = fields["provincial_filing_status"]
    assert [c.label.zh for c in status.choices] == [
        "已纳入省级众创空间备案管理",
        "拟推荐申请省级众创空间备案",
        "均不是",
    ]
    expr = rule(d, "provincial_filing").expression
    assert evaluate(expr, {"provincial_filing_status": "filed"}, today=TODAY).value is True
    assert evaluate(expr, {"provincial_filing_status": "proposed"}, today=TODAY).value is True
    assert evaluate(expr, {"provincial_filing_status": "neither"}, today=TODAY).value is False
    assert not evaluate(expr, {"provincial_filing_status": None}, today=TODAY).decided


def test_every_cell_of_the_basic_information_table_is_a_field(d):
    labels = [f.label.zh for f in d.sections[0].fields]
    assert labels == [
        "众创空间名称",
        "成立时间",
        "运营主体名称（盖章）",
        "运营主体性质",
        "法人代表",
        "联系电话",
        "负责人",
        "联系手机（负责人）",
        "联系人",
        "联系手机（联系人）",
        "单位地址",
        "Email",
        "是否依托或由龙头骨干企业建立",
        "是否依托或由高校建立",
        "是否依托或由科研院所建立",
        "是否依托或由新型研发机构建立",
        "主要专业方向（如互联网、新材料、生物医药、新能源等）",
        "专业领域",
        "管理团队人员总数",
        "其中大专以上人数",
        "创业导师数",
        "自主支配场地建筑面积（平方米）",
        "公共办公与服务场地面积（平方米）",
        "天使投资（种子）基金（资金）规模（万元）",
        "入驻项目数",
        "入驻企业数",
        "举办创新创业活动次数",
        "是否建有线上服务平台",
        "是否建有公共技术服务平台",
        "管理制度",
    ]


def test_the_operator_nature_splits_enterprises_into_state_owned_and_private(fields):
    nature = fields["operator_nature"]
    assert [c.label.zh for c in nature.choices] == [
        "事业单位",
        "国有企业",
        "民营企业",
        "投资机构",
        "高校",
        "其它社会组织",
    ]
    assert nature.prefill == "organisation.nature"


def test_host_and_platform_questions_take_a_name_when_answered_yes(fields):
    for key in (
        "built_on_leading_enterprise",
        "built_on_university",
        "built_on_research_institute",
        "built_on_new_rd_institution",
        "has_online_platform",
        "has_public_tech_platform",
    ):
        assert fields[key].type == "yes_with_name", key
        assert fields[key].help.zh == "是（填写详细名称）／否"


def test_the_management_rules_are_three_boxes_and_other(fields):
    rules = fields["management_rules"]
    assert rules.type == "multichoice"
    assert [c.label.zh for c in rules.choices] == ["入驻标准", "退出条件", "在孵项目或企业数据库"]
    assert rules.other_choice


def test_the_fund_is_in_ten_thousand_yuan(fields):
    assert fields["fund_size"].unit == "wan_yuan"
    assert fields["own_area"].unit == "m2"
    assert fields["public_area"].unit == "m2"


def test_the_professional_field_is_asked_for_the_national_list(fields):
    assert fields["professional_field"].type == "high_tech_field"
    assert fields["professional_field"].required


def test_the_report_follows_annex_3(d):
    assert [s.title.zh for s in d.sections[2:]] == [
        "一、专业化众创空间介绍",
        "二、取得成效",
        "三、发展目标和重点任务",
        "四、组织与保障",
    ]


def test_the_applicants_credit_commitment_is_annex_4_verbatim(d):
    c = commitment(d, "applicant")
    assert c.title.zh == "申报单位信用承诺书"
    assert c.by == "applicant"
    assert c.text.startswith(
        "本单位承诺所提供的国家专业化众创空间申报数据真实、准确，提供的申报资料规范、齐全，且不存在任何弄虚作假行为。"
    )
    assert c.text.splitlines()[1:] == [
        "1、取消推荐资格；",
        "2、作为失信单位记入不良科技信用记录，并报送至省公共信用信息平台，列入社会信用记录，接受相应处理；",
        "3、应当由本单位承担的其它相关法律责任等。",
    ]
    assert "运营主体法人（签字或盖章）" in c.signer.zh


def test_the_supervisors_credit_commitment_is_annex_5_signed_by_the_city(d):
    c = commitment(d, "supervisor")
    assert c.title.zh == "主管部门信用承诺书"
    assert (c.by, c.level) == ("level", "city")
    assert c.text.startswith(
        "按照相关要求，我们对该单位国家专业化众创空间申报材料进行了认真审查，现承诺如下："
    )
    assert "2、本主管部门在审查推荐过程中，无违规推荐、审查不严等失信行为；" in c.text
    assert "《江苏省科技计划项目相关责任主体信用管理办法》" in c.text
    assert c.text_en


def test_a_space_needs_a_mentor_and_a_zero_fund_is_a_warning(d):
    mentors = rule(d, "mentors_present").expression
    assert evaluate(mentors, {"mentor_count": 1}, today=TODAY).value is True
    assert evaluate(mentors, {"mentor_count": 0}, today=TODAY).value is False
    fund = rule(d, "fund_present")
    assert fund.severity == "warning"
    assert evaluate(fund.expression, {"fund_size": 0}, today=TODAY).value is False
    assert evaluate(fund.expression, {"fund_size": 0.01}, today=TODAY).value is True
    assert evaluate(fund.expression, {"fund_size": None}, today=TODAY).missing == ["fund_size"]


def test_college_staff_cannot_exceed_the_team(d):
    expr = rule(d, "staff_college_within_total").expression
    assert evaluate(expr, {"staff_college_count": 5, "staff_count": 5}, today=TODAY).value is True
    assert evaluate(expr, {"staff_college_count": 6, "staff_count": 5}, today=TODAY).value is False


def test_the_checklist_has_the_seven_conditions_and_the_integrity_rules(d):
    conditions = [c for c in d.review_checklist if c.key.startswith("condition_")]
    assert len(conditions) == 7
    assert conditions[1].text.zh.startswith("具备完善的专业化研究开发和产业化条件")
    integrity = next(c for c in d.review_checklist if c.key == "integrity_rules")
    assert "“六项承诺”和“八个严禁”" in integrity.text.zh
    assert integrity.source == "苏科高发〔2020〕174号 五"


def test_it_has_no_summary_table_rosters_or_attachments_because_the_notice_has_none(d):
    assert d.summary_table is None
    assert d.rosters == []
    assert d.attachments == []


@pytest.mark.django_db
def test_it_loads_after_the_national_call_it_feeds():
    load_paths([CALLS / "jiangsu-2020.yaml", CALLS / "national-2020-4th.yaml"])
    call = Call.objects.get(code="jiangsu-2020")
    assert call.feeds.code == "national-2020-4th"
    assert call.issuer.code == "js"
    assert call.submission_deadline == shanghai_end_of(date(2020, 7, 31))
