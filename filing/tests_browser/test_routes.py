"""For every seed call and track, the whole route as people click it in a real browser:
an organisation registers, its admin invites a filler, the filler fills the application (the
rosters through their Excel templates, the evidence and attachments uploaded), signs and sends
it to the admin, who submits it; the first level takes it up, returns it for revision, takes
the resubmission up again, records the site check and recommends; the leader downloads the
letter, the summary table and the ZIP, signs off and forwards — after a publicity with an
objection where the route asks for one (Liaoning) —; every level after it does the same, and
the last files it. The space is then found on the public filed list.

Screenshots of every step: var/screenshots/<route>/NN-step.png (docs/testing.md).
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from filing.applications.constants import Status
from filing.applications.models import Application
from filing.orgs.tests.factories import UserFactory
from filing.registry.models import FiledSpace
from filing.reviews.constants import ReviewStatus
from filing.reviews.models import Review
from filing.tests_browser import journeys as j
from filing.tests_browser.filling import BrowserFiller, Files, Plan
from filing.tests_browser.people import Album, Person

# Transactional: the server, in a thread of this process, must see what the test commits and
# the reverse (the `stage` fixture reloads what the flush after each test takes away).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@dataclass(frozen=True)
class Route:
    name: str  # the screenshots' folder
    call: str
    track_label: str | None  # chosen when starting, where the call has two tracks
    applicant: j.Applicant
    space_name: str
    holders: list[str]  # the authority at each level, in route order


def code(n: int) -> str:
    from filing.applications.tests.filling import credit_code

    return credit_code(n)


ROUTES = [
    Route(
        "guangdong",
        "guangdong-2020-rehearsal",
        None,
        j.Applicant("广州智造孵化运营有限公司", code(1001), "广东省", "广州市", None, "gz"),
        "广州智能装备专业化众创空间",
        ["gd-440100", "gd", "most"],
    ),
    Route(
        "jiangsu",
        "jiangsu-2020-rehearsal",
        None,
        j.Applicant("南京芯创空间管理有限公司", code(1002), "江苏省", "南京市", None, "nj"),
        "南京集成电路专业化众创空间",
        ["js-320100", "js-startup-center", "most"],
    ),
    Route(
        "national-4th",
        "national-2020-4th-rehearsal",
        None,
        j.Applicant("深圳智能硬件孵化有限公司", code(1003), "广东省", "深圳市", None, "sz"),
        "深圳智能硬件专业化众创空间",
        ["gd", "most"],
    ),
    Route(
        "liaoning-maker-space",
        "liaoning-2021-rehearsal",
        "省级众创空间",
        j.Applicant("沈阳创客汇科技服务有限公司", code(1004), "辽宁省", "沈阳市", None, "sy"),
        "沈阳创客汇众创空间",
        ["ln-210100", "ln"],
    ),
    Route(
        "liaoning-professional",
        "liaoning-2021-rehearsal",
        "省级专业化众创空间",
        j.Applicant(
            "沈抚数字经济发展有限公司",
            code(1005),
            "辽宁省",
            "大连市",
            "沈抚改革创新示范区科技局",
            "sf",
        ),
        "沈抚数字经济专业化众创空间",
        ["ln-shenfu", "ln"],
    ),
    Route(
        "hunan",
        "hunan-2016-2-rehearsal",
        None,
        j.Applicant(
            "长沙麓谷众创科技有限公司",
            code(1006),
            "湖南省",
            "长沙市",
            "长沙高新技术产业开发区管理委员会",
            "cs",
        ),
        "长沙麓谷创业众创空间",
        ["hn-zone-changsha", "hn-productivity-center", "most-torch"],
    ),
]


@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_the_route_as_people_click_it(stage, chromium, screenshots, tmp_path, route):
    album = Album(screenshots(route.name))
    files = Files(tmp_path)
    with stage.quiet():
        staff = {
            (holder, role): UserFactory(
                username=f"{role}-{holder}",
                password=j.PASSWORD,
                authority_code=holder,
                **{role: True},
            )
            for holder in route.holders
            for role in ("reviewer", "leader")
        }

    people: list[Person] = []

    def person(role: str, user=None) -> Person:
        someone = Person(role, chromium, stage.url, album)
        if user is not None:
            someone.username, someone.password = user.username, j.PASSWORD
        people.append(someone)
        return someone

    with ExitStack() as later:
        later.callback(lambda: [p.close() for p in people])
        admin, filler = person("admin"), person("filler")

        # The organisation registers; its admin invites the filler.
        j.register(admin, route.applicant)
        j.invite(admin, filler, route.applicant)

        # The filler starts and fills the application, prints it, and sends it to the admin.
        pk = j.start(filler, route.call, route.space_name, route.track_label)
        with stage.quiet():
            plan = Plan.of(Application.objects.get(pk=pk))
        filling = BrowserFiller(filler, pk, plan, files)
        filling.fill_everything(tmp_path)
        pdf = filling.print_pdf()
        assert pdf.startswith(b"%PDF") and len(pdf) > 1000
        j.send_to_admin(filler)
        j.admin_submits(admin, route.space_name)

        for index, holder in enumerate(route.holders):
            first, last = index == 0, index == len(route.holders) - 1
            reviewer = person(f"{holder}-reviewer", staff[(holder, "reviewer")])
            leader = person(f"{holder}-leader", staff[(holder, "leader")])
            j.take_up(reviewer, route.space_name)

            if first:
                # Returned for revision; the filler reads why, revises, re-signs and sends it
                # to the admin, who submits it again; the reviewer takes it up again.
                reasons = "请补充入驻企业的知识产权证明，并更新运营情况说明。"
                j.return_for_revision(reviewer, reasons)
                filler.nav("我的申报")
                expect(filler.main.locator("tr", has_text=route.space_name)).to_contain_text(
                    reasons
                )
                filler.follow(filler.link(route.space_name))
                filler.sees(reasons)
                filler.shot("reads-return-reasons")
                filling.revise()
                filling.sign()
                filling.check()
                j.send_to_admin(filler)
                j.admin_submits(admin, route.space_name)
                j.take_up(reviewer, route.space_name)

            j.record_review(reviewer)
            if last:
                j.file_space(reviewer)
                break
            j.recommend(reviewer)

            publicity = "publicity" in plan.levels[index]
            if publicity:
                j.open_list(reviewer, route.space_name)
                closes_on = j.publicise(reviewer, plan.call_title)
                visitor = person("visitor")
                reference = j.object_to(visitor, route.space_name, [files.pdf("证明")])
                j.dismiss_objection(reviewer, route.space_name)
                j.objection_answered(visitor, reference)

            j.open_list(leader, route.space_name)
            if first:
                j.download_materials(leader, route.space_name)
            j.sign_off(leader)
            if publicity:
                # The period ends at midnight, Beijing time: forwarding waits until then. The
                # leader comes back the next morning (the session has timed out meanwhile).
                j.forward_refused_during_publicity(leader)
                morning = datetime.combine(closes_on + timedelta(days=1), time(9))
                later.enter_context(time_machine.travel(timezone.make_aware(morning), tick=True))
                j.open_list(leader, route.space_name)
            j.forward(leader)

        # Anyone finds the space on the public filed list.
        j.find_in_registry(person("visitor"), route.space_name)
        assert [e for p in people for e in p.errors] == []

    with stage.quiet():
        reviews = list(Review.objects.filter(application_id=pk).order_by("level_index"))
        app = Application.objects.get(pk=pk)
        entry = FiledSpace.objects.get(application_id=pk)
        versions = app.submissions.count()
    assert [r.authority.code for r in reviews] == route.holders
    assert [r.status for r in reviews] == [ReviewStatus.FORWARDED] * (len(reviews) - 1) + [
        ReviewStatus.FILED
    ]
    assert all(r.site_check == "checked" for r in reviews)
    assert app.status == Status.FILED
    assert versions == 2  # submitted, returned for revision, submitted again
    assert entry.space_name == route.space_name
    assert entry.operator_name == route.applicant.name
