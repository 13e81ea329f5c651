"""Logins and logouts go into the audit trail."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from filing.audit.services import record


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    record("user.logged_in", actor=user, obj=user)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record("user.logged_out", actor=user, obj=user)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    record("user.login_failed", data={"username": str(credentials.get("username", ""))[:150]})
