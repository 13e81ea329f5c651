"""Failed logins are limited per user name and address (django-axes): after AXES_FAILURE_LIMIT
wrong passwords (five) the next try, the sixth, is refused even with the right password, with a
message in Chinese or English; the lock reads the same whether or not the account exists, and
another address or another account is not locked with it."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from filing.orgs.tests.factories import PASSWORD

ADDRESS = "203.0.113.7"


def login(client: Client, username: str, password: str, address: str = ADDRESS):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def fail_until_locked(client: Client, username: str, address: str = ADDRESS) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, username, "wrong-password", address)


def visible_text(response) -> str:
    """The page without the parts that differ between any two requests (tokens, ids)."""
    html = response.content.decode()
    html = re.sub(r'value="[^"]*"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", html)


def test_the_sixth_try_is_refused_even_with_the_right_password(cast, client):
    for attempt in range(1, settings.AXES_FAILURE_LIMIT):
        response = login(client, "filler", "wrong-password")
        assert response.status_code == 200, attempt
        assert "账号暂时锁定" not in response.content.decode()
    locked = login(client, "filler", "wrong-password")
    assert locked.status_code == 429
    sixth = login(client, "filler", PASSWORD)
    assert sixth.status_code == 429
    page = sixth.content.decode()
    assert "该用户名在本地址登录失败次数过多，已暂时锁定。请30分钟后再试" in page
    assert "_auth_user_id" not in client.session


def test_the_lock_speaks_english_when_english_was_chosen(cast, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    fail_until_locked(client, "filler")
    page = login(client, "filler", PASSWORD).content.decode()
    assert "Too many failed logins for this user name from this address" in page
    assert "try again in 30 minutes" in page


def test_the_lock_names_the_configured_time(cast, client, settings):
    from datetime import timedelta

    settings.AXES_COOLOFF_TIME = timedelta(minutes=45)
    fail_until_locked(client, "filler")
    assert "请45分钟后再试" in login(client, "filler", PASSWORD).content.decode()


def test_the_lock_does_not_tell_whether_the_account_exists(cast):
    """Wrong passwords for a real account and for a made-up name read the same, before and
    once locked, so the login page cannot be used to find out who has an account."""
    real, made_up = Client(), Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        one, other = login(real, "filler", "wrong"), login(made_up, "no-such-person", "wrong")
        assert one.status_code == other.status_code == 200
        assert visible_text(one).replace("filler", "NAME") == visible_text(other).replace(
            "no-such-person", "NAME"
        )
    one, other = login(real, "filler", "wrong"), login(made_up, "no-such-person", "wrong")
    assert one.status_code == other.status_code == 429
    assert visible_text(one) == visible_text(other)
    assert "filler" not in one.content.decode()


def test_another_address_and_another_account_are_not_locked(cast, client):
    fail_until_locked(client, "filler")
    assert login(client, "filler", PASSWORD).status_code == 429
    assert login(Client(), "filler", PASSWORD, address="198.51.100.23").status_code == 302
    assert login(Client(), "org-admin", PASSWORD).status_code == 302


@pytest.mark.parametrize("wrong", [" ", "x" * 300, "密码错了"])
def test_odd_passwords_count_as_failures_and_never_error(cast, client, wrong):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert login(client, "filler", wrong).status_code in {200, 429}
    assert login(client, "filler", PASSWORD).status_code == 429
