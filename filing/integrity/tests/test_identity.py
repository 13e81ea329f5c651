"""A roster row is known across applications by what the call definition says: the roster's kind
and its columns' types. Companies by credit code; teams and mentors by name and number, so that
two people who merely share a common name are not tied together; activities not at all."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings

from filing.calls.loading import check_file, definition_files
from filing.calls.schema import CallDefinition, Roster
from filing.integrity.constants import SignalKind
from filing.integrity.identity import normalise_number, normalise_text, row_identity


def roster(kind, *columns) -> Roster:
    cols = [{"key": "name", "type": "text", "label": {"zh": "名称", "en": "Name"}}]
    cols += [{"key": k, "type": t, "label": {"zh": k, "en": k}} for k, t in columns]
    return Roster.model_validate(
        {"key": "r", "title": {"zh": "名单", "en": "List"}, "kind": kind, "columns": cols}
    )


def test_names_are_compared_without_spaces_width_or_case():
    assert normalise_text(" ＡＢＣ 创业 团队 ") == normalise_text("abc创业团队")
    assert normalise_number("+86 138-1234-5678") == "13812345678"


def test_a_company_is_known_by_its_credit_code_whatever_its_name():
    companies = roster("companies", ("credit_code", "credit_code"), ("mobile", "mobile"))
    one = row_identity(companies, {"name": "甲公司", "credit_code": "91440101ma00001017"})
    other = row_identity(companies, {"name": "甲有限公司", "credit_code": "91440101MA00001017 "})
    assert one.kind == SignalKind.SHARED_COMPANY
    assert one.key == other.key == "91440101MA00001017"
    assert row_identity(companies, {"name": "无代码公司", "credit_code": ""}) is None


def test_a_mixed_roster_tells_companies_from_teams_by_the_credit_code():
    residents = roster("residents", ("credit_code", "credit_code"))
    company = row_identity(residents, {"name": "甲公司", "credit_code": "91440101MA00001017"})
    team = row_identity(residents, {"name": "乙团队", "credit_code": ""})
    assert company.kind == SignalKind.SHARED_COMPANY
    assert (team.kind, team.key) == (SignalKind.SHARED_TEAM, "乙团队|")


def test_a_mentor_is_known_by_name_and_mobile_so_namesakes_stay_apart():
    mentors = roster("mentors", ("employer", "text"), ("mobile", "mobile"))
    one = row_identity(mentors, {"name": "张伟", "employer": "甲", "mobile": "13800000001"})
    same = row_identity(mentors, {"name": "张 伟", "employer": "乙", "mobile": "138 0000 0001"})
    namesake = row_identity(mentors, {"name": "张伟", "mobile": "13900000002"})
    no_number = row_identity(mentors, {"name": "张伟", "mobile": ""})
    assert one.kind == SignalKind.SHARED_MENTOR
    assert one.key == same.key != namesake.key
    assert no_number.key == "张伟|" != one.key


def test_activities_and_rosters_without_a_kind_are_not_compared():
    assert row_identity(roster("activities"), {"name": "创业沙龙"}) is None
    assert row_identity(roster(None, ("credit_code", "credit_code")), {"name": "x"}) is None


@pytest.mark.parametrize(
    "path", definition_files(Path(settings.CALL_DEFINITIONS_DIR)), ids=lambda p: p.stem
)
def test_every_shipped_roster_says_what_it_holds(path):
    definition = check_file(path).definition
    assert all(r.kind for r in definition.rosters), [r.key for r in definition.rosters]


def test_a_roster_of_mentors_without_a_name_column_is_refused():
    path = Path(settings.CALL_DEFINITIONS_DIR) / "liaoning-2021.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    mentors = next(r for r in data["rosters"] if r["key"] == "mentors")
    mentors["columns"][0]["key"] = "full_name"
    with pytest.raises(ValueError, match="a roster of mentors needs a `name` column"):
        CallDefinition.model_validate(data)
