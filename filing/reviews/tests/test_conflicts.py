"""A staff member who declares a conflict of interest with an application is kept out of it from
then on: no detail page, no materials, no downloads, no step on its review, no ranking of a list
that holds it. The workbench shows the row greyed as 已回避 without a link; the leader of the same
authority sees who declared and why. A declaration needs a reason and cannot be undone; the last
person who could still act on the application cannot declare."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from filing.applications.constants import Status
from filing.applications.tests.filling import start
from filing.audit.events import describe
from filing.audit.models import AuditEvent
from filing.orgs.tests.factories import UserFactory
from filing.reviews import services
from filing.reviews.constants import ReviewStatus
from filing.reviews.models import ConflictDeclaration, Review
from filing.reviews.tests.routing import staff
from filing.reviews.tests.test_review_guards import auth, submit

REASON = "本人配偶在该运营机构任职"


def colleague(code="gd-440100"):
    return UserFactory(username=f"second-reviewer-{code}", reviewer=True, authority_code=code)


def declare(client, who, review, reason=REASON):
    client.force_login(who)
    url = reverse("reviews:declare_conflict", args=[review.pk])
    page = client.get(url)
    assert page.status_code == 200
    return page, client.post(url, {"reason": reason}, follow=True)


@pytest.fixture
def declared(client, seed_calls, applicant):
    """A submitted application whose city reviewer declared a conflict; a colleague remains."""
    app, filler, admin = submit(client, applicant)
    review = Review.objects.get(application=app)
    reviewer, other = staff(review.authority, "reviewer"), colleague()
    page, response = declare(client, reviewer, review)
    return app, review, reviewer, other, page, response


def test_the_declaration_page_shows_who_applies_but_none_of_the_materials(client, declared):
    app, review, reviewer, other, page, response = declared
    before = page.content.decode()
    assert app.space_name in before and app.organisation.name in before
    assert "申报内容" not in before and "files/" not in before
    assert "已声明回避" in response.content.decode()
    declaration = ConflictDeclaration.objects.get()
    assert (declaration.user, declaration.application, declaration.reason) == (
        reviewer,
        app,
        REASON,
    )
    sentence = describe(AuditEvent.objects.get(event="review.conflict_declared"))
    assert "声明回避" in sentence and REASON not in sentence


def test_the_declared_reviewer_cannot_open_the_file_or_its_materials(client, declared):
    app, review, reviewer, *_ = declared
    attachment = app.files.first()
    submission = app.submissions.get()
    client.force_login(reviewer)
    detail = client.get(reverse("reviews:detail", args=[review.pk]))
    assert detail.status_code == 403
    assert "您已于" in detail.content.decode() and "申报内容" not in detail.content.decode()
    for url in (
        reverse("applications:overview", args=[app.pk]),
        reverse("applications:file_download", args=[app.pk, attachment.pk]),
        reverse("applications:submission_pdf", args=[app.pk, submission.number]),
        reverse("applications:print_pdf", args=[app.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert not AuditEvent.objects.filter(event="application.file_downloaded").exists()


def test_the_declared_reviewer_cannot_act_on_the_review(client, declared):
    app, review, reviewer, other, *_ = declared
    client.force_login(reviewer)
    posts = [
        ("reviews:take_up", {}),
        ("reviews:save", {"opinion": "同意"}),
        ("reviews:decide", {"decision": "recommend"}),
        ("reviews:return", {"reasons": "补材料", "resubmit_by": "2099-01-01"}),
        ("reviews:decide_filing", {"decision": "file"}),
    ]
    for name, data in posts:
        assert client.post(reverse(name, args=[review.pk]), data).status_code == 403, name
    review.refresh_from_db()
    assert review.status == ReviewStatus.RECEIVED and review.opinion == ""
    with pytest.raises(services.ReviewError, match="您已声明回避"):
        services.take_up(review, actor=reviewer)
    # A colleague who did not declare handles it as usual.
    client.force_login(other)
    client.post(reverse("reviews:take_up", args=[review.pk]))
    client.post(reverse("reviews:decide", args=[review.pk]), {"decision": "recommend"})
    review.refresh_from_db()
    assert review.status == ReviewStatus.RECOMMENDED
    # The declared reviewer sees the list, the row greyed, and may neither rank nor zip it.
    client.force_login(reviewer)
    code = app.call.code
    page = client.get(reverse("reviews:level_list", args=[code, "city"])).content.decode()
    assert "已回避" in page and f'href="{reverse("reviews:detail", args=[review.pk])}"' not in page
    assert reverse("reviews:package", args=[code, "city"]) not in page
    assert client.post(reverse("reviews:package", args=[code, "city"])).status_code == 403
    response = client.post(
        reverse("reviews:rank", args=[code, "city"]), {f"rank_{review.pk}": "1"}, follow=True
    )
    assert "不能调整排名" in response.content.decode()
    assert not AuditEvent.objects.filter(event="review.ranked").exists()


def test_the_leader_sees_who_declared_and_a_colleague_does_not(client, declared):
    app, review, reviewer, other, *_ = declared
    client.force_login(staff(review.authority, "leader"))
    page = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert "本单位人员的回避声明" in page and REASON in page and str(reviewer) in page
    client.force_login(other)
    page = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert REASON not in page


def test_a_declaration_needs_a_reason_and_is_never_taken_back(client, seed_calls, applicant):
    app, *_ = submit(client, applicant)
    review = Review.objects.get(application=app)
    reviewer = staff(review.authority, "reviewer")
    colleague()
    _page, response = declare(client, reviewer, review, reason="  ")
    assert "请写明回避事由" in response.content.decode()
    assert not ConflictDeclaration.objects.exists()
    declare(client, reviewer, review)
    again = client.get(reverse("reviews:declare_conflict", args=[review.pk])).content.decode()
    assert "您已于" in again and "确认声明回避" not in again
    client.post(reverse("reviews:declare_conflict", args=[review.pk]), {"reason": "再声明"})
    assert ConflictDeclaration.objects.count() == 1
    with pytest.raises(services.ReviewError, match="您已声明回避该申报"):
        services.declare_conflict(review, actor=reviewer, reason="再声明")
    declaration = ConflictDeclaration.objects.get()
    with pytest.raises(ValueError, match="never changed"):
        declaration.reason = "撤回"
        declaration.save()


def test_the_last_person_who_could_act_cannot_declare(client, seed_calls, applicant):
    app, *_ = submit(client, applicant)
    review = Review.objects.get(application=app)
    reviewer, leader = staff(review.authority, "reviewer"), staff(review.authority, "leader")
    declare(client, reviewer, review)
    _page, response = declare(client, leader, review)
    assert "本单位已没有其他可以办理该申报的人员" in response.content.decode()
    assert list(ConflictDeclaration.objects.values_list("user", flat=True)) == [reviewer.pk]
    # The leader, still free to act, takes it up.
    client.post(reverse("reviews:take_up", args=[review.pk]))
    review.refresh_from_db()
    assert review.status == ReviewStatus.IN_REVIEW


def test_staff_outside_the_area_cannot_declare(client, seed_calls, applicant):
    app, *_ = submit(client, applicant)
    review = Review.objects.get(application=app)
    client.force_login(staff(auth("gd-440300"), "reviewer"))
    url = reverse("reviews:declare_conflict", args=[review.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": REASON}).status_code == 404
    client.force_login(app.organisation.members.first())
    assert client.get(url).status_code == 403
    assert not ConflictDeclaration.objects.exists()


def test_the_workbench_greys_declared_rows_and_its_query_count_stays_flat(
    client, seed_calls, applicant
):
    org, filler, admin = applicant("440100")
    client.force_login(filler)
    apps = [
        start(client, "guangdong-2020-rehearsal", "professional", f"空间{i}") for i in range(12)
    ]
    authority = auth("gd-440100")
    type(apps[0]).objects.filter(pk__in=[a.pk for a in apps]).update(
        status=Status.SUBMITTED, first_level=authority
    )
    reviewer = staff(authority, "reviewer")
    colleague()
    now = timezone.now()

    def count(n):
        Review.objects.all().delete()
        made = Review.objects.bulk_create(
            [
                Review(
                    application=a,
                    level_key="city",
                    level_index=0,
                    authority=authority,
                    received_at=now,
                    **Review.copied_from(a),
                )
                for a in apps[:n]
            ]
        )
        for review in made[: n // 2]:
            if not services.has_conflict(review.application_id, reviewer):
                services.declare_conflict(review, actor=reviewer, reason=REASON)
        client.force_login(reviewer)
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(reverse("reviews:workbench"))
        assert page.status_code == 200
        return len(ctx), page.content.decode(), made

    small, _page, _made = count(2)
    large, page, made = count(12)
    assert small == large
    assert page.count("已回避") == 6
    for review in made[:6]:
        assert f'href="{reverse("reviews:detail", args=[review.pk])}"' not in page
    for review in made[6:]:
        assert f'href="{reverse("reviews:detail", args=[review.pk])}"' in page
