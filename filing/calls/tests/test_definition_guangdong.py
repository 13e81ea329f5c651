"""The definition of 广东省科学技术厅 粤科函高字〔2020〕394号, the Guangdong round of the 4th
batch of national professional maker space filing, checked against the notice and its annexes."""

from datetime import date

import pytest

from filing.calls.loading import check_file, load_paths
from filing.calls.models import Call
from filing.calls.tests.definitions import CALLS, rule, shanghai_end_of
from filing.lib.expressions import evaluate

TODAY = date(2020, 7, 20)


@pytest.fixture(scope="module")
def d():
    return check_file(CALLS / "guangdong-2020.yaml").definition


@pytest.fixture(scope="module")
def fields(d):
    return {f.key: f for f in d.all_fields()}


def section(d, key):
    return next(s for s in d.sections if s.key == key)


def roster(d, key):
    return next(r for r in d.rosters if r.key == key)


def test_it_is_the_guangdong_round_feeding_the_national_call(d):
    assert d.code == "guangdong-2020"
    assert d.issuer == "gd"
    assert d.document_number == "粤科函高字〔2020〕394号"
    assert d.feeds == "national-2020-4th"
    assert d.year == 2020
    assert d.batch.zh == "第四批"


def test_it_has_no_date_of_issue_because_the_notice_gives_none(d):
    assert d.published_on is None


def test_applicants_submit_by_27_july_in_three_paper_copies(d):
    assert d.submission.deadline == shanghai_end_of(date(2020, 7, 27))
    assert "一式3份" in d.submission.copies
    assert "刻录光盘" in d.submission.copies


def test_cities_check_on_site_and_send_the_summary_table_by_3_august(d):
    city, province, ministry = d.route
    assert city.level == "city"
    assert city.deadline == shanghai_end_of(date(2020, 8, 3))
    assert city.tasks == [
        "formal_review",
        "site_check",
        "rank",
        "summary_table",
        "electronic_materials",
        "paper_copies",
    ]
    assert "真实性、合规性进行审核，并实地核查" in city.note.zh
    assert province.level == "province"
    assert province.deadline == shanghai_end_of(date(2020, 8, 31))
    assert "recommendation_letter" in province.tasks
    assert ministry.decides_filing


def test_the_contacts_are_those_of_the_notice(d):
    (contact,) = d.contacts
    assert contact.name == "梁海锋、李传印"
    assert contact.phone == "020-83163286、020-83163875"
    assert contact.email == "skjt_fhyc@gd.gov.cn"
    assert contact.address == "广州市连新路171号科技信息大楼一楼业务办理大厅"
    assert contact.postcode == "510033"


def test_the_notice_lists_its_four_annexes(d):
    assert [a.title for a in d.notice.annexes] == [
        "国家专业化众创空间备案申报单位推荐汇总表",
        "国家专业化众创空间备案申报书",
        "《专业化众创空间建设工作指引》（国科发高〔2016〕231号）",
        "《科技部办公厅关于开展第四批国家专业化众创空间备案示范工作的通知》（国科办区〔2020〕54号）",
    ]
    assert "各申报单位于2020年7月27日前将申报材料报送至所在地的科技局（委）" in d.notice.text


def test_the_cover_has_the_six_lines_of_annex_2(d):
    assert [c.label for c in d.cover] == [
        "众创空间名称",
        "运营机构（盖章）",
        "依托主体",
        "所属地市",
        "联系人",
        "联系电话",
    ]
    keys = d.field_keys()
    assert all(c.value in keys for c in d.cover)
    assert section(d, "cover").fields[0].prefill == "organisation.city"


def test_every_cell_of_the_application_form_is_a_field(d):
    labels = [f.label.zh for f in section(d, "basic").fields]
    assert labels == [
        "众创空间名称",
        "运营机构名称",
        "注册时间",
        "依托主体名称",
        "众创空间地址",
        "专业领域",
        "机构性质（事业、国有企业、民营企业等）",
        "级别（选最高级别填写）",
        "认定时间",
        "法人代表",
        "联系人",
        "电子邮箱",
        "移动电话",
        "众创空间总面积(m²)",
        "入驻创业团队和企业使用场地面积(含公共服务场地面积)(m²)",
        "年度举办专业技术领域活动(场)",
        "入驻创业团队数量(个)",
        "其中细分产业领域从事研发、生产的入驻创业团队数量(个)",
        "细分产业领域入驻创业团队占总数的比例(%)",
        "入驻企业数量(个)",
        "其中细分产业领域从事研发、生产的入驻企业数量(个)",
        "细分产业领域入驻企业占总数的比例(%)",
        "专业领域年度新增注册企业数(个)",
        "创业导师数量(个)",
        "已申请专利或拥有有效知识产权的入驻团队(企业)数量(个)",
        "众创空间专业技术平台简介（200字以内）",
    ]


def test_the_platform_summary_is_limited_to_200_characters(fields):
    summary = fields["platform_summary"]
    assert summary.max_chars == 200
    assert summary.label.zh == "众创空间专业技术平台简介（200字以内）"


def test_the_level_offers_national_provincial_and_other(fields):
    level = fields["level"]
    assert [(c.value, c.label.zh) for c in level.choices] == [
        ("national", "国家级"),
        ("provincial", "省级"),
        ("other", "其他"),
    ]


def test_the_professional_field_is_refined_to_the_third_level(fields):
    field = fields["professional_field"]
    assert field.type == "high_tech_field"
    assert "三级目录" in field.help.zh


def test_the_sub_field_shares_are_computed_not_typed(fields):
    share = fields["team_share_in_field"]
    assert share.type == "computed"
    assert (
        evaluate(share.expression, {"team_count_in_field": 12, "team_count": 16}, today=TODAY).value
        == 75.0
    )
    assert (
        evaluate(share.expression, {"team_count_in_field": 0, "team_count": 0}, today=TODAY).value
        is None
    )
    company_share = fields["company_share_in_field"]
    assert (
        evaluate(
            company_share.expression, {"company_count_in_field": 1, "company_count": 3}, today=TODAY
        ).value
        == 33.33
    )


def test_the_report_follows_the_outline_of_annex_2(d):
    assert [s.title.zh for s in d.sections if s.key.startswith("report_")] == [
        "1.专业化众创空间介绍",
        "2.取得成效",
        "3.发展目标和重点任务",
        "4.组织与保障",
    ]


def test_it_has_the_eleven_numbered_evidence_items(d):
    assert [a.number for a in d.attachments] == [f"1.({n})" for n in range(1, 12)]
    labels = [a.label.zh for a in d.attachments]
    assert labels[0] == "运营机构法人营业执照、组织机构代码证复印件。"
    assert labels[1] == "广东科技企业孵化育成服务平台登记成功后生成的备案号复印件。"
    assert labels[7] == "开放式的互联网线上平台建设相关证明材料。"
    assert labels[9].startswith(
        "拥有创业投资基金或创新基金，或与天使投资、创投机构等合作设立股权投资基金的相关证明材料复印件"
    )
    assert labels[10] == (
        "创业导师的名单，工作机制和服务体系相关文件"
        "及开展技术创新辅导、创业辅导、创业培训相关证明材料。"
    )


def test_the_fund_proof_is_required_and_only_industry_academia_cooperation_is_optional(d):
    by_number = {a.number: a for a in d.attachments}
    assert by_number["1.(10)"].required
    assert [a.number for a in d.attachments if not a.required] == ["1.(9)"]


def test_the_team_roster_has_the_eight_columns_in_order(d):
    teams = roster(d, "teams")
    assert teams.count_field == "team_count"
    assert [c.label.zh for c in teams.columns] == [
        "名称",
        "专业领域",
        "负责人",
        "手机",
        "入驻时间",
        "是否已申请专利",
        "是否拥有有效知识产权",
        "是否获得投融资",
    ]
    assert [c.key for c in teams.columns] == [
        "name",
        "professional_field",
        "leader",
        "mobile",
        "entered_on",
        "has_patent_application",
        "has_valid_ip",
        "has_financing",
    ]


def test_a_team_row_carries_its_agreement_and_plan_and_ip_or_financing_proof_when_claimed(d):
    evidence = {e.key: e for e in roster(d, "teams").evidence}
    assert evidence["agreement"].label.zh == "入驻团队与众创空间签署的孵化服务协议或入驻协议复印件"
    assert evidence["agreement"].required
    assert evidence["business_plan"].label.zh == "入驻创业团队的商业计划书"
    assert evidence["ip_certificate"].required_if == "has_patent_application or has_valid_ip"
    assert evidence["financing_proof"].required_if == "has_financing"
    assert "银行流水或工商变更截屏" in evidence["financing_proof"].label.zh


def test_the_company_roster_adds_the_credit_code_and_the_licence(d):
    companies = roster(d, "companies")
    assert companies.count_field == "company_count"
    keys = [c.key for c in companies.columns]
    assert keys == ["name", "credit_code", *[c.key for c in roster(d, "teams").columns][1:]]
    assert companies.columns[1].type == "credit_code"
    evidence = {e.key: e for e in companies.evidence}
    assert evidence["licence"].label.zh == "入驻企业的营业执照复印件（加盖公章，不可复印）"
    assert evidence["licence"].required


def test_the_activity_table_asks_for_notice_sign_in_sheet_and_photos(d):
    activities = roster(d, "activities")
    assert [c.label.zh for c in activities.columns] == [
        "活动名称",
        "举办时间",
        "活动地点",
        "参加人数",
        "活动内容简述（重点突出活动针对专业化的创客及创业团队参与情况）",
    ]
    assert activities.count_field == "activity_count"
    evidence = [(e.label.zh, e.required) for e in activities.evidence]
    assert evidence == [
        ("活动通知或截图", True),
        ("签到表复印件", True),
        ("现场照片", True),
        ("会议纪要及相关新闻报道", False),
    ]


def test_the_applicant_undertakes_the_truth_of_what_it_fills_in(d):
    (commitment,) = d.commitments
    assert commitment.by == "applicant"
    assert commitment.title.zh == "填报单位承诺"
    assert commitment.text == "本单位填报内容属实，若填报失实和违反规定，愿承担全部责任。"
    assert "单位负责人（签章）" in commitment.signer.zh


def test_at_least_one_resident_must_work_in_the_sub_field(d):
    expr = rule(d, "residents_in_field").expression
    assert (
        evaluate(expr, {"team_count_in_field": 1, "company_count_in_field": 0}, today=TODAY).value
        is True
    )
    assert (
        evaluate(expr, {"team_count_in_field": 0, "company_count_in_field": 0}, today=TODAY).value
        is False
    )
    assert evaluate(
        expr, {"team_count_in_field": None, "company_count_in_field": 3}, today=TODAY
    ).missing == ["team_count_in_field"]


def test_a_space_needs_a_mentor(d):
    expr = rule(d, "mentors_present").expression
    assert evaluate(expr, {"mentor_count": 1}, today=TODAY).value is True
    assert evaluate(expr, {"mentor_count": 0}, today=TODAY).value is False
    assert not evaluate(expr, {"mentor_count": None}, today=TODAY).decided


def test_sub_field_counts_cannot_exceed_the_totals(d):
    expr = rule(d, "teams_in_field_within_total").expression
    assert evaluate(expr, {"team_count_in_field": 10, "team_count": 10}, today=TODAY).value is True
    assert evaluate(expr, {"team_count_in_field": 11, "team_count": 10}, today=TODAY).value is False
    area = rule(d, "resident_area_within_total").expression
    assert evaluate(area, {"resident_area": 800.0, "total_area": 800.0}, today=TODAY).value is True
    assert evaluate(area, {"resident_area": 800.5, "total_area": 800.0}, today=TODAY).value is False


def test_the_declared_ip_holders_are_compared_with_the_rosters(d):
    r = rule(d, "ip_holders_match_rosters")
    assert r.severity == "warning"
    teams = [
        {"has_patent_application": True, "has_valid_ip": False},
        {"has_patent_application": False, "has_valid_ip": False},
    ]
    companies = [{"has_patent_application": None, "has_valid_ip": True}]
    values = {"teams": teams, "companies": companies}
    assert evaluate(r.expression, {**values, "ip_holder_count": 2}, today=TODAY).value is True
    assert evaluate(r.expression, {**values, "ip_holder_count": 3}, today=TODAY).value is False
    assert evaluate(r.expression, {**values, "ip_holder_count": None}, today=TODAY).missing == [
        "ip_holder_count"
    ]


def test_the_checklist_has_the_seven_basic_conditions(d):
    conditions = [c for c in d.review_checklist if c.key.startswith("condition_")]
    assert len(conditions) == 7
    assert conditions[2].text.zh.startswith("具有开放式的互联网线上平台")
    assert conditions[3].text.zh == (
        "具有活跃的创新和创业群体，特别是已有专业化的创客及创业团队积极参与，初步形成了良好的创新创业生态。"
    )


def test_the_summary_table_has_the_site_check_column(d):
    table = d.summary_table
    assert table.level == "city"
    assert table.title.zh == "国家专业化众创空间备案申报单位推荐汇总表"
    columns = {c.label.zh: c for c in table.columns}
    assert columns["实地核查情况"].value == "site_check"
    assert "已核查或未核查" in columns["实地核查情况"].source
    assert columns["运营机构名称"].source == "附件1 注1"
    assert columns["专业领域"].value == "field_path"
    assert table.columns[0].value == "rank"


def test_the_summary_table_notes_forbid_added_columns(d):
    notes = d.summary_table.notes
    assert "3.表格不得自行添加；" in notes
    assert any("三级目录" in n for n in notes)
    assert not any("skjt_flyc" in n for n in notes)


@pytest.mark.django_db
def test_it_loads_after_the_national_call_it_feeds():
    load_paths([CALLS / "guangdong-2020.yaml", CALLS / "national-2020-4th.yaml"])
    call = Call.objects.get(code="guangdong-2020")
    assert call.feeds.code == "national-2020-4th"
    assert call.issuer.code == "gd"
    assert call.submission_deadline == shanghai_end_of(date(2020, 7, 27))
    assert call.final_deadline == shanghai_end_of(date(2020, 8, 31))
