"""Arbitrary input to every form of the reviewing levels and of publicity: no 500, and a
refused decision, record, extension or objection changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from filing.applications.tests.filling import PDF_BYTES, WebFiller, start
from filing.publicity.models import Objection
from filing.reviews.models import Review
from filing.reviews.tests.routing import filled_and_recommended, publicise, staff
from filing.tests_fuzz.fuzzing import FUZZ, Target, check_each

pytestmark = pytest.mark.fuzz

CODE = "liaoning-2021-rehearsal"


@pytest.fixture
def received(client, seed_calls, applicant) -> Review:
    """A Shenyang application submitted in full, waiting at the city bureau."""
    _org, filler, admin = applicant("210100")
    client.force_login(filler)
    app = start(client, CODE, "maker_space", "沈阳模糊测试众创空间")
    WebFiller(client, app).fill_everything()
    client.force_login(admin)
    assert client.post(reverse("applications:submit", args=[app.pk])).status_code == 302
    review = Review.objects.get(application=app)
    # The level's list is made when its page is first opened; open it, so that a refused
    # form is seen to add no row at all.
    client.force_login(staff(review.authority, "reviewer"))
    assert (
        client.get(reverse("reviews:level_list", args=[CODE, review.level_key])).status_code == 200
    )
    return review


def review_targets(review: Review) -> dict[str, tuple[str, Target]]:
    """Each form of a review and of its level's list: (who posts it, the target)."""
    app = review.application
    today = timezone.localdate()
    later = (today + timedelta(days=10)).isoformat()
    watched = lambda: [review, app, app.organisation]  # noqa: E731
    level = (CODE, review.level_key)
    checklist = [item.key for item in app.definition.review_checklist]
    forms = {
        "take_up": ("reviewer", reverse("reviews:take_up", args=[review.pk]), {}),
        "save": (
            "reviewer",
            reverse("reviews:save", args=[review.pk]),
            {
                "checklist": checklist,
                "site_check": "checked",
                "site_check_date": today.isoformat(),
                "site_check_inspectors": "张三、李四",
                "site_check_findings": "场地与申报一致。",
                "opinion": "同意推荐。",
            },
        ),
        "return": (
            "reviewer",
            reverse("reviews:return", args=[review.pk]),
            {"resubmit_by": later, "reasons": "请补充场地证明。"},
        ),
        "decide": (
            "reviewer",
            reverse("reviews:decide", args=[review.pk]),
            {"decision": "recommend", "reason": "材料齐全。"},
        ),
        "decide_filing": (
            "reviewer",
            reverse("reviews:decide_filing", args=[review.pk]),
            {"decision": "file", "reason": ""},
        ),
        "withdraw": (
            "reviewer",
            reverse("reviews:withdraw", args=[review.pk]),
            {"reason": "发现材料造假。", "record_dishonest": "on", "dishonesty_until": later},
        ),
        "conflict": (
            "colleague",
            reverse("reviews:declare_conflict", args=[review.pk]),
            {"reason": "本人曾任该机构顾问。"},
        ),
        "extend_application": (
            "leader",
            reverse("reviews:extend_application", args=[review.pk]),
            {"new_deadline": later, "reason": "系统故障。"},
        ),
        "extend_list": (
            "leader",
            reverse("reviews:extend_list", args=level),
            {"new_deadline": later, "reason": "系统故障。", "authority": ""},
        ),
        "rank": ("reviewer", reverse("reviews:rank", args=level), {f"rank_{review.pk}": "1"}),
        "sign_off": ("leader", reverse("reviews:sign_off", args=level), {}),
        "forward": ("leader", reverse("reviews:forward", args=level), {}),
        "dishonesty": (
            "reviewer",
            reverse("reviews:record_dishonesty", args=[app.organisation_id]),
            {"starts_on": today.isoformat(), "ends_on": later, "reason": "虚报材料。"},
        ),
        "open_publicity": (
            "reviewer",
            reverse("publicity:open", args=level),
            {"title": "拟推荐名单公示", "closes_on": later, "contact": "024-12345678"},
        ),
    }
    return {
        name: (role, Target(url, baseline=baseline, watched=watched))
        for name, (role, url, baseline) in forms.items()
    }


def person(review: Review, role: str):
    """The level's reviewer or leader; a colleague declares conflicts, so the reviewer may go on."""
    if role != "colleague":
        return staff(review.authority, role)
    from filing.orgs.models import User
    from filing.orgs.tests.factories import UserFactory

    code = review.authority.code
    return User.objects.filter(username=f"colleague-{code}").first() or UserFactory(
        username=f"colleague-{code}", reviewer=True, authority_code=code
    )


@FUZZ
@given(data=st.data())
def test_review_forms_take_any_input(client, received, data):
    """Each example posts every form once, each with input of its own."""
    targets = {
        name: (person(received, role), target)
        for name, (role, target) in review_targets(received).items()
    }
    check_each(client, data, targets)
    client.force_login(person(received, "reviewer"))
    assert client.get(reverse("reviews:detail", args=[received.pk])).status_code in {200, 404}
    level = reverse("reviews:level_list", args=[CODE, received.level_key])
    assert client.get(level).status_code == 200


@pytest.fixture
def objection(client, seed_calls, applicant) -> Objection:
    """A recommended Shenyang space under publicity, with one objection lodged against it."""
    review = filled_and_recommended(client, applicant, CODE, "210100", "沈阳公示模糊测试众创空间")
    client.force_login(staff(review.authority, "reviewer"))
    publicity = publicise(client, CODE, "city")
    client.logout()
    client.post(
        reverse("publicity:lodge", args=[publicity.pk]),
        {
            "entry": publicity.entries.get().pk,
            "name": "王五",
            "phone": "024-23983139",
            "content": "该空间场地面积与实际不符，请核查。",
            "files": [SimpleUploadedFile("证明.pdf", PDF_BYTES)],
        },
    )
    return Objection.objects.get()


@FUZZ
@given(data=st.data())
def test_publicity_forms_take_any_input(client, objection, data):
    publicity = objection.publicity
    reviewer = staff(publicity.level_list.authority, "reviewer")
    targets = {
        "lodge": (
            None,
            Target(
                reverse("publicity:lodge", args=[publicity.pk]),
                baseline={
                    "entry": objection.entry_id,
                    "name": "赵六",
                    "phone": "13912345678",
                    "email": "zhao@example.cn",
                    "content": "该空间入驻企业名单与实际不符。",
                },
                watched=lambda: [publicity, objection],
            ),
        ),
        "handle": (
            reviewer,
            Target(
                reverse("publicity:handle", args=[objection.pk]),
                baseline={"decision": "dismiss", "response": "经核查，异议不成立。"},
                watched=lambda: [publicity, objection],
            ),
        ),
        "find": (None, Target(reverse("publicity:find_objection"), method="get")),
        "status": (
            None,
            Target(reverse("publicity:objection_status", args=[objection.reference]), "get"),
        ),
        "manage": (reviewer, Target(reverse("publicity:manage", args=[publicity.pk]), "get")),
        "index": (None, Target(reverse("publicity:index"), method="get")),
    }
    check_each(client, data, targets, extra={"reference", "response"})
