"""Fraud found after a recommendation withdraws it at every level, with the reason recorded;
after filing, the space leaves the public filed list."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from filing.applications.constants import Status
from filing.audit.models import AuditEvent
from filing.registry.models import FiledSpace
from filing.reviews.constants import ReviewStatus
from filing.reviews.models import DishonestyRecord, Review
from filing.reviews.tests.routing import act_at_level, staff, walk
from filing.reviews.tests.test_review_guards import auth, submit

REASON = "经查，入驻企业名单中有 5 家企业系虚构。"


@pytest.fixture
def at_province(client, seed_calls, applicant):
    """A Guangzhou application recommended by the city and forwarded to the province."""
    app, *_ = submit(client, applicant)
    act_at_level(client, Review.objects.get(application=app, level_index=0), last=False)
    province = Review.objects.get(application=app, level_index=1)
    assert province.status == ReviewStatus.RECEIVED
    return app


def test_the_city_withdraws_a_forwarded_recommendation(client, at_province):
    app = at_province
    city_review = Review.objects.get(application=app, level_index=0)
    client.force_login(staff(city_review.authority, "reviewer"))
    page = client.get(reverse("reviews:detail", args=[city_review.pk])).content.decode()
    assert reverse("reviews:withdraw", args=[city_review.pk]) in page

    response = client.post(
        reverse("reviews:withdraw", args=[city_review.pk]), {"reason": "  "}, follow=True
    )
    assert "请写明撤销推荐的理由" in response.content.decode()
    city_review.refresh_from_db()
    assert city_review.status == ReviewStatus.FORWARDED

    until = (timezone.localdate() + timedelta(days=3 * 365)).isoformat()
    client.post(
        reverse("reviews:withdraw", args=[city_review.pk]),
        {"reason": REASON, "record_dishonest": "on", "dishonesty_until": until},
    )
    statuses = list(
        Review.objects.filter(application=app)
        .order_by("level_index")
        .values_list("status", flat=True)
    )
    assert statuses == [ReviewStatus.WITHDRAWN, ReviewStatus.WITHDRAWN]
    app.refresh_from_db()
    assert app.status == Status.RECOMMENDATION_WITHDRAWN
    record = DishonestyRecord.objects.get(organisation=app.organisation)
    assert record.reason == REASON and record.ends_on.isoformat() == until
    assert AuditEvent.objects.filter(event="review.recommendation_withdrawn").count() == 1

    # The province can no longer act on it.
    province_review = Review.objects.get(application=app, level_index=1)
    client.force_login(staff(province_review.authority, "reviewer"))
    client.post(reverse("reviews:take_up", args=[province_review.pk]))
    province_review.refresh_from_db()
    assert province_review.status == ReviewStatus.WITHDRAWN

    # The applicant sees the reason.
    client.force_login(app.created_by)
    page = client.get(reverse("applications:overview", args=[app.pk])).content.decode()
    assert REASON in page and "推荐已撤销" in page


def test_a_filed_space_is_revoked_from_the_public_list(client, seed_calls, applicant):
    app, *_ = submit(client, applicant)
    reviews = walk(client, app)
    entry = FiledSpace.objects.get(application=app)
    client.logout()
    assert app.space_name in client.get(reverse("registry:list")).content.decode()

    ministry_review = reviews[-1]
    client.force_login(staff(ministry_review.authority, "reviewer"))
    client.post(reverse("reviews:withdraw", args=[ministry_review.pk]), {"reason": REASON})
    entry.refresh_from_db()
    assert entry.revoked_on == timezone.localdate()
    client.logout()
    assert app.space_name not in client.get(reverse("registry:list")).content.decode()
    assert client.get(reverse("registry:detail", args=[entry.pk])).status_code == 404


def test_nothing_to_withdraw_before_a_recommendation_and_not_from_outside(
    client, seed_calls, applicant
):
    app, *_ = submit(client, applicant)
    review = Review.objects.get(application=app)
    client.force_login(staff(review.authority, "reviewer"))
    client.post(reverse("reviews:take_up", args=[review.pk]))
    response = client.post(
        reverse("reviews:withdraw", args=[review.pk]), {"reason": REASON}, follow=True
    )
    assert "尚未被推荐" in response.content.decode()
    review.refresh_from_db()
    assert review.status == ReviewStatus.IN_REVIEW

    client.post(reverse("reviews:decide", args=[review.pk]), {"decision": "recommend"})
    client.force_login(staff(auth("gd-440300"), "reviewer"))
    assert (
        client.post(reverse("reviews:withdraw", args=[review.pk]), {"reason": REASON}).status_code
        == 404
    )
    client.force_login(app.created_by)
    assert (
        client.post(reverse("reviews:withdraw", args=[review.pk]), {"reason": REASON}).status_code
        == 403
    )
    review.refresh_from_db()
    assert review.status == ReviewStatus.RECOMMENDED
