from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from filing.calls.models import Call
from filing.calls.presentation import remaining
from filing.orgs.models import Organisation


def home(request: HttpRequest) -> HttpResponse:
    """Open, upcoming and past calls; rehearsal copies are listed apart from the real ones."""
    now = timezone.now()
    calls = Call.objects.published().select_related("issuer")
    context = {
        "now": now,
        "open_calls": [
            (c, remaining(c.submission_deadline, now))
            for c in calls.open_at(now).order_by("submission_deadline")
        ],
        "upcoming_calls": calls.upcoming_at(now).order_by("opens_at"),
        "reviewing_calls": [
            c
            for c in calls.past_at(now).order_by("-submission_deadline")
            if c.final_deadline and c.final_deadline >= now
        ],
        "past_calls": [
            c
            for c in calls.past_at(now).order_by("-submission_deadline")
            if not c.final_deadline or c.final_deadline < now
        ],
    }
    return render(request, "front/home.html", context)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Each person's starting page, by role."""
    user = request.user
    now = timezone.now()
    context = {
        "open_calls": Call.objects.published().open_at(now).order_by("submission_deadline"),
    }
    if user.is_authority_staff:
        context["organisation_count"] = Organisation.objects.visible_to(user).count()
    return render(request, "front/dashboard.html", context)
