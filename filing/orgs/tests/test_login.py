"""Login, logout, limiting of failed logins, password change and reset, session expiry."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from filing.audit.models import AuditEvent
from filing.orgs.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username, password, ip="198.51.100.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_a_person_logs_in_and_out_and_both_are_audited(cast, client):
    assert login(client, "filler", PASSWORD).status_code == 302
    assert client.get(reverse("front:dashboard")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("front:dashboard")).status_code == 302
    events = list(AuditEvent.objects.filter(actor=cast.filler).values_list("event", flat=True))
    assert "user.logged_in" in events and "user.logged_out" in events


def test_five_wrong_passwords_lock_the_account_from_that_address(cast, client):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "filler", "wrong").status_code == 200
    locked = login(client, "filler", "wrong")
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    # Even the right password is refused while locked.
    assert login(client, "filler", PASSWORD).status_code == 429
    assert (
        AuditEvent.objects.filter(event="user.login_failed").count() >= settings.AXES_FAILURE_LIMIT
    )


def test_the_lock_does_not_spill_over_to_other_accounts(cast, client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "filler", "wrong")
    assert login(client, "org-admin", PASSWORD).status_code == 302


def test_a_wrong_password_says_so_in_chinese(cast, client):
    response = login(client, "filler", "wrong")
    assert "请输入一个正确的" in response.content.decode() or "正确" in response.content.decode()


def test_password_change_is_audited(cast, client):
    client.force_login(cast.filler)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Another-pass-2026",
            "new_password2": "Another-pass-2026",
        },
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(event="user.password_changed", actor=cast.filler).exists()


def test_password_reset_by_email_works_end_to_end(cast, client):
    client.post(reverse("password_reset"), {"email": cast.filler.email})
    link = re.search(
        r"https?://[^/]+(/accounts/password/reset/\S+/\S+/)", mail.outbox[-1].body
    ).group(1)
    form_page = client.get(link, follow=True)
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_url, {"new_password1": "Reset-pass-2026", "new_password2": "Reset-pass-2026"}
    )
    assert response.status_code == 302
    assert login(client, "filler", "Reset-pass-2026").status_code == 302
    assert AuditEvent.objects.filter(event="user.password_reset").exists()


def test_sessions_expire_after_idle_time_and_with_the_browser():
    assert settings.SESSION_COOKIE_AGE <= 2 * 60 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
