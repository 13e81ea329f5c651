"""Every change of an application's status is kept, whichever side makes it (the applicant's
steps or a level's), and both the applicant and the reviewers see how long the application spent
in each state, the current one counted up to now."""

from datetime import datetime, timedelta
from importlib import import_module

import time_machine
from django.apps import apps as django_apps
from django.urls import reverse

from filing.applications.constants import Status
from filing.applications.history import format_duration, time_in_states
from filing.applications.models import StatusChange
from filing.applications.tests.filling import WebFiller, start
from filing.calls.schema import SHANGHAI
from filing.reviews.models import Review
from filing.reviews.tests.routing import act_at_level, staff
from filing.reviews.tests.test_deadline_extensions import return_it

CALL = "guangdong-2020-rehearsal"


def history(app) -> list[tuple[str, str]]:
    return list(
        StatusChange.objects.filter(application=app)
        .order_by("at", "pk")
        .values_list("from_status", "to_status")
    )


def test_every_transition_along_a_whole_route_is_recorded(client, seed_calls, applicant):
    org, filler, admin = applicant("440100")
    client.force_login(filler)
    app = start(client, CALL, "professional", "智能制造专业化众创空间")
    WebFiller(client, app).fill_everything()
    client.post(reverse("applications:send_to_admin", args=[app.pk]))
    client.force_login(admin)
    client.post(reverse("applications:send_back", args=[app.pk]), {"comment": "补充案例"})
    client.force_login(filler)
    client.post(reverse("applications:send_to_admin", args=[app.pk]))
    client.force_login(admin)
    client.post(reverse("applications:submit", args=[app.pk]))
    client.post(reverse("applications:withdraw", args=[app.pk]), {"reason": "更正面积"})
    client.post(reverse("applications:submit", args=[app.pk]))
    city = Review.objects.get(application=app)
    return_it(client, city, (datetime.now(SHANGHAI) + timedelta(days=3)).date())
    client.force_login(admin)
    WebFiller(client, app).sign()
    client.post(reverse("applications:submit", args=[app.pk]))
    for index, review in enumerate(
        Review.objects.get(application=app, level_index=i) for i in range(3)
    ):
        act_at_level(client, review, last=index == 2)
    app.refresh_from_db()
    assert app.status == Status.FILED
    assert history(app) == [
        ("", Status.DRAFT),
        (Status.DRAFT, Status.AWAITING_APPROVAL),
        (Status.AWAITING_APPROVAL, Status.DRAFT),
        (Status.DRAFT, Status.AWAITING_APPROVAL),
        (Status.AWAITING_APPROVAL, Status.SUBMITTED),
        (Status.SUBMITTED, Status.DRAFT),  # withdrawn
        (Status.DRAFT, Status.SUBMITTED),
        (Status.SUBMITTED, Status.IN_REVIEW),
        (Status.IN_REVIEW, Status.RETURNED),
        (Status.RETURNED, Status.SUBMITTED),
        (Status.SUBMITTED, Status.IN_REVIEW),  # the province and ministry keep it in review
        (Status.IN_REVIEW, Status.FILED),
    ]
    actors = list(StatusChange.objects.filter(application=app).values_list("actor", flat=True))
    assert None not in actors
    assert (
        actors[-1]
        == staff(Review.objects.get(application=app, level_index=2).authority, "reviewer").pk
    )


def test_a_list_signed_with_a_not_recommended_application_is_recorded(
    client, seed_calls, applicant
):
    from filing.reviews.tests.test_review_guards import submit

    app, *_ = submit(client, applicant)
    review = Review.objects.get(application=app)
    other, *_ = submit(client, applicant, n=2, name="乙专业化众创空间")
    other_review = Review.objects.get(application=other)
    reviewer = staff(review.authority, "reviewer")
    client.force_login(reviewer)
    for r, data in (
        (review, {"decision": "not_recommend", "reason": "场地不足"}),
        (other_review, {"decision": "recommend"}),
    ):
        client.post(reverse("reviews:take_up", args=[r.pk]))
        client.post(reverse("reviews:decide", args=[r.pk]), data)
    leader = staff(review.authority, "leader")
    client.force_login(leader)
    client.post(reverse("reviews:sign_off", args=[CALL, "city"]))
    assert history(app)[-1] == (Status.IN_REVIEW, Status.NOT_RECOMMENDED)
    assert StatusChange.objects.filter(application=app).last().actor == leader


def test_the_time_in_each_state_is_shown_to_the_applicant_and_the_reviewer(
    client, seed_calls, applicant
):
    t0 = datetime.now(SHANGHAI).replace(microsecond=0)
    org, filler, admin = applicant("440100")
    with time_machine.travel(t0, tick=False):
        client.force_login(filler)
        app = start(client, CALL, "professional", "智能制造专业化众创空间")
        WebFiller(client, app).fill_everything()
    steps = [
        (timedelta(days=3, hours=4), filler, "applications:send_to_admin", {}),
        (timedelta(days=3, hours=6), admin, "applications:send_back", {"comment": "补充"}),
        (timedelta(days=4), filler, "applications:send_to_admin", {}),
        (timedelta(days=4, hours=1), admin, "applications:submit", {}),
    ]
    for offset, who, name, data in steps:
        with time_machine.travel(t0 + offset, tick=False):
            client.force_login(who)
            client.post(reverse(name, args=[app.pk]), data)
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED
    review = Review.objects.get(application=app)
    expected = [
        ("草稿", "3 天 22 小时", "2"),
        ("待机构管理员审核", "3 小时 0 分钟", "2"),
        ("已提交", "1 天 0 小时", "1"),
    ]
    with time_machine.travel(t0 + timedelta(days=5, hours=1), tick=False):
        client.force_login(admin)
        mine = client.get(reverse("applications:overview", args=[app.pk])).content.decode()
        client.force_login(staff(review.authority, "reviewer"))
        theirs = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    for page in (mine, theirs):
        assert "各状态停留时间" in page
        table = page[page.index("各状态停留时间") :]
        for label, duration, entries in expected:
            row = table[table.index(f"<td>{label}") :]
            row = row[: row.index("</tr>")]
            assert duration in row and f"<td>{entries}</td>" in row, (label, row)
        assert "（当前，计至现在）" in table


def test_durations_read_as_days_and_hours():
    assert format_duration(0) == "0 分钟"
    assert format_duration(59 * 60 + 59) == "59 分钟"
    assert format_duration(3600 + 5 * 60) == "1 小时 5 分钟"
    assert format_duration(3 * 86400 + 4 * 3600 + 59) == "3 天 4 小时"


def test_applications_older_than_the_history_start_with_one_entry(client, seed_calls, applicant):
    org, filler, admin = applicant("440100")
    client.force_login(filler)
    app = start(client, CALL, "professional", "智能制造专业化众创空间")
    StatusChange.objects.all().delete()
    assert time_in_states(app, app.created_at + timedelta(hours=2))[0].seconds == 7200
    migration = import_module("filing.applications.migrations.0003_status_changes")
    migration.initial_entries(django_apps, None)
    assert history(app) == [("", Status.DRAFT)]
    assert StatusChange.objects.get(application=app).at == app.created_at
