"""Authority staff confirm their login with a TOTP code; applicants are not asked."""

import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from filing.audit.models import AuditEvent
from filing.orgs.tests.factories import OrganisationFactory, UserFactory

PASSWORD = "pw-for-tests-1"


@pytest.fixture(autouse=True)
def _required(settings):
    settings.REQUIRE_STAFF_2FA = True


def code(device, offset=0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def login(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


@pytest.fixture
def reviewer(db):
    return UserFactory(username="gz-reviewer", authority_code="gd-440100", reviewer=True)


def test_a_reviewer_sets_up_the_authenticator_then_works(client, reviewer):
    login(client, reviewer)
    response = client.get(reverse("reviews:workbench"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("orgs:two_factor"))
    assert "next=%2Freviews%2F" in response["Location"]

    page = client.get(response["Location"])
    html = page.content.decode()
    assert "<svg" in html and "两步验证" in html
    import base64

    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', html).group(1)
    device = TOTPDevice.objects.get(user=reviewer)
    assert not device.confirmed
    assert base64.b32decode(secret.replace(" ", "")) == device.bin_key

    wrong = client.post(reverse("orgs:two_factor"), {"token": "000000", "next": "/reviews/"})
    assert "验证码不正确" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    # django-otp throttles after a failure (the next try must wait a second); start afresh.
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()

    done = client.post(reverse("orgs:two_factor"), {"token": code(device), "next": "/reviews/"})
    assert done.status_code == 302 and done["Location"] == "/reviews/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("reviews:workbench")).status_code == 200
    events = AuditEvent.objects.filter(actor=reviewer).values_list("event", flat=True)
    assert "user.two_factor_enabled" in events and "user.two_factor_failed" in events


def test_the_next_login_asks_for_the_code_and_a_password_alone_is_not_enough(client, reviewer):
    device = TOTPDevice.objects.create(user=reviewer, name="phone", confirmed=True)
    login(client, reviewer)
    page = client.get(reverse("orgs:two_factor")).content.decode()
    assert "<svg" not in page  # no new key is shown to whoever has the password
    for url in (reverse("reviews:workbench"), reverse("reviews:area"), "/admin/"):
        assert client.get(url)["Location"].startswith(reverse("orgs:two_factor"))
    # An outside address as "next" is not followed.
    response = client.post(
        reverse("orgs:two_factor"), {"token": code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("front:dashboard")
    assert client.get(reverse("reviews:workbench")).status_code == 200


def test_applicants_are_not_asked(client, db):
    org = OrganisationFactory()
    filler = UserFactory(username="filler", filler=True, organisation=org)
    login(client, filler)
    assert client.get(reverse("applications:home")).status_code == 200
    assert client.get(reverse("orgs:two_factor"))["Location"] == reverse("front:dashboard")


def test_health_and_logout_stay_open_before_the_second_step(client, reviewer):
    login(client, reviewer)
    assert client.get(reverse("front:health")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
