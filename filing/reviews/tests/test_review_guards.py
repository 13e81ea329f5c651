"""Each role sees and acts only within its jurisdiction and its stage: another city's files are
not found, another level's step is refused, a reviewer cannot sign for the leader, nothing is
decided after the level's deadline; a return for revision goes back to the applicant and the
resubmission comes back to the level that returned it."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from filing.applications.constants import Status
from filing.applications.tests.filling import WebFiller, start
from filing.orgs.models import Authority
from filing.reviews.constants import ReviewStatus
from filing.reviews.models import Review
from filing.reviews.tests.routing import staff


def submit(client, applicant, city="440100", n=1, name="广州测试专业化众创空间"):
    org, filler, admin = applicant(city, n=n)
    client.force_login(filler)
    app = start(client, "guangdong-2020-rehearsal", "professional", name)
    WebFiller(client, app).fill_everything()
    client.force_login(admin)
    client.post(reverse("applications:submit", args=[app.pk]))
    app.refresh_from_db()
    return app, filler, admin


@pytest.fixture
def submitted(client, seed_calls, applicant):
    app, filler, admin = submit(client, applicant)
    return app, Review.objects.get(application=app), filler, admin


def auth(code):
    return Authority.objects.get(code=code)


def test_another_citys_reviewer_cannot_find_the_file(client, submitted):
    app, review, *_ = submitted
    client.force_login(staff(auth("gd-440300"), "reviewer"))
    assert client.get(reverse("reviews:detail", args=[review.pk])).status_code == 404
    assert client.post(reverse("reviews:take_up", args=[review.pk])).status_code == 404
    assert client.get(reverse("applications:overview", args=[app.pk])).status_code == 404
    review.refresh_from_db()
    assert review.status == ReviewStatus.RECEIVED


def test_another_provinces_reviewer_sees_nothing_in_the_workbench(client, submitted):
    client.force_login(staff(auth("js"), "reviewer"))
    page = client.get(reverse("reviews:workbench"), {"scope": "area"}).content.decode()
    assert "广州测试专业化众创空间" not in page


def test_the_province_sees_the_citys_file_but_cannot_take_the_citys_step(client, submitted):
    app, review, *_ = submitted
    client.force_login(staff(auth("gd"), "reviewer"))
    assert client.get(reverse("reviews:detail", args=[review.pk])).status_code == 200
    response = client.post(reverse("reviews:take_up", args=[review.pk]), follow=True)
    assert "只有 广州市科学技术局 的人员可以办理这一步" in response.content.decode()
    review.refresh_from_db()
    assert review.status == ReviewStatus.RECEIVED


def test_applicants_cannot_open_the_review_pages(client, submitted):
    app, review, filler, admin = submitted
    client.force_login(admin)
    assert client.get(reverse("reviews:workbench")).status_code == 403
    assert client.get(reverse("reviews:detail", args=[review.pk])).status_code == 403


def test_taking_up_ends_the_applicants_right_to_withdraw(client, submitted):
    app, review, filler, admin = submitted
    client.force_login(staff(review.authority, "reviewer"))
    client.post(reverse("reviews:take_up", args=[review.pk]))
    client.force_login(admin)
    response = client.post(
        reverse("applications:withdraw", args=[app.pk]), {"reason": "想改"}, follow=True
    )
    assert "审核单位已受理，不能撤回" in response.content.decode()


def test_a_decision_after_the_levels_deadline_is_refused(client, submitted):
    app, review, *_ = submitted
    reviewer = staff(review.authority, "reviewer")
    client.force_login(reviewer)
    client.post(reverse("reviews:take_up", args=[review.pk]))
    deadline = app.definition.route[0].deadline
    with time_machine.travel(deadline + timedelta(minutes=5)):
        client.force_login(reviewer)
        response = client.post(
            reverse("reviews:decide", args=[review.pk]), {"decision": "recommend"}, follow=True
        )
    assert "已过本级报送截止时间" in response.content.decode()
    review.refresh_from_db()
    assert review.status == ReviewStatus.IN_REVIEW


def test_a_reviewer_cannot_sign_off_the_list_for_the_leader(client, submitted):
    app, review, *_ = submitted
    client.force_login(staff(review.authority, "reviewer"))
    client.post(reverse("reviews:take_up", args=[review.pk]))
    client.post(reverse("reviews:decide", args=[review.pk]), {"decision": "recommend"})
    response = client.post(
        reverse("reviews:sign_off", args=[app.call.code, review.level_key]), follow=True
    )
    assert "只有本单位负责人可以签发推荐名单" in response.content.decode()
    response = client.post(
        reverse("reviews:forward", args=[app.call.code, review.level_key]), follow=True
    )
    assert "推荐名单须先由负责人签发" in response.content.decode()


def test_not_recommending_needs_a_reason(client, submitted):
    app, review, *_ = submitted
    client.force_login(staff(review.authority, "reviewer"))
    client.post(reverse("reviews:take_up", args=[review.pk]))
    response = client.post(
        reverse("reviews:decide", args=[review.pk]),
        {"decision": "not_recommend", "reason": ""},
        follow=True,
    )
    assert "不予推荐须写明理由" in response.content.decode()


def test_a_return_goes_to_the_applicant_and_the_resubmission_comes_back(client, submitted):
    app, review, filler, admin = submitted
    client.force_login(staff(review.authority, "reviewer"))
    client.post(reverse("reviews:take_up", args=[review.pk]))
    by = (timezone.localdate() + timedelta(days=30)).isoformat()
    client.post(
        reverse("reviews:return", args=[review.pk]),
        {"reasons": "请补充场地租赁合同", "resubmit_by": by},
    )
    app.refresh_from_db()
    assert app.status == Status.RETURNED
    client.force_login(filler)
    page = client.get(reverse("applications:overview", args=[app.pk])).content.decode()
    assert "请补充场地租赁合同" in page
    WebFiller(client, app).sign()
    client.force_login(admin)
    client.post(reverse("applications:submit", args=[app.pk]))
    app.refresh_from_db()
    review.refresh_from_db()
    assert app.status == Status.SUBMITTED
    assert review.status == ReviewStatus.RECEIVED
    assert app.submissions.count() == 2


def test_the_workbench_filters_and_searches(client, seed_calls, applicant):
    app1, *_ = submit(client, applicant, n=1, name="甲专业化众创空间")
    app2, *_ = submit(client, applicant, n=2, name="乙专业化众创空间")
    client.force_login(staff(auth("gd-440100"), "reviewer"))
    page = client.get(reverse("reviews:workbench"), {"q": "甲"}).content.decode()
    assert "甲专业化众创空间" in page and "乙专业化众创空间" not in page
    page = client.get(
        reverse("reviews:workbench"), {"q": app2.organisation.credit_code}
    ).content.decode()
    assert "乙专业化众创空间" in page and "甲专业化众创空间" not in page
    page = client.get(reverse("reviews:workbench"), {"status": "in_review"}).content.decode()
    assert "甲专业化众创空间" not in page
    page = client.get(
        reverse("reviews:workbench"), {"call": "national-2020-4th-rehearsal"}
    ).content.decode()
    assert "甲专业化众创空间" in page  # a provincial round feeds the national call


def test_the_workbench_finds_by_the_start_of_a_credit_code_and_by_operator_name(
    client, seed_calls, applicant
):
    app1, *_ = submit(client, applicant, n=1, name="甲专业化众创空间")
    app2, *_ = submit(client, applicant, n=2, name="乙专业化众创空间")
    client.force_login(staff(auth("gd-440100"), "reviewer"))
    code = app2.organisation.credit_code

    def shown(q: str) -> set[str]:
        page = client.get(reverse("reviews:workbench"), {"q": q}).content.decode()
        return {n for n in ("甲专业化众创空间", "乙专业化众创空间") if n in page}

    # Typed from its start, in lower case as well; the middle of a code is not a code search.
    assert shown(code[:12]) >= {"乙专业化众创空间"}
    assert shown(code.lower()) == {"乙专业化众创空间"}
    assert shown(code[8:]) == set()
    assert shown(app1.organisation.name) == {"甲专业化众创空间"}


def test_a_city_arriving_in_the_area_appears_among_the_workbench_filters(
    client, seed_calls, applicant
):
    submit(client, applicant, city="440100", n=1, name="甲专业化众创空间")
    province = staff(auth("gd"), "reviewer")
    client.force_login(province)
    page = client.get(reverse("reviews:workbench"), {"scope": "area"}).content.decode()
    assert 'value="440100"' in page and 'value="440300"' not in page
    # The choices are kept between requests; an application arriving makes them fresh.
    submit(client, applicant, city="440300", n=2, name="乙专业化众创空间")
    client.force_login(province)
    page = client.get(reverse("reviews:workbench"), {"scope": "area"}).content.decode()
    assert 'value="440100"' in page and 'value="440300"' in page


def test_the_workbench_query_count_does_not_grow_with_the_applications(
    client, seed_calls, applicant
):
    from filing.applications.tests.filling import start as start_app

    org, filler, admin = applicant("440100")
    client.force_login(filler)
    apps = [
        start_app(client, "guangdong-2020-rehearsal", "professional", f"空间{i}专业化众创空间")
        for i in range(12)
    ]
    authority = auth("gd-440100")
    now = timezone.now()
    for app in apps:
        type(app).objects.filter(pk=app.pk).update(status=Status.SUBMITTED, first_level=authority)
    client.force_login(staff(authority, "reviewer"))

    def count(n):
        Review.objects.all().delete()
        Review.objects.bulk_create(
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
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("reviews:workbench")).status_code == 200
        return len(ctx)

    assert count(2) == count(12)


def test_the_province_sees_its_cities_side_by_side_and_who_is_late(client, seed_calls, applicant):
    submit(client, applicant, city="440100", n=1, name="广州甲专业化众创空间")
    submit(client, applicant, city="440300", n=2, name="深圳乙专业化众创空间")
    client.force_login(staff(auth("gd"), "reviewer"))
    page = client.get(
        reverse("reviews:area"), {"call": "guangdong-2020-rehearsal"}
    ).content.decode()
    assert "广州市科学技术局" in page and "深圳市科技创新委员会" in page
    assert "未签发" in page
    deadline = seed_calls["guangdong-2020-rehearsal"].definition.route[0].deadline
    with time_machine.travel(deadline + timedelta(hours=1)):
        client.force_login(staff(auth("gd"), "reviewer"))
        late = client.get(
            reverse("reviews:area"), {"call": "guangdong-2020-rehearsal"}
        ).content.decode()
    assert late.count("已逾期") == 2
    client.force_login(staff(auth("gd-440100"), "reviewer"))
    own = client.get(reverse("reviews:area")).content.decode()
    assert "深圳" not in own


def test_a_returned_application_awaiting_its_admin_prints_as_a_draft_again(client, submitted):
    from filing.applications.tests.filling import pdf_text

    app, review, filler, admin = submitted
    client.force_login(staff(review.authority, "reviewer"))
    client.post(reverse("reviews:take_up", args=[review.pk]))
    by = (timezone.localdate() + timedelta(days=30)).isoformat()
    client.post(
        reverse("reviews:return", args=[review.pk]), {"reasons": "请补充材料", "resubmit_by": by}
    )
    client.force_login(filler)
    client.post(reverse("applications:send_to_admin", args=[app.pk]))
    app.refresh_from_db()
    assert app.status == Status.AWAITING_APPROVAL
    pages = pdf_text(client.get(reverse("applications:print_pdf", args=[app.pk])).content)
    assert all("草稿" in page for page in pages)
    assert not any(app.submissions.get().verification_code in page for page in pages)


@pytest.mark.parametrize(
    "code, name, extra",
    [
        ("js-320100", "reviews:level_list", []),  # a city of another province
        ("gd", "reviews:level_list", []),  # the province, at the cities' level
        ("js-320100", "reviews:summary", ["xlsx"]),
        ("gd", "publicity:open", []),
    ],
)
def test_an_authority_that_holds_no_list_at_a_level_gets_none_made_by_looking(
    client, seed_calls, code, name, extra
):
    from filing.reviews.models import LevelList

    client.force_login(staff(auth(code), "reviewer"))
    response = client.get(reverse(name, args=["guangdong-2020-rehearsal", "city", *extra]))
    assert response.status_code == 404
    assert not LevelList.objects.exists()
    # The city bureau of the call's own province does hold one.
    client.force_login(staff(auth("gd-440100"), "reviewer"))
    page = client.get(reverse("reviews:level_list", args=["guangdong-2020-rehearsal", "city"]))
    assert page.status_code == 200
    assert LevelList.objects.filter(authority__code="gd-440100").exists()
