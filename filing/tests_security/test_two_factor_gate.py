"""With REQUIRE_STAFF_2FA on, authority staff and the platform administrator who have given only
their password reach no page but the second step (and logout, health, static files and the
language switch): every URL of the matrix sends them to set up or enter their code, a POST
changes nothing, and applicants are not asked. Once the code is entered the pages open."""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from filing.orgs.two_factor import OPEN_PREFIXES
from filing.tests_security.matrix import MATRIX, ROWS, url_of
from filing.tests_security.world import World, changed, state

GATED = ["city_reviewer", "leader", "platform_admin"]


@pytest.fixture(autouse=True)
def _required(settings):
    settings.REQUIRE_STAFF_2FA = True


def _sent_to_second_step(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        reverse("orgs:two_factor")
    )


@pytest.mark.parametrize("name", [row.name for row in MATRIX])
def test_staff_with_a_password_alone_are_sent_to_the_second_step(world: World, db, name):
    row = ROWS[name]
    url = url_of(world, row)
    if url.startswith(OPEN_PREFIXES):
        pytest.skip("open before the second step")
    wrong = {}
    for role in GATED:
        client = world.client_for(role)
        response = client.get(url)
        if not _sent_to_second_step(response):
            wrong[f"GET as {role}"] = response.status_code
        with transaction.atomic():
            response = client.post(url, row.post_data())
            after = state()
            transaction.set_rollback(True)
        if not _sent_to_second_step(response) or changed(world.baseline, after):
            wrong[f"POST as {role}"] = (response.status_code, changed(world.baseline, after))
    assert not wrong


def test_applicants_are_not_asked(world: World, db):
    client = world.client_for("filler")
    assert client.get(reverse("applications:overview", args=[world.draft.pk])).status_code == 200
    assert client.get(reverse("orgs:two_factor"))["Location"] == reverse("front:dashboard")


def test_staff_without_a_device_set_one_up_and_then_reach_the_workbench(world: World, db):
    reviewer = world.users["city_reviewer"]
    assert not TOTPDevice.objects.filter(user=reviewer, confirmed=True).exists()
    client = world.client_for("city_reviewer")
    sent = client.get(reverse("reviews:workbench"))
    assert _sent_to_second_step(sent)
    page = client.get(sent["Location"]).content.decode()
    assert "<svg" in page and re.search(r'<code class="secret">[A-Z2-7 ]+</code>', page)
    device = TOTPDevice.objects.get(user=reviewer)
    assert not device.confirmed  # set up, but a device not yet confirmed verifies nothing
    assert _sent_to_second_step(
        client.get(reverse("reviews:detail", args=[world.params["review"]]))
    )

    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    done = client.post(reverse("orgs:two_factor"), {"token": f"{code:06d}", "next": "/reviews/"})
    assert done.status_code == 302 and done["Location"] == "/reviews/"
    assert client.get(reverse("reviews:workbench")).status_code == 200
    assert client.get(reverse("reviews:detail", args=[world.params["review"]])).status_code == 200


def test_a_wrong_code_opens_nothing(world: World, db):
    client = world.client_for("leader")
    client.get(reverse("orgs:two_factor"))
    response = client.post(reverse("orgs:two_factor"), {"token": "000000", "next": "/reviews/"})
    assert response.status_code == 200 and "验证码不正确" in response.content.decode()
    assert _sent_to_second_step(client.get(reverse("reviews:workbench")))
