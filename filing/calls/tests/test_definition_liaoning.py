"""The definition of 辽宁省科学技术厅《关于开展2021年度省级众创空间和专业化众创空间备案工作的通知》:
two tracks (省级众创空间, 省级专业化众创空间), the route 初审单位 → 省科技厅, and every
quantitative condition of 一（一）1-6 and 二（一）1-9 evaluated at its boundaries."""

from datetime import date
from functools import partial

import pytest

from filing.calls.loading import check_file, load_paths
from filing.calls.models import Call
from filing.calls.tests.definitions import CALLS, rule, shanghai_end_of
from filing.calls.tests.definitions import outcome as _outcome
from filing.lib.expressions import add_months, evaluate

TODAY = date(2021, 5, 14)
outcome = partial(_outcome, today=TODAY)


@pytest.fixture(scope="module")
def d():
    return check_file(CALLS / "liaoning-2021.yaml").definition


@pytest.fixture(scope="module")
def fields(d):
    return {f.key: f for f in d.all_fields()}


def visible(items, track):
    return [item for item in items if not item.tracks or track in item.tracks]


# ----- the call ------------------------------------------------------------------------------


def test_it_is_the_liaoning_2021_call_without_a_document_number_or_date(d):
    assert d.code == "liaoning-2021"
    assert d.issuer == "ln"
    assert d.year == 2021
    assert d.title.zh == "关于开展2021年度省级众创空间和专业化众创空间备案工作的通知"
    assert d.document_number is None
    assert d.published_on is None


def test_it_has_two_tracks_maker_space_and_professional_maker_space(d):
    assert [(t.key, t.title.zh, t.kind) for t in d.tracks] == [
        ("maker_space", "省级众创空间", "maker_space"),
        ("professional", "省级专业化众创空间", "professional_maker_space"),
    ]


def test_the_notice_text_reads_he_where_the_seed_says_and(d):
    text = d.notice.text
    assert " and " not in text
    assert "关于开展2021年度省级众创空间和专业化众创空间备案工作的通知" in text
    assert "各市和沈抚改革创新示范区科技局" in text
    assert "请于5月21日前将推荐函和汇总表报送至省科技厅成果转化与奖励处" in text
    assert [a.title for a in d.notice.annexes][-1] == "众创空间（含专业化）备案推荐汇总表"
    assert len(d.notice.annexes) == 7


def test_applicants_submit_by_14_may_and_first_level_reviewers_by_21_may(d):
    assert d.submission.deadline == shanghai_end_of(date(2021, 5, 14))
    city, province = d.route
    assert city.deadline == shanghai_end_of(date(2021, 5, 21))
    assert province.deadline is None


def test_the_first_level_reviews_checks_on_site_publicises_ranks_and_recommends(d):
    city, province = d.route
    assert (city.key, city.level, city.alternatives) == ("city", "city", ["zone"])
    assert city.tasks == [
        "formal_review",
        "site_check",
        "publicity",
        "rank",
        "recommendation_letter",
        "summary_table",
        "electronic_materials",
    ]
    assert "公示无异议后" in city.note.zh
    assert "按照排名先后顺序推荐" in city.note.zh
    assert (province.key, province.level, province.authority) == ("province", "province", "ln")
    assert province.decides_filing is True
    assert "成果转化与奖励处" in province.title.zh


def test_the_contacts_are_the_two_officials_of_the_division(d):
    assert [c.name for c in d.contacts] == ["王光辉", "王旭"]
    for contact in d.contacts:
        assert contact.unit == "辽宁省科学技术厅成果转化与奖励处"
        assert contact.email == "kjtcxyhzc@163.com"
        assert contact.address == "沈阳市和平区三好街24号"
        assert "024-23983139" in contact.phone
        assert "024-23983427" in contact.phone


# ----- forms ---------------------------------------------------------------------------------


def test_each_track_has_its_own_part_of_the_application_form(d):
    sections = {s.key: s for s in d.sections}
    assert sections["maker_space_indicators"].tracks == ["maker_space"]
    assert "附件1" in sections["maker_space_indicators"].title.zh
    assert sections["professional_indicators"].tracks == ["professional"]
    assert "附件4" in sections["professional_indicators"].title.zh
    assert sections["basic"].tracks == [] and sections["scale"].tracks == []
    assert "附件2" in sections["report"].title.zh and "附件5" in sections["report"].title.zh


def test_every_figure_a_condition_reads_is_a_typed_number(fields):
    expected = {
        "total_area": ("decimal", "m2"),
        "workstation_area": ("decimal", "m2"),
        "public_area": ("decimal", "m2"),
        "workstations": ("integer", "seats"),
        "team_count": ("integer", "count"),
        "company_count": ("integer", "count"),
        "new_companies": ("integer", "count"),
        "financed_count": ("integer", "count"),
        "typical_case_count": ("integer", "count"),
        "staff_count": ("integer", "persons"),
        "incubation_staff_count": ("integer", "persons"),
        "mentor_count": ("integer", "persons"),
        "activity_count": ("integer", "sessions"),
        "team_count_in_field": ("integer", "count"),
        "company_count_in_field": ("integer", "count"),
        "activity_count_in_field": ("integer", "sessions"),
        "fund_size": ("decimal", "wan_yuan"),
    }
    for key, (kind, unit) in expected.items():
        assert (fields[key].type, fields[key].unit) == (kind, unit), key
        assert fields[key].required, key
    assert fields["established_on"].type == "date"
    assert fields["resident_total"].type == "computed"
    assert fields["resident_total"].expression == "team_count + company_count"


def test_the_shares_are_computed_not_typed(fields):
    share = fields["service_area_share"]
    assert share.type == "computed" and share.unit == "percent"
    values = {"workstation_area": 300, "public_area": 75, "total_area": 500}
    assert evaluate(share.expression, values, today=TODAY).value == 75.0
    staff_share = fields["incubation_staff_share"]
    assert (
        evaluate(
            staff_share.expression, {"incubation_staff_count": 6, "staff_count": 10}, today=TODAY
        ).value
        == 60.0
    )


def test_the_professional_form_asks_for_host_field_fund_platform_and_facilities(fields):
    for key in [
        "built_on_leading_enterprise",
        "built_on_research_institute",
        "built_on_university",
        "has_online_or_offline_platform",
        "has_rd_facilities",
    ]:
        assert fields[key].type == "yes_with_name", key
    assert fields["professional_field"].type == "high_tech_field"
    assert (
        fields["management_rules"].type == "multichoice" and fields["management_rules"].other_choice
    )
    assert [c.label.zh for c in fields["management_rules"].choices] == [
        "入驻标准",
        "退出条件",
        "在孵项目或企业数据库",
    ]
    assert fields["fund_size"].label.zh == "创业投资基金、创新基金或合作设立股权投资基金规模"


def test_the_report_follows_the_four_part_outline_with_two_professional_parts(d):
    report = next(s for s in d.sections if s.key == "report")
    maker = [f.key for f in visible(report.fields, "maker_space")]
    professional = [f.key for f in visible(report.fields, "professional")]
    assert maker == [
        "intro_host_entity",
        "intro_status",
        "results_overall",
        "results_cases",
        "goals_and_tasks",
        "organisation_and_support",
    ]
    assert set(professional) - set(maker) == {"professional_services", "host_synergy"}
    assert all(f.type == "textarea" for f in report.fields)


def test_the_rosters_back_the_declared_counts(d):
    rosters = {r.key: r for r in d.rosters}
    assert {k: r.count_field for k, r in rosters.items()} == {
        "teams": "team_count",
        "companies": "company_count",
        "activities": "activity_count",
        "mentors": "mentor_count",
    }
    companies = {c.key: c for c in rosters["companies"].columns}
    assert companies["entered_on"].type == "date" and companies["entered_on"].required
    assert companies["credit_code"].type == "credit_code"
    assert companies["in_field"].tracks == ["professional"]
    evidence = {e.key: e for e in rosters["teams"].evidence}
    assert evidence["ip_certificate"].required_if == "has_patent_application or has_valid_ip"
    assert evidence["financing_proof"].required_if == "has_financing"
    assert [e.key for e in rosters["activities"].evidence] == [
        "activity_notice",
        "sign_in_sheet",
        "photos",
    ]


# ----- 附件3 / 附件6 -------------------------------------------------------------------------


def test_each_track_sees_one_evidence_list_numbered_without_gaps(d):
    maker = visible(d.attachments, "maker_space")
    professional = visible(d.attachments, "professional")
    assert [a.number for a in maker] == [str(n) for n in range(1, 12)]
    assert [a.number for a in professional] == [str(n) for n in range(1, 14)]
    labels = [a.label.zh for a in maker]
    assert labels[0].startswith("运营管理机构营业执照")
    assert "固定服务场地产权证明或房屋租赁合同" in labels
    assert any("基金" in a.label.zh for a in professional)
    assert not any("基金" in a.label.zh for a in maker)


def test_proof_of_financing_is_needed_only_when_financing_is_declared(d):
    proof = next(a for a in d.attachments if a.key == "financing_proof")
    assert proof.tracks == ["maker_space"]
    assert evaluate(proof.required_if, {"financed_count": 0}, today=TODAY).value is False
    assert evaluate(proof.required_if, {"financed_count": 2}, today=TODAY).value is True


def test_the_fund_proof_is_required_of_professional_spaces(d):
    proof = next(a for a in d.attachments if a.key == "fund_proof")
    assert proof.required and proof.tracks == ["professional"]


# ----- eligibility: maker_space ----------------------------------------------------------------


def test_the_rules_belong_to_their_tracks(d):
    for r in d.eligibility:
        if r.key.startswith("ms_"):
            assert r.tracks == ["maker_space"], r.key
        elif r.key.startswith("pro_"):
            assert r.tracks == ["professional"], r.key
        assert r.source and r.message.zh and r.message.en, r.key


def test_the_operator_must_be_registered_in_liaoning(d):
    assert outcome(d, "ms_registered_in_liaoning", organisation_province="辽宁省") is True
    assert outcome(d, "ms_registered_in_liaoning", organisation_province="吉林省") is False
    assert outcome(d, "ms_registered_in_liaoning", organisation_province="") is None
    assert rule(d, "pro_registered_in_liaoning").severity == "warning"


def test_operating_one_day_short_of_a_year_fails_and_exactly_a_year_passes(d):
    assert outcome(d, "ms_operating_one_year", established_on=date(2020, 5, 15)) is False
    assert outcome(d, "ms_operating_one_year", established_on=date(2020, 5, 14)) is True
    assert outcome(d, "ms_operating_one_year", established_on=None) is None


def test_499_square_metres_fail_and_500_pass(d):
    assert outcome(d, "ms_total_area", total_area=499) is False
    assert outcome(d, "ms_total_area", total_area=500) is True
    assert outcome(d, "ms_total_area", total_area=None) is None


def test_workstations_and_public_area_at_74_9_percent_fail_and_75_percent_pass(d):
    key = "ms_service_area_share"
    assert outcome(d, key, workstation_area=300, public_area=74.5, total_area=500) is False
    assert outcome(d, key, workstation_area=300, public_area=75, total_area=500) is True
    assert outcome(d, key, workstation_area=300, public_area=None, total_area=500) is None
    assert outcome(d, key, workstation_area=300, public_area=75, total_area=0) is None


def test_19_workstations_fail_and_20_pass(d):
    assert outcome(d, "ms_workstations", workstations=19) is False
    assert outcome(d, "ms_workstations", workstations=20) is True
    assert outcome(d, "ms_workstations", workstations=None) is None


def test_14_teams_and_companies_fail_and_15_pass(d):
    assert outcome(d, "ms_residents", team_count=10, company_count=4) is False
    assert outcome(d, "ms_residents", team_count=10, company_count=5) is True
    assert outcome(d, "ms_residents", team_count=10, company_count=None) is None


def test_a_company_resident_25_months_is_flagged_and_24_months_is_not(d):
    key = "ms_company_residence"
    assert rule(d, key).severity == "warning"  # “一般不超过24个月”
    young = {"name": "甲", "entered_on": date(2020, 1, 1)}
    at_24 = {"name": "乙", "entered_on": add_months(TODAY, -24)}
    at_24_and_a_day = {"name": "丙", "entered_on": date(2019, 5, 13)}
    at_25 = {"name": "丁", "entered_on": add_months(TODAY, -25)}
    assert outcome(d, key, companies=[young, at_24]) is True
    assert outcome(d, key, companies=[young, at_24_and_a_day]) is False
    assert outcome(d, key, companies=[young, at_25]) is False
    assert outcome(d, key, companies=[young, {"name": "戊", "entered_on": None}]) is None


def test_five_new_companies_or_two_financed_are_enough(d):
    key = "ms_new_or_financed"
    assert outcome(d, key, new_companies=4, financed_count=1) is False
    assert outcome(d, key, new_companies=5, financed_count=0) is True
    assert outcome(d, key, new_companies=0, financed_count=2) is True
    assert outcome(d, key, new_companies=5, financed_count=None) is None


def test_at_least_one_typical_case(d):
    assert outcome(d, "ms_typical_case", typical_case_count=0) is False
    assert outcome(d, "ms_typical_case", typical_case_count=1) is True


def test_incubation_staff_below_60_percent_fail_and_60_percent_pass(d):
    key = "ms_incubation_staff_share"
    assert outcome(d, key, incubation_staff_count=5, staff_count=10) is False
    assert outcome(d, key, incubation_staff_count=6, staff_count=10) is True
    assert outcome(d, key, incubation_staff_count=3, staff_count=5) is True
    assert outcome(d, key, incubation_staff_count=None, staff_count=5) is None


@pytest.mark.parametrize(
    "key,count",
    [
        ("ms_incubation_staff_per_residents", "incubation_staff_count"),
        ("ms_mentors_per_residents", "mentor_count"),
    ],
)
def test_every_15_residents_or_part_thereof_need_one_more(d, key, count):
    assert outcome(d, key, team_count=10, company_count=5, **{count: 1}) is True
    assert outcome(d, key, team_count=10, company_count=6, **{count: 1}) is False
    assert outcome(d, key, team_count=10, company_count=6, **{count: 2}) is True
    assert outcome(d, key, team_count=20, company_count=10, **{count: 2}) is True
    assert outcome(d, key, team_count=20, company_count=11, **{count: 2}) is False
    assert outcome(d, key, team_count=20, company_count=11, **{count: None}) is None


def test_4_activities_fail_and_5_pass(d):
    assert outcome(d, "ms_activities", activity_count=4) is False
    assert outcome(d, "ms_activities", activity_count=5) is True
    assert outcome(d, "ms_activities", activity_count=None) is None


# ----- eligibility: professional ---------------------------------------------------------------


def test_14_teams_and_companies_in_the_sub_field_fail_and_15_pass(d):
    key = "pro_residents_in_field"
    assert outcome(d, key, team_count_in_field=4, company_count_in_field=10) is False
    assert outcome(d, key, team_count_in_field=5, company_count_in_field=10) is True
    assert outcome(d, key, team_count_in_field=None, company_count_in_field=10) is None


def test_4_professional_activities_a_year_fail_and_5_pass(d):
    assert outcome(d, "pro_activities_in_field", activity_count_in_field=4) is False
    assert outcome(d, "pro_activities_in_field", activity_count_in_field=5) is True


def test_a_fund_of_299_wan_yuan_fails_and_300_passes(d):
    assert outcome(d, "pro_fund_size", fund_size=299) is False
    assert outcome(d, "pro_fund_size", fund_size=300) is True
    assert outcome(d, "pro_fund_size", fund_size=None) is None


@pytest.mark.parametrize(
    "key,count",
    [
        ("pro_mentors_per_companies", "mentor_count"),
        ("pro_incubation_staff_per_companies", "incubation_staff_count"),
    ],
)
def test_every_15_incubated_companies_need_one_mentor_and_one_incubation_staff(d, key, count):
    assert outcome(d, key, company_count=15, **{count: 1}) is True
    assert outcome(d, key, company_count=16, **{count: 1}) is False
    assert outcome(d, key, company_count=16, **{count: 2}) is True
    assert outcome(d, key, company_count=None, **{count: 2}) is None


def test_declared_sub_field_counts_are_checked_against_the_marked_rows(d):
    teams = [{"name": "t1", "in_field": True}, {"name": "t2", "in_field": False}]
    companies = [{"name": "c1", "in_field": True}, {"name": "c2", "in_field": True}]
    key = "pro_in_field_rows"
    assert rule(d, key).severity == "warning"
    assert (
        outcome(
            d,
            key,
            teams=teams,
            companies=companies,
            team_count_in_field=1,
            company_count_in_field=2,
        )
        is True
    )
    assert (
        outcome(
            d,
            key,
            teams=teams,
            companies=companies,
            team_count_in_field=2,
            company_count_in_field=2,
        )
        is False
    )


def test_every_rule_is_undecided_while_its_values_are_empty(d):
    for r in d.eligibility:
        result = evaluate(r.expression, {}, today=TODAY)
        assert not result.decided, r.key


# ----- reviewer checklist and summary table ----------------------------------------------------


def test_the_qualitative_conditions_are_checklist_items_of_their_track(d):
    items = {c.key: c for c in d.review_checklist}
    assert items["ms_public_facilities"].tracks == ["maker_space"]
    assert items["ms_public_facilities"].text.zh.startswith("具备公共服务场地和设施")
    assert items["ms_clear_direction"].text.zh == "发展方向明确"
    assert items["pro_host_synergy"].tracks == ["professional"]
    assert "良性互动和协同发展机制" in items["pro_host_synergy"].text.zh
    assert items["pro_independent_legal_person"].text.zh == "运营机构具有独立的法人资格"
    assert len(visible(d.review_checklist, "professional")) == 12
    assert all(c.source for c in d.review_checklist)
    assert items["data_matches_site_check"].levels == ["city"]
    assert items["data_matches_site_check"].tracks == []


def test_the_summary_table_of_annex_7_ranks_both_tracks_at_the_first_level(d):
    table = d.summary_table
    assert table.title.zh == "众创空间（含专业化）备案推荐汇总表"
    assert table.level == "city"
    assert [(c.label.zh, c.value) for c in table.columns] == [
        ("序号", "rank"),
        ("类别", "track_title"),
        ("众创空间名称", "space_name"),
        ("运营机构", "operator_name"),
        ("统一社会信用代码", "operator_credit_code"),
        ("所在市", "organisation_city"),
        ("专业领域", "field_path"),
        ("总面积（平方米）", "total_area"),
        ("入驻创业团队和企业数", "team_count + company_count"),
        ("联系人", "contact_name"),
        ("联系电话", "contact_mobile"),
        ("现场核查情况", "site_check"),
    ]


@pytest.mark.django_db
def test_it_loads_with_the_first_deadline_of_applicants_and_the_last_of_the_first_level():
    load_paths([CALLS / "liaoning-2021.yaml"])
    call = Call.objects.get(code="liaoning-2021")
    assert call.issuer.code == "ln"
    assert call.submission_deadline == shanghai_end_of(date(2021, 5, 14))
    assert call.final_deadline == shanghai_end_of(date(2021, 5, 21))
