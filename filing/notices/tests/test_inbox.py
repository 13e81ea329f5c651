"""The inbox shows a person their own notices only, newest first, unread ones marked. Opening a
notice marks it read and follows its link only when it is a page of this site. The site header
shows the unread count to people who are logged in."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from filing.notices.models import Notice
from filing.notices.tests.helpers import make_notice
from filing.orgs.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(cast):
    return cast.org_admin, cast.city_reviewer


def test_the_inbox_shows_only_the_persons_own_notices_newest_first(client, people):
    mine, theirs = people
    now = timezone.now()
    make_notice(mine, subject="较早的通知", created_at=now - timedelta(days=1))
    make_notice(mine, subject="最新的通知", created_at=now)
    make_notice(theirs, subject="别人的通知")
    client.force_login(mine)
    page = client.get(reverse("notices:inbox")).content.decode()
    assert page.index("最新的通知") < page.index("较早的通知")
    assert "别人的通知" not in page


def test_another_persons_notice_is_not_found_and_stays_unread(client, people):
    mine, theirs = people
    notice = make_notice(theirs, link="/reviews/")
    client.force_login(mine)
    assert client.get(reverse("notices:open", args=[notice.pk])).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_opening_a_notice_marks_it_read_and_follows_its_link(client, people):
    mine, _ = people
    notice = make_notice(mine, link="/applications/")
    client.force_login(mine)
    response = client.get(reverse("notices:open", args=[notice.pk]))
    assert response.status_code == 302 and response["Location"] == "/applications/"
    notice.refresh_from_db()
    assert notice.read_at is not None


@pytest.mark.parametrize(
    "link", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"]
)
def test_a_link_off_the_site_is_never_followed(client, people, link):
    mine, _ = people
    notice = make_notice(mine, body="正文在此", link=link)
    client.force_login(mine)
    response = client.get(reverse("notices:open", args=[notice.pk]))
    assert response.status_code == 200
    assert "正文在此" in response.content.decode()
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_unread_notices_are_marked_and_counted_in_the_header(client, people):
    mine, theirs = people
    make_notice(mine, subject="第一条")
    make_notice(mine, subject="第二条")
    make_notice(theirs)
    client.force_login(mine)
    page = client.get(reverse("front:dashboard")).content.decode()
    assert 'class="badge badge-unread" title="未读消息">2</span>' in page
    inbox = client.get(reverse("notices:inbox")).content.decode()
    assert inbox.count("notice-unread") == 2


def test_mark_all_read_clears_the_badge_and_touches_nobody_elses(client, people):
    mine, theirs = people
    make_notice(mine)
    other = make_notice(theirs)
    client.force_login(mine)
    assert client.get(reverse("notices:read_all")).status_code == 405
    response = client.post(reverse("notices:read_all"), follow=True)
    page = response.content.decode()
    assert "已将 1 条消息标为已读" in page
    assert "badge-unread" not in page and "notice-unread" not in page
    other.refresh_from_db()
    assert other.read_at is None


def test_visitors_see_no_badge_and_are_sent_to_log_in(client, people):
    mine, _ = people
    make_notice(mine)
    page = client.get(reverse("front:home")).content.decode()
    assert reverse("notices:inbox") not in page
    response = client.get(reverse("notices:inbox"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert client.post(reverse("notices:read_all")).status_code == 302
    assert Notice.objects.unread().count() == 1


def test_the_inbox_is_paginated(client, people):
    mine, _ = people
    now = timezone.now()
    for i in range(31):
        make_notice(mine, subject=f"通知{i:02d}", created_at=now + timedelta(minutes=i))
    client.force_login(mine)
    first = client.get(reverse("notices:inbox")).content.decode()
    second = client.get(reverse("notices:inbox"), {"page": 2}).content.decode()
    assert "通知30" in first and "通知00" not in first
    assert "通知00" in second and "通知30" not in second


def test_the_inbox_costs_the_same_queries_for_few_or_many_notices(client, db):
    person = UserFactory(username="person")
    client.force_login(person)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("notices:inbox")).status_code == 200
        return len(ctx)

    make_notice(person)
    few = count()
    for _ in range(20):
        make_notice(person)
    assert count() == few
