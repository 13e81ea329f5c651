"""Walking an application along its call's route through the review pages."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from filing.orgs.tests.factories import UserFactory
from filing.reviews.models import Review

_staff: dict[tuple[int, str], object] = {}


def staff(authority, role: str):
    """A reviewer or leader of the authority (made once per test database)."""
    from filing.orgs.models import User

    username = f"{role}-{authority.code}"
    user = User.objects.filter(username=username).first()
    if user is None:
        kwargs = {"reviewer": True} if role == "reviewer" else {"leader": True}
        user = UserFactory(username=username, authority_code=authority.code, **kwargs)
    return user


def act_at_level(client, review: Review, *, last: bool) -> None:
    """Take up, record the site check, recommend (or file at the last level), sign, forward."""
    reviewer = staff(review.authority, "reviewer")
    client.force_login(reviewer)
    assert client.post(reverse("reviews:take_up", args=[review.pk])).status_code == 302
    client.post(
        reverse("reviews:save", args=[review.pk]),
        {
            "site_check": "checked",
            "site_check_date": timezone.localdate().isoformat(),
            "site_check_inspectors": "张三、李四",
            "site_check_findings": "场地与申报一致。",
            "opinion": "同意推荐。",
        },
    )
    code = review.application.call.code
    if last:
        client.post(reverse("reviews:decide_filing", args=[review.pk]), {"decision": "file"})
        return
    client.post(reverse("reviews:decide", args=[review.pk]), {"decision": "recommend"})
    level = review.application.definition.route[review.level_index]
    if "publicity" in level.tasks:
        publicise(client, code, review.level_key)
    client.force_login(staff(review.authority, "leader"))
    client.post(reverse("reviews:sign_off", args=[code, review.level_key]))
    if "publicity" in level.tasks:
        # Forwarding waits for the end of the period: it closes tonight, forward tomorrow.
        with time_machine.travel(timezone.now() + timedelta(days=1)):
            client.force_login(staff(review.authority, "leader"))  # sessions idle out
            client.post(reverse("reviews:forward", args=[code, review.level_key]))
    else:
        client.post(reverse("reviews:forward", args=[code, review.level_key]))


def filled_and_recommended(client, applicant, code: str, city: str, name: str, n: int = 1):
    """An application of ``code`` filled in full, submitted and recommended by its first level."""
    from filing.applications.tests.filling import WebFiller, start

    _org, filler, admin = applicant(city, None, n)
    client.force_login(filler)
    app = start(client, code, "maker_space", name)
    WebFiller(client, app).fill_everything()
    client.force_login(admin)
    client.post(reverse("applications:submit", args=[app.pk]))
    review = Review.objects.get(application=app)
    client.force_login(staff(review.authority, "reviewer"))
    client.post(reverse("reviews:take_up", args=[review.pk]))
    client.post(reverse("reviews:decide", args=[review.pk]), {"decision": "recommend"})
    review.refresh_from_db()
    return review


def publicise(client, code: str, level_key: str):
    """Publish the logged-in reviewer's list until the end of today; returns the Publicity."""
    from filing.publicity.models import Publicity

    response = client.post(
        reverse("publicity:open", args=[code, level_key]),
        {"title": "拟推荐名单公示", "closes_on": timezone.localdate().isoformat(), "contact": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Publicity.objects.order_by("-pk").first()


def walk(client, application) -> list[Review]:
    """Every level in turn until the last one decides; returns the reviews in route order."""
    route = application.definition.route
    for index in range(len(route)):
        review = Review.objects.filter(application=application, level_index=index).first()
        assert review is not None, (
            index,
            list(
                Review.objects.filter(application=application).values_list(
                    "level_index", "status", "authority__code"
                )
            ),
            [str(m) for m in _messages(client)],
        )
        act_at_level(client, review, last=index == len(route) - 1)
    return list(Review.objects.filter(application=application).order_by("level_index"))


def _messages(client):
    from django.contrib.messages import get_messages

    response = client.get(reverse("reviews:workbench"))
    return list(get_messages(response.wsgi_request)) if response.status_code == 200 else []
