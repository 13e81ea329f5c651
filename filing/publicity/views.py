"""Public publicity pages and the objection form; the staff page that handles objections."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from filing.applications import uploads
from filing.calls.models import Call
from filing.orgs.access import authority_staff_required
from filing.publicity import services
from filing.publicity.constants import MAX_OBJECTION_FILES, ObjectionStatus
from filing.publicity.forms import ObjectionForm, PublicityForm
from filing.publicity.models import Objection, ObjectionFile, Publicity
from filing.reviews.models import LevelList
from filing.reviews.services import holds_level


def _public(qs=None):
    return (qs or Publicity.objects.all()).select_related(
        "level_list__call", "level_list__authority"
    )


def index(request: HttpRequest) -> HttpResponse:
    """Open notices first, then the closed ones, newest first."""
    now = timezone.now()
    publicities = _public().annotate(
        listed=Count("entries", filter=Q(entries__removed_at__isnull=True))
    )
    current = list(publicities.filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at"))
    past = Paginator(publicities.filter(closes_at__lte=now).order_by("-closes_at"), 30)
    return render(
        request,
        "publicity/index.html",
        {"current": current, "page": past.get_page(request.GET.get("page")), "now": now},
    )


def notice(request: HttpRequest, pk: int) -> HttpResponse:
    publicity = get_object_or_404(_public(), pk=pk)
    entries = publicity.entries.filter(removed_at__isnull=True)
    return render(
        request,
        "publicity/notice.html",
        {
            "publicity": publicity,
            "entries": entries,
            "is_open": publicity.is_open(),
            "can_manage": _may_manage(request.user, publicity),
        },
    )


def _objection_rate(group, request) -> str:
    return settings.OBJECTION_RATE


@ratelimit(key="ip", rate=_objection_rate, method="POST", block=False)
def lodge(request: HttpRequest, pk: int) -> HttpResponse:
    """异议 form: real name and a telephone number, the facts, up to five files."""
    publicity = get_object_or_404(_public(), pk=pk)
    entries = list(publicity.entries.filter(removed_at__isnull=True))
    if not publicity.is_open():
        messages.error(request, _("不在公示期内，不能提出异议。"))
        return redirect("publicity:notice", pk)
    form = ObjectionForm(request.POST or None, entries=entries)
    if request.method == "POST":
        if getattr(request, "limited", False):
            messages.error(request, _("提交过于频繁，请稍后再试。"))
        elif form.is_valid():
            data = form.cleaned_data
            try:
                objection = services.lodge_objection(
                    publicity,
                    entry_id=data["entry"],
                    name=data["name"],
                    phone=data["phone"],
                    email=data["email"],
                    content=data["content"],
                    files=request.FILES.getlist("files"),
                )
            except services.PublicityError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("异议已收到，请保存受理编号以便查询处理结果。"))
                return redirect("publicity:objection_status", objection.reference)
    return render(
        request,
        "publicity/lodge.html",
        {
            "publicity": publicity,
            "form": form,
            "max_files": MAX_OBJECTION_FILES,
            "max_mb": uploads.max_bytes() // 1048576,
        },
    )


def find_objection(request: HttpRequest) -> HttpResponse:
    reference = "".join(ch for ch in request.GET.get("reference", "") if ch.isalnum())[:12]
    if not reference:
        return redirect("publicity:index")
    return redirect("publicity:objection_status", reference)


def objection_status(request: HttpRequest, reference: str) -> HttpResponse:
    """Whoever holds the reference sees how the objection was handled, and nothing personal."""
    objection = get_object_or_404(
        Objection.objects.select_related("publicity", "entry"), reference=reference.upper()[:12]
    )
    return render(request, "publicity/objection_status.html", {"objection": objection})


def _may_manage(user, publicity: Publicity) -> bool:
    return bool(
        user.is_authenticated
        and user.is_authority_staff
        and user.authority_id == publicity.level_list.authority_id
    )


def _managed(request: HttpRequest, pk: int) -> Publicity:
    """Staff of the publishing authority only; everyone else is told it does not exist."""
    publicity = get_object_or_404(_public(), pk=pk)
    if not _may_manage(request.user, publicity):
        raise Http404
    return publicity


@authority_staff_required
def manage(request: HttpRequest, pk: int) -> HttpResponse:
    publicity = _managed(request, pk)
    objections = publicity.objections.select_related("entry", "handled_by").prefetch_related(
        "files"
    )
    return render(
        request,
        "publicity/manage.html",
        {
            "publicity": publicity,
            "objections": objections,
            "entries": publicity.entries.all(),
            "pending": sum(1 for o in objections if o.status == ObjectionStatus.PENDING),
            "is_over": publicity.is_over(),
        },
    )


@require_POST
@authority_staff_required
def handle(request: HttpRequest, pk: int) -> HttpResponse:
    objection = get_object_or_404(Objection.objects.select_related("publicity"), pk=pk)
    publicity = _managed(request, objection.publicity_id)
    choice = request.POST.get("decision")
    if choice not in {"uphold", "dismiss"}:
        raise Http404
    try:
        services.handle_objection(
            objection,
            actor=request.user,
            upheld=choice == "uphold",
            response=request.POST.get("response", "")[:5000],
        )
    except services.PublicityError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("已认定异议成立，该申报已移出推荐名单。")
            if choice == "uphold"
            else _("已认定异议不成立。"),
        )
    return redirect("publicity:manage", publicity.pk)


@authority_staff_required
def objection_file(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    objection = get_object_or_404(Objection, pk=pk)
    _managed(request, objection.publicity_id)
    stored = get_object_or_404(ObjectionFile, pk=file_pk, objection=objection)
    return uploads.serve_private(
        stored.file, filename=stored.original_name, content_type=stored.content_type
    )


@authority_staff_required
def open_publicity(request: HttpRequest, code: str, level_key: str) -> HttpResponse:
    """Confirmation and settings on GET; the list is published on POST."""
    call = get_object_or_404(Call.objects.published(), code=code)
    level = next((lvl for lvl in call.definition.route if lvl.key == level_key), None)
    if level is None or not holds_level(request.user.authority, call, level):
        raise Http404
    lst, _created = LevelList.objects.get_or_create(
        call=call, level_key=level_key, authority_id=request.user.authority_id
    )
    existing = Publicity.objects.filter(level_list=lst).first()
    if existing is not None:
        return redirect("publicity:manage", existing.pk)
    initial = {
        "title": services.default_title(lst),
        "closes_on": timezone.localdate() + timedelta(days=7),
    }
    form = PublicityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            publicity = services.open_publicity(
                lst,
                actor=request.user,
                closes_at=form.closes_at(),
                title=form.cleaned_data["title"],
                statement=form.cleaned_data["statement"],
                contact=form.cleaned_data["contact"],
            )
        except services.PublicityError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("公示已发布。"))
            return redirect("publicity:notice", publicity.pk)
    return render(request, "publicity/open.html", {"form": form, "call": call, "lst": lst})
