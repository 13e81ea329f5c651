"""Shared set-up for the notice tests: applications submitted and returned through the pages."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from filing.notices.models import Notice
from filing.orgs.models import Authority
from filing.reviews.models import Review
from filing.reviews.tests.routing import staff
from filing.reviews.tests.test_review_guards import submit  # noqa: F401  (re-exported)


def auth(code: str) -> Authority:
    return Authority.objects.get(code=code)


def take_up(client, review: Review):
    client.force_login(staff(review.authority, "reviewer"))
    assert client.post(reverse("reviews:take_up", args=[review.pk])).status_code == 302


def return_for_revision(client, review: Review, reasons="请补充场地租赁合同", days=30):
    take_up(client, review)
    by = timezone.localdate() + timedelta(days=days)
    response = client.post(
        reverse("reviews:return", args=[review.pk]),
        {"reasons": reasons, "resubmit_by": by.isoformat()},
    )
    assert response.status_code == 302
    return by


def decide(client, review: Review, recommend=True, reason=""):
    client.force_login(staff(review.authority, "reviewer"))
    client.post(
        reverse("reviews:decide", args=[review.pk]),
        {"decision": "recommend" if recommend else "not_recommend", "reason": reason},
    )


def sign_off(client, review: Review):
    client.force_login(staff(review.authority, "leader"))
    code = review.application.call.code
    response = client.post(reverse("reviews:sign_off", args=[code, review.level_key]))
    assert response.status_code == 302


def notices_of(user, kind=None):
    qs = Notice.objects.filter(recipient=user)
    return list(qs.filter(kind=kind) if kind else qs)


def make_notice(user, **fields) -> Notice:
    n = Notice.objects.filter(recipient=user).count()
    defaults = {
        "kind": "returned",
        "subject": f"测试通知{n}",
        "body": f"测试通知正文{n}",
        "dedupe_key": f"test:{n}",
    }
    return Notice.objects.create(recipient=user, **{**defaults, **fields})
