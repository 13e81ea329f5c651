"""A deadline moves only later, with a reason, by a leader of the right authority: the first
level for its applicants' deadline (all of them, or one application), the next level up for a
level's own deadline (one authority below it, or all). The submit guard, the decision guards and
the pages all read the deadline in force."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from filing.applications.constants import Status
from filing.applications.tests.filling import WebFiller, start
from filing.audit.events import describe
from filing.audit.models import AuditEvent
from filing.reviews import deadlines
from filing.reviews.constants import ReviewStatus
from filing.reviews.models import DeadlineExtension, Review
from filing.reviews.services import ReviewError
from filing.reviews.tests.routing import staff
from filing.reviews.tests.test_review_guards import auth, submit

CALL = "guangdong-2020-rehearsal"


def local(moment) -> str:
    """As a browser's datetime-local input sends it (Beijing time)."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def filled(client, applicant, city="440100", n=1, name="广州测试专业化众创空间"):
    """A complete application, not yet submitted."""
    org, filler, admin = applicant(city, n=n)
    client.force_login(filler)
    app = start(client, CALL, "professional", name)
    WebFiller(client, app).fill_everything()
    return app, filler, admin


def extend_list(client, who, level_key, new_deadline, reason="系统故障，停机两天", authority=""):
    """Confirm on GET, then grant on POST, from the list page of ``who``'s level."""
    client.force_login(who)
    url = reverse("reviews:extend_list", args=[CALL, level_key])
    data = {"new_deadline": local(new_deadline), "reason": reason, "authority": authority}
    confirm = client.get(url, data)
    if confirm.status_code != 200:
        return confirm
    assert "确认延期" in confirm.content.decode()
    return client.post(url, data, follow=True)


def test_the_first_level_extends_its_applicants_deadline_and_a_late_submission_is_accepted(
    client, seed_calls, applicant
):
    call = seed_calls[CALL]
    original = call.definition.first_deadline
    app, filler, admin = filled(client, applicant)
    other, _f, other_admin = filled(
        client, applicant, city="440300", n=2, name="深圳专业化众创空间"
    )
    leader = staff(auth("gd-440100"), "leader")
    client.force_login(leader)
    page = client.get(reverse("reviews:level_list", args=[CALL, "city"])).content.decode()
    assert "延长本单位全部申报单位的提交截止时间" in page

    response = extend_list(client, leader, "city", original + timedelta(days=2))
    assert "截止时间已延至" in response.content.decode()
    extension = DeadlineExtension.objects.get()
    assert extension.application is None and extension.authority.code == "gd-440100"
    call.refresh_from_db()
    assert call.submission_extended  # application pages look for extensions from now on
    assert extension.new_deadline == original + timedelta(days=2) - timedelta(seconds=59)

    page = client.get(reverse("reviews:level_list", args=[CALL, "city"])).content.decode()
    assert "系统故障，停机两天" in page and "已延期，原为" in page

    with time_machine.travel(original + timedelta(hours=3)):
        client.force_login(admin)
        overview = client.get(reverse("applications:overview", args=[app.pk])).content.decode()
        assert "截止时间已由 广州市科学技术局 延期" in overview
        client.post(reverse("applications:submit", args=[app.pk]))
        client.force_login(other_admin)
        refused = client.post(reverse("applications:submit", args=[other.pk]), follow=True)
    app.refresh_from_db()
    other.refresh_from_db()
    assert app.status == Status.SUBMITTED
    assert other.status == Status.DRAFT  # Shenzhen's applicants keep the original deadline
    assert "已过申报截止时间" in refused.content.decode()
    sentence = describe(AuditEvent.objects.get(event="deadline.extended"))
    assert "系统故障，停机两天" in sentence and "广州市科学技术局 的全部申报单位" in sentence


def test_only_a_leader_of_the_right_authority_may_extend(client, seed_calls, applicant):
    call = seed_calls[CALL]
    later = call.definition.first_deadline + timedelta(days=1)
    data = {"new_deadline": local(later), "reason": "停电"}
    url = reverse("reviews:extend_list", args=[CALL, "city"])
    client.force_login(staff(auth("gd-440100"), "reviewer"))
    assert client.get(url, data).status_code == 403
    assert client.post(url, data).status_code == 403
    # The province does not receive from applicants in this call: not its deadline to move.
    client.force_login(staff(auth("gd"), "leader"))
    assert client.get(url, data).status_code == 403
    assert client.post(url, data).status_code == 403
    # Nor may a city move its own level's deadline: that is for the province.
    city_leader = staff(auth("gd-440100"), "leader")
    client.force_login(city_leader)
    assert client.get(reverse("reviews:extend_list", args=[CALL, "province"])).status_code == 403
    with pytest.raises(ReviewError, match="只有上一级审核单位"):
        deadlines.extend_level_deadline(
            call, "city", actor=city_leader, new_deadline=later, reason="想多几天"
        )
    with pytest.raises(ReviewError, match="只有上一级审核单位"):
        deadlines.extend_level_deadline(
            call, "city", actor=staff(auth("most"), "leader"), new_deadline=later, reason="x"
        )
    with pytest.raises(ReviewError, match="只有主管部门负责人"):
        deadlines.extend_level_deadline(
            call, "city", actor=staff(auth("gd"), "reviewer"), new_deadline=later, reason="x"
        )
    assert not DeadlineExtension.objects.exists()


def test_a_deadline_cannot_move_earlier_nor_past_the_levels_own_nor_without_a_reason(
    client, seed_calls, applicant
):
    call = seed_calls[CALL]
    original = call.definition.first_deadline
    leader = staff(auth("gd-440100"), "leader")
    url = reverse("reviews:extend_list", args=[CALL, "city"])
    client.force_login(leader)
    earlier = client.post(
        url, {"new_deadline": local(original - timedelta(days=1)), "reason": "提前"}
    )
    assert earlier.status_code == 400
    assert "延期只能推迟截止时间" in earlier.content.decode()
    assert "提前" in earlier.content.decode()  # what was typed stays on the page
    city_deadline = call.definition.route[0].deadline
    too_late = client.post(
        url, {"new_deadline": local(city_deadline + timedelta(days=1)), "reason": "多给一周"}
    )
    assert "不能晚于本级的报送截止时间" in too_late.content.decode()
    no_reason = client.get(url, {"new_deadline": local(original + timedelta(days=1))})
    assert "请写明延期理由" in no_reason.content.decode()
    assert "确认延期" not in no_reason.content.decode()
    garbled = client.post(url, {"new_deadline": "明天", "reason": "停电"})
    assert garbled.status_code == 400 and "请填写新的截止时间" in garbled.content.decode()
    assert not DeadlineExtension.objects.exists()
    # A second extension must go beyond the first; extensions are never edited.
    first = deadlines.extend_submission_deadline(
        call, actor=leader, new_deadline=original + timedelta(days=2), reason="停电"
    )
    with pytest.raises(ReviewError, match="延期只能推迟截止时间"):
        deadlines.extend_submission_deadline(
            call, actor=leader, new_deadline=original + timedelta(days=1), reason="再延"
        )
    with pytest.raises(ValueError, match="never changed"):
        first.reason = "改理由"
        first.save()


def return_it(client, review, by_day):
    client.force_login(staff(review.authority, "reviewer"))
    client.post(reverse("reviews:take_up", args=[review.pk]))
    client.post(
        reverse("reviews:return", args=[review.pk]),
        {"reasons": "请补充场地租赁合同", "resubmit_by": by_day.isoformat()},
    )


def test_an_extension_for_one_application_lets_only_that_one_resubmit(
    client, seed_calls, applicant
):
    app1, _f1, admin1 = submit(client, applicant, n=1, name="甲专业化众创空间")
    app2, _f2, admin2 = submit(client, applicant, n=2, name="乙专业化众创空间")
    tomorrow = timezone.localdate() + timedelta(days=1)
    for app in (app1, app2):
        return_it(client, Review.objects.get(application=app), tomorrow)
    review1 = Review.objects.get(application=app1)
    leader = staff(review1.authority, "leader")
    client.force_login(leader)
    detail = client.get(reverse("reviews:detail", args=[review1.pk])).content.decode()
    assert "延长本申报的提交截止时间至" in detail
    new = timezone.now() + timedelta(days=4)
    url = reverse("reviews:extend_application", args=[review1.pk])
    data = {"new_deadline": local(new), "reason": "退回意见送达延误"}
    assert "确认延期" in client.get(url, data).content.decode()
    client.post(url, data)
    extension = DeadlineExtension.objects.get()
    assert extension.application == app1
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        for app, admin in ((app1, admin1), (app2, admin2)):
            client.force_login(admin)
            WebFiller(client, app).sign()
            client.post(reverse("applications:submit", args=[app.pk]))
    app1.refresh_from_db()
    app2.refresh_from_db()
    assert app1.status == Status.SUBMITTED
    assert app2.status == Status.RETURNED
    # Once resubmitted it is out of the applicant's hands: nothing more to extend.
    with pytest.raises(ReviewError, match="不在申报单位手中"):
        deadlines.extend_submission_deadline(
            app1.call,
            actor=leader,
            new_deadline=new + timedelta(days=1),
            reason="x",
            application=app1,
        )


def test_one_application_is_extended_only_by_the_authority_that_receives_it(
    client, seed_calls, applicant
):
    app, *_ = submit(client, applicant)
    review = Review.objects.get(application=app)
    return_it(client, review, timezone.localdate() + timedelta(days=1))
    url = reverse("reviews:extend_application", args=[review.pk])
    client.force_login(staff(auth("gd-440300"), "leader"))
    assert client.get(url).status_code == 404  # outside Shenzhen's area
    client.force_login(staff(auth("gd"), "leader"))
    assert client.get(url).status_code == 403  # the province sees it but does not hold it
    client.force_login(staff(review.authority, "reviewer"))
    assert client.get(url).status_code == 403  # reviewers do not grant extensions


def decide_late(client, review, when):
    with time_machine.travel(when):
        client.force_login(staff(review.authority, "reviewer"))
        return client.post(
            reverse("reviews:decide", args=[review.pk]), {"decision": "recommend"}, follow=True
        )


def test_the_province_gives_one_city_more_time_to_decide(client, seed_calls, applicant):
    call = seed_calls[CALL]
    gz_app, *_ = submit(client, applicant, city="440100", n=1, name="广州甲专业化众创空间")
    sz_app, *_ = submit(client, applicant, city="440300", n=2, name="深圳乙专业化众创空间")
    gz, sz = (Review.objects.get(application=a) for a in (gz_app, sz_app))
    for review in (gz, sz):
        client.force_login(staff(review.authority, "reviewer"))
        client.post(reverse("reviews:take_up", args=[review.pk]))
    original = call.definition.route[0].deadline
    province = staff(auth("gd"), "leader")
    client.force_login(province)
    page = client.get(reverse("reviews:level_list", args=[CALL, "province"])).content.decode()
    assert "延长下级单位的报送截止时间" in page and "广州市科学技术局" in page
    response = extend_list(
        client, province, "province", original + timedelta(days=2), "广州机房停电", "gd-440100"
    )
    assert "截止时间已延至" in response.content.decode()
    late = original + timedelta(hours=5)
    assert "已过本级报送截止时间" not in decide_late(client, gz, late).content.decode()
    assert "已过本级报送截止时间" in decide_late(client, sz, late).content.decode()
    gz.refresh_from_db()
    sz.refresh_from_db()
    assert gz.status == ReviewStatus.RECOMMENDED
    assert sz.status == ReviewStatus.IN_REVIEW
    client.force_login(staff(gz.authority, "reviewer"))
    detail = client.get(reverse("reviews:detail", args=[gz.pk])).content.decode()
    assert "广州机房停电" in detail and "已延期，原为" in detail
    with time_machine.travel(late):
        client.force_login(province)
        area = client.get(reverse("reviews:area"), {"call": CALL}).content.decode()
    assert area.count("已逾期") == 1  # Shenzhen only
    assert "（已延期）" in area


def test_the_province_gives_all_its_cities_more_time_after_an_outage(client, seed_calls, applicant):
    call = seed_calls[CALL]
    apps = [
        submit(client, applicant, city="440100", n=1, name="广州甲专业化众创空间")[0],
        submit(client, applicant, city="440300", n=2, name="深圳乙专业化众创空间")[0],
    ]
    reviews = [Review.objects.get(application=a) for a in apps]
    for review in reviews:
        client.force_login(staff(review.authority, "reviewer"))
        client.post(reverse("reviews:take_up", args=[review.pk]))
    original = call.definition.route[0].deadline
    province = staff(auth("gd"), "leader")
    deadlines.extend_level_deadline(
        call,
        "city",
        actor=province,
        new_deadline=original + timedelta(days=2),
        reason="平台停机",
    )
    # Not past the province's own deadline, and never back.
    with pytest.raises(ReviewError, match="不能晚于本级的报送截止时间"):
        deadlines.extend_level_deadline(
            call,
            "city",
            actor=province,
            new_deadline=call.definition.route[1].deadline + timedelta(days=1),
            reason="再延",
        )
    with pytest.raises(ReviewError, match="延期只能推迟"):
        deadlines.extend_level_deadline(
            call,
            "city",
            actor=province,
            new_deadline=original + timedelta(days=1),
            reason="改短",
            for_authority=auth("gd-440300"),
        )
    for review in reviews:
        decide_late(client, review, original + timedelta(days=1))
        review.refresh_from_db()
        assert review.status == ReviewStatus.RECOMMENDED
    # Another province's city is not covered by Guangdong's extension.
    assert deadlines.level_deadline(call.pk, call.definition.route[0], auth("js-320100")).at == (
        original
    )


def test_a_returned_application_keeps_its_resubmission_date_while_with_its_admin(
    client, seed_calls, applicant
):
    app, filler, admin = submit(client, applicant)
    return_it(client, Review.objects.get(application=app), timezone.localdate())
    client.force_login(filler)
    client.post(reverse("applications:send_to_admin", args=[app.pk]))
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        client.force_login(admin)
        response = client.post(reverse("applications:submit", args=[app.pk]), follow=True)
    assert "已过申报截止时间" in response.content.decode()
    app.refresh_from_db()
    assert app.status == Status.AWAITING_APPROVAL


@pytest.mark.parametrize(
    ("who", "level_key", "expected"),
    [
        (("gd-440100", "leader"), "city", 200),
        (("gd-440100", "reviewer"), "city", 403),
        (("gd-440300", "leader"), "city", 200),  # for its own applicants
        (("gd", "leader"), "city", 403),
        (("gd", "leader"), "province", 200),
        (("gd", "reviewer"), "province", 403),
        (("gd-440100", "leader"), "province", 403),
        (("most", "leader"), "province", 403),  # the ministry holds no level of this call's list
        (("most", "leader"), "ministry", 200),
        (("js-320100", "leader"), "city", 403),  # a city of another province holds no level
    ],
)
def test_the_extension_page_answers_each_role_as_the_matrix_says(
    client, seed_calls, who, level_key, expected
):
    client.force_login(staff(auth(who[0]), who[1]))
    url = reverse("reviews:extend_list", args=[CALL, level_key])
    assert client.get(url).status_code == expected


def test_applicants_and_visitors_cannot_reach_the_extension_pages(client, seed_calls, applicant):
    org, filler, admin = applicant("440100")
    url = reverse("reviews:extend_list", args=[CALL, "city"])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(admin)
    assert client.get(url).status_code == 403


def test_calls_extended_before_the_flag_existed_are_marked_by_the_migration(
    client, seed_calls, applicant
):
    from importlib import import_module

    from django.apps import apps

    call = seed_calls[CALL]
    app, _filler, _admin = filled(client, applicant)
    extend_list(
        client,
        staff(auth("gd-440100"), "leader"),
        "city",
        call.definition.first_deadline + timedelta(days=1),
    )
    other = seed_calls[next(code for code in seed_calls if code != CALL)]
    type(call).objects.update(submission_extended=False)
    migration = import_module("filing.calls.migrations.0003_submission_extended")
    migration.mark_extended_calls(apps, None)
    call.refresh_from_db()
    other.refresh_from_db()
    assert call.submission_extended and not other.submission_extended
