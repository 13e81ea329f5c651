"""A dishonesty record (失信) against an organisation, while live, blocks its recommendation, the
signing of a list that recommends it, and its filing; only staff of its area may record one."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from filing.orgs.models import Authority
from filing.reviews.constants import ReviewStatus
from filing.reviews.models import DishonestyRecord
from filing.reviews.tests.routing import staff
from filing.reviews.tests.test_review_guards import submit


def record(client, org, who, reason="虚报入驻企业数", starts=None, ends=""):
    client.force_login(who)
    starts = starts or timezone.localdate().isoformat()
    return client.post(
        reverse("reviews:record_dishonesty", args=[org.pk]),
        {"reason": reason, "starts_on": starts, "ends_on": ends},
        follow=True,
    )


def test_a_live_record_blocks_recommendation(client, seed_calls, applicant):
    app, *_ = submit(client, applicant)
    review = app.reviews.get()
    reviewer = staff(review.authority, "reviewer")
    page = record(client, app.organisation, reviewer).content.decode()
    assert "虚报入驻企业数" in page
    client.post(reverse("reviews:take_up", args=[review.pk]))
    response = client.post(
        reverse("reviews:decide", args=[review.pk]), {"decision": "recommend"}, follow=True
    )
    assert "有未到期的失信记录" in response.content.decode()
    review.refresh_from_db()
    assert review.status == ReviewStatus.IN_REVIEW


def test_an_expired_record_does_not_block(client, seed_calls, applicant):
    app, *_ = submit(client, applicant)
    review = app.reviews.get()
    reviewer = staff(review.authority, "reviewer")
    past = timezone.localdate() - timedelta(days=400)
    record(
        client,
        app.organisation,
        reviewer,
        starts=past.isoformat(),
        ends=(past + timedelta(days=30)).isoformat(),
    )
    client.post(reverse("reviews:take_up", args=[review.pk]))
    client.post(reverse("reviews:decide", args=[review.pk]), {"decision": "recommend"})
    review.refresh_from_db()
    assert review.status == ReviewStatus.RECOMMENDED


def test_a_record_made_after_recommendation_stops_the_sign_off(client, seed_calls, applicant):
    app, *_ = submit(client, applicant)
    review = app.reviews.get()
    reviewer = staff(review.authority, "reviewer")
    client.force_login(reviewer)
    client.post(reverse("reviews:take_up", args=[review.pk]))
    client.post(reverse("reviews:decide", args=[review.pk]), {"decision": "recommend"})
    record(client, app.organisation, reviewer, reason="提供虚假租赁合同")
    client.force_login(staff(review.authority, "leader"))
    response = client.post(
        reverse("reviews:sign_off", args=[app.call.code, review.level_key]), follow=True
    )
    assert "有未到期的失信记录" in response.content.decode()


def test_staff_outside_the_area_cannot_record(client, seed_calls, applicant):
    app, *_ = submit(client, applicant)
    response = record(client, app.organisation, staff(Authority.objects.get(code="js"), "reviewer"))
    assert response.status_code == 404
    assert not DishonestyRecord.objects.exists()


def test_a_record_needs_a_reason(client, seed_calls, applicant):
    app, *_ = submit(client, applicant)
    page = record(
        client, app.organisation, staff(app.reviews.get().authority, "reviewer"), reason=""
    ).content.decode()
    assert "请写明失信事由" in page
    assert not DishonestyRecord.objects.exists()
