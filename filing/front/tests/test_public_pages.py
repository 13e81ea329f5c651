"""The public pages: home lists open, upcoming and past calls; a call's page shows its notice,
route, deadlines with time zone and countdown, conditions and materials, in both languages."""

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from filing.calls.loading import load_paths, make_rehearsals
from filing.calls.models import Call

MINIMAL = Path(__file__).resolve().parents[2] / "calls" / "tests" / "data" / "minimal.yaml"
SHANGHAI = ZoneInfo("Asia/Shanghai")

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls(db):
    load_paths([MINIMAL])
    original = Call.objects.get(code="minimal-2021")
    make_rehearsals([original], date(2026, 11, 23))
    return original, Call.objects.get(code="minimal-2021-rehearsal")


@time_machine.travel(datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_home_lists_the_open_rehearsal_and_the_past_original(client, calls):
    original, rehearsal = calls
    page = client.get(reverse("front:home")).content.decode()
    open_part, past_part = page.split("往期通知")
    assert rehearsal.title in open_part
    assert "演练" in open_part
    assert "剩余 14 天" in open_part
    assert original.title in past_part


@time_machine.travel(datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI), tick=False)
def test_the_call_page_shows_route_deadlines_with_time_zone_and_countdown(client, calls):
    _, rehearsal = calls
    page = client.get(reverse("calls:detail", args=[rehearsal.code])).content.decode()
    assert "2026-12-07 23:59" in page  # applicants' deadline: 2021-05-14 moved to today + 14 days
    assert "2026-12-14 23:59" in page  # the first level's deadline keeps its seven days' distance
    assert "Asia/Shanghai" in page
    assert "距申报截止还有 14 天" in page
    assert "面积500以上" in page  # a condition, readable
    assert "入驻企业" in page and "入驻时间" in page  # a roster and its columns
    assert "通知正文" in page


def test_the_original_call_stays_closed_with_its_real_dates(client, calls):
    original, _ = calls
    page = client.get(reverse("calls:detail", args=[original.code])).content.decode()
    assert "2021-05-14 23:59" in page
    assert "已结束" in page


def test_pages_speak_english_when_asked(client, calls):
    _, rehearsal = calls
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    home = client.get(reverse("front:home")).content.decode()
    assert '<html lang="en">' in home
    assert "[Rehearsal] Test call" in home
    assert "Open for applications" in home
    detail = client.get(reverse("calls:detail", args=[rehearsal.code])).content.decode()
    assert "Area at least 500" in detail
    assert "Deadlines" in detail or "deadline" in detail.lower()


def test_an_unknown_call_is_not_found(client, db):
    assert client.get(reverse("calls:detail", args=["no-such-call"])).status_code == 404


def test_the_catalogue_page_finds_third_level_items_by_part_of_their_name(client, db):
    page = client.get(reverse("reference:catalogue"), {"q": "嵌入式"}).content.decode()
    assert "1.1.2" in page and "嵌入式软件" in page


def test_login_and_registration_pages_render_in_both_languages(client, db):
    for url in (reverse("login"), reverse("orgs:register"), reverse("password_reset")):
        assert client.get(url).status_code == 200
    client.cookies["django_language"] = "en"
    assert "Log in" in client.get(reverse("login")).content.decode()


def test_an_english_browser_still_gets_chinese_until_english_is_chosen(client, calls):
    page = client.get(reverse("front:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("front:home")).content.decode()
    assert '<html lang="en">' in page
    assert "Department of Science and Technology of Liaoning Province" in page
