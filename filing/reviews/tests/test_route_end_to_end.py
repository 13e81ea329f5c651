"""For every seed call, a submitted application is taken up, checked, recommended, signed off
and forwarded by each level with the right role, and filed by the last level: it then appears
in the public filed list."""

import pytest
from django.urls import reverse

from filing.applications.constants import Status
from filing.applications.tests.filling import WebFiller, start
from filing.registry.models import FiledSpace
from filing.reviews.constants import ReviewStatus
from filing.reviews.tests.routing import walk

CASES = [
    ("guangdong-2020-rehearsal", "professional", "440100", None, ["gd-440100", "gd", "most"]),
    (
        "jiangsu-2020-rehearsal",
        "professional",
        "320100",
        None,
        ["js-320100", "js-startup-center", "most"],
    ),
    ("national-2020-4th-rehearsal", "professional", "440300", None, ["gd", "most"]),
    ("liaoning-2021-rehearsal", "maker_space", "210100", None, ["ln-210100", "ln"]),
    ("liaoning-2021-rehearsal", "professional", "210200", "ln-shenfu", ["ln-shenfu", "ln"]),
    (
        "hunan-2016-2-rehearsal",
        "maker_space",
        "430100",
        "hn-zone-changsha",
        ["hn-zone-changsha", "hn-productivity-center", "most-torch"],
    ),
]


def submitted(client, applicant, code, track, city, zone):
    org, filler, admin = applicant(city, zone)
    client.force_login(filler)
    app = start(client, code, track, "智能制造专业化众创空间")
    WebFiller(client, app).fill_everything()
    client.force_login(admin)
    client.post(reverse("applications:submit", args=[app.pk]))
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED
    return app


@pytest.mark.parametrize(("code", "track", "city", "zone", "holders"), CASES)
def test_the_route_runs_from_submission_to_the_filed_list(
    client, seed_calls, applicant, code, track, city, zone, holders
):
    app = submitted(client, applicant, code, track, city, zone)
    reviews = walk(client, app)
    assert [r.authority.code for r in reviews] == holders
    assert [r.status for r in reviews[:-1]] == [ReviewStatus.FORWARDED] * (len(holders) - 1)
    assert reviews[-1].status == ReviewStatus.FILED
    app.refresh_from_db()
    assert app.status == Status.FILED
    assert all(r.site_check == "checked" for r in reviews)
    client.logout()
    page = client.get(reverse("registry:list"), {"q": app.space_name}).content.decode()
    assert app.space_name in page
    entry = FiledSpace.objects.get(application=app)
    assert entry.operator_name == app.organisation.name
    assert client.get(reverse("registry:detail", args=[entry.pk])).status_code == 200
