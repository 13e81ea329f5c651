"""A person's inbox: their own notices only, newest first."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from filing.notices import services
from filing.notices.constants import PAGE_SIZE
from filing.notices.models import Notice


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    notices = Notice.objects.for_user(request.user)
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notices/inbox.html", {"page": page})


@login_required
def open_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """Opening marks the notice read (GET: it is how a link in an inbox or an e-mail opens), then
    goes where it leads if that is a page of this site; otherwise the notice is shown."""
    notice = get_object_or_404(Notice.objects.for_user(request.user), pk=pk)
    services.mark_read(notice)
    if notice.local_link:
        return redirect(notice.local_link)
    return render(request, "notices/detail.html", {"notice": notice})


@require_POST
@login_required
def read_all(request: HttpRequest) -> HttpResponse:
    n = services.mark_all_read(request.user)
    if n:
        messages.success(request, _("已将 %(n)d 条消息标为已读。") % {"n": n})
    return redirect("notices:inbox")
