"""Who may open which page. Views call these instead of checking roles themselves."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from filing.orgs.models import Organisation


def applicant_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_applicant:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def org_admin_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_org_admin:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def authority_staff_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authority_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def get_organisation_for(user, pk: int) -> Organisation:
    """404 for an organisation outside the person's jurisdiction, as if it did not exist."""
    return get_object_or_404(
        Organisation.objects.visible_to(user).select_related("city", "province", "zone"), pk=pk
    )
