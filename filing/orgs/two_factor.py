"""Two-factor login for authority staff: a TOTP code from an authenticator app after the password.

Staff decide on other people's applications, so a stolen password alone must not be enough.
After the password, a staff member with a confirmed device enters its current code; one
without a device is taken to set one up first (QR code, or the key typed in by hand). Until then
every other page sends them back here. Applicants are not asked. A lost phone is handled by a
platform administrator deleting the device in the admin site; the person then sets up a new one.

REQUIRE_STAFF_2FA switches this on (the default outside debug mode and tests).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

# Paths a staff member may open before the second step.
OPEN_PREFIXES = ("/accounts/two-factor/", "/accounts/logout/", "/static/", "/health/", "/i18n/")


def needs_second_factor(user) -> bool:
    return bool(
        settings.REQUIRE_STAFF_2FA
        and user.is_authenticated
        and (user.is_authority_staff or user.is_superuser)
        and not user.is_verified()
    )


def safe_next(request, default: str) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return default


class RequireStaffTwoFactorMiddleware:
    """Sends a staff member who has given only a password to the second step."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if needs_second_factor(request.user) and not request.path.startswith(OPEN_PREFIXES):
            target = reverse("orgs:two_factor")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
