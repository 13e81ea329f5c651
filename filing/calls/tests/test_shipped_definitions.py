"""The five notices' definitions load together, make a consistent rehearsal family, and can be
copied into a new call by editing the file alone."""

from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from filing.calls.loading import (
    DefinitionError,
    check_file,
    definition_files,
    load_paths,
    load_text,
    make_rehearsals,
)
from filing.calls.models import Call

DIR = Path(settings.CALL_DEFINITIONS_DIR)
SEED_CODES = {
    "national-2020-4th",
    "guangdong-2020",
    "jiangsu-2020",
    "liaoning-2021",
    "hunan-2016-2",
}
TODAY = date(2026, 11, 23)


def test_there_is_one_definition_per_notice():
    codes = {check_file(p).definition.code for p in definition_files(DIR)}
    assert codes == SEED_CODES


@pytest.mark.django_db
def test_all_of_them_load_in_one_go_and_the_rounds_feed_the_national_call():
    load_paths(definition_files(DIR))
    national = Call.objects.get(code="national-2020-4th")
    assert set(national.rounds.values_list("code", flat=True)) == {"guangdong-2020", "jiangsu-2020"}
    assert Call.objects.get(code="hunan-2016-2").feeds is None


@pytest.mark.django_db
def test_rehearsals_move_a_national_family_by_one_shift_and_keep_its_order():
    load_paths(definition_files(DIR))
    make_rehearsals(list(Call.objects.filter(is_rehearsal=False)), TODAY)
    national = Call.objects.get(code="national-2020-4th-rehearsal")
    guangdong = Call.objects.get(code="guangdong-2020-rehearsal")
    jiangsu = Call.objects.get(code="jiangsu-2020-rehearsal")
    assert guangdong.feeds == national and jiangsu.feeds == national
    # Guangdong's applicants close first in the family: two weeks from today.
    assert guangdong.submission_deadline.astimezone().date() >= TODAY + timedelta(days=13)
    gd_province = next(lvl for lvl in guangdong.definition.route if lvl.level == "province")
    nat_province = next(lvl for lvl in national.definition.route if lvl.level == "province")
    assert gd_province.deadline == nat_province.deadline  # 2020-08-31 in both, moved together
    for call in Call.objects.filter(is_rehearsal=True):
        assert call.status_at(call.opens_at + timedelta(hours=1)) == "open", call.code


@pytest.mark.django_db
def test_a_new_call_is_a_copied_file_with_a_new_year_one_track_fewer_and_other_deadlines():
    load_paths(definition_files(DIR))
    data = yaml.safe_load((DIR / "liaoning-2021.yaml").read_text(encoding="utf-8"))
    data.update(code="liaoning-2022", version=1, year=2022)
    data["title"] = {
        "zh": "2022年度省级众创空间备案",
        "en": "Liaoning 2022 provincial maker-space filing",
    }
    data["submission"]["deadline"] = "2022-05-20"
    data["route"][0]["deadline"] = "2022-05-31"
    keep = "maker_space"
    data["tracks"] = [t for t in data["tracks"] if t["key"] == keep]

    def only_kept(items):
        return [i for i in items if not i.get("tracks") or keep in i["tracks"]]

    for key in ("sections", "rosters", "attachments", "eligibility", "review_checklist"):
        data[key] = only_kept(data.get(key, []))
    for section in data["sections"]:
        section["fields"] = only_kept(section["fields"])
    for roster in data["rosters"]:
        roster["columns"] = only_kept(roster["columns"])
    load_text(yaml.safe_dump(data, allow_unicode=True), "liaoning-2022.yaml")
    call = Call.objects.get(code="liaoning-2022")
    assert [t.key for t in call.definition.tracks] == ["maker_space"]
    assert call.submission_deadline.isoformat().startswith("2022-05-20")
    assert Call.objects.get(code="liaoning-2021").definition.tracks[1].key == "professional"


@pytest.mark.django_db
def test_a_copy_that_forgets_a_dropped_tracks_roster_column_is_refused_by_name():
    data = yaml.safe_load((DIR / "liaoning-2021.yaml").read_text(encoding="utf-8"))
    data.update(code="liaoning-2022", version=1)
    data["tracks"] = [t for t in data["tracks"] if t["key"] == "maker_space"]
    with pytest.raises(DefinitionError, match="unknown track 'professional'"):
        load_text(yaml.safe_dump(data, allow_unicode=True), "liaoning-2022.yaml")
    assert not Call.objects.filter(code="liaoning-2022").exists()
