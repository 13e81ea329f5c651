from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from filing.calls.forms import DefinitionUploadForm
from filing.calls.loading import DefinitionError, check_text, load_text
from filing.calls.models import Call
from filing.calls.presentation import CallPage


def call_detail(request: HttpRequest, code: str) -> HttpResponse:
    call = get_object_or_404(
        Call.objects.published().select_related("issuer", "current_version", "feeds"), code=code
    )
    page = CallPage(call, now=timezone.now(), language=get_language())
    return render(request, "calls/call_detail.html", {"call": call, "page": page})


@staff_member_required
def upload_definition(request: HttpRequest) -> HttpResponse:
    """The platform admin checks or loads a call definition by uploading its file."""
    if not request.user.is_superuser:
        raise PermissionDenied
    form = DefinitionUploadForm(request.POST or None, request.FILES or None)
    problems: list = []
    checked = None
    if request.method == "POST" and form.is_valid():
        name, text = form.cleaned_data["file"]
        try:
            if form.cleaned_data["check_only"]:
                checked = check_text(text, name).definition
            else:
                result = load_text(text, name, actor=request.user)
                if result.loaded:
                    call = result.loaded[0].call
                    messages.success(
                        request,
                        _("已载入 %(code)s 第 %(version)s 版。")
                        % {"code": call.code, "version": result.loaded[0].version},
                    )
                    return redirect("calls:detail", call.code)
                messages.info(request, _("该版本已载入，内容相同，未作改动。"))
        except DefinitionError as exc:
            problems = exc.problems
    return render(
        request,
        "calls/upload_definition.html",
        {"form": form, "problems": problems, "checked": checked},
    )
