from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import get_language

from filing.calls.models import Call
from filing.calls.presentation import CallPage


def call_detail(request: HttpRequest, code: str) -> HttpResponse:
    call = get_object_or_404(
        Call.objects.published().select_related("issuer", "current_version", "feeds"), code=code
    )
    page = CallPage(call, now=timezone.now(), language=get_language())
    return render(request, "calls/call_detail.html", {"call": call, "page": page})
