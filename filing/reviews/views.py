from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from filing.applications.evaluation import Context, applies, rule_results
from filing.applications.printable import Printable
from filing.audit.models import AuditEvent
from filing.calls.models import Call
from filing.orgs.access import authority_staff_required
from filing.reference.models import Region
from filing.reviews import services
from filing.reviews.constants import ReviewStatus, SiteCheck
from filing.reviews.models import LevelList, Review

PAGE_SIZE = 50
SORTS = {
    "received": "received_at",
    "-received": "-received_at",
    "rank": "rank",
    "name": "application__space_name",
    "city": "application__organisation__city_id",
}


def _t(text) -> str:
    return text.get(get_language()) if text is not None else ""


def get_review_for(user, pk: int) -> Review:
    """404 outside the person's area; acting on it is checked again by each service."""
    qs = Review.objects.visible_to(user).select_related(
        "application",
        "application__call",
        "application__call_version",
        "application__organisation",
        "application__organisation__city",
        "application__organisation__province",
        "authority",
    )
    return get_object_or_404(qs, pk=pk)


@authority_staff_required
def workbench(request: HttpRequest) -> HttpResponse:
    """The applications at the person's authority (or in its whole area), filtered and searched."""
    params = request.GET
    scope = params.get("scope", "mine")
    reviews = (
        Review.objects.visible_to(request.user)
        if scope == "area"
        else Review.objects.held_by(request.user)
    )
    base = reviews
    if code := params.get("call"):
        reviews = reviews.filter(
            Q(application__call__code=code) | Q(application__call__feeds__code=code)
        )
    if track := params.get("track"):
        reviews = reviews.filter(application__track=track)
    if status := params.get("status"):
        reviews = reviews.filter(status=status)
    if city := params.get("city"):
        reviews = reviews.filter(application__organisation__city_id=city)
    if field := params.get("field", "").strip():
        reviews = reviews.filter(application__field_code__startswith=field)
    eligibility = params.get("eligibility")
    if eligibility == "fails":
        reviews = reviews.filter(application__rule_failures__gt=0)
    elif eligibility == "passes":
        reviews = reviews.filter(application__rule_failures=0, application__rule_undecided=0)
    elif eligibility == "undecided":
        reviews = reviews.filter(application__rule_undecided__gt=0)
    if query := params.get("q", "").strip()[:60]:
        reviews = reviews.filter(
            Q(application__space_name__icontains=query)
            | Q(application__organisation__name__icontains=query)
            | Q(application__organisation__credit_code__icontains=query.upper())
        )
    sort = SORTS.get(params.get("sort", "received"), "received_at")
    reviews = reviews.select_related(
        "application",
        "application__call",
        "application__organisation",
        "application__organisation__city",
        "authority",
    ).order_by(sort, "pk")
    page = Paginator(reviews, PAGE_SIZE).get_page(params.get("page"))
    calls = Call.objects.filter(pk__in=base.values("application__call")).order_by("-year", "code")
    cities = Region.objects.filter(pk__in=base.values("application__organisation__city")).order_by(
        "code"
    )
    query_string = params.copy()
    query_string.pop("page", None)
    context = {
        "page": page,
        "calls": calls,
        "cities": cities,
        "statuses": ReviewStatus.choices,
        "params": params,
        "scope": scope,
        "query_string": query_string.urlencode(),
        "sorts": SORTS,
    }
    return render(request, "reviews/workbench.html", context)


@authority_staff_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_review_for(request.user, pk)
    app = review.application
    ctx = Context.of(app)
    level = services.level_of(review)
    submission = app.submissions.filter(withdrawn_at__isnull=True).first()
    printable = Printable.from_dict(submission.content["printable"]) if submission else None
    checklist = [
        {
            "key": item.key,
            "text": _t(item.text),
            "source": item.source or "",
            "checked": bool(review.checklist.get(item.key)),
        }
        for item in ctx.definition.review_checklist
        if applies(item.tracks, app.track) and (not item.levels or review.level_key in item.levels)
    ]
    lst = LevelList.objects.filter(
        call=app.call, level_key=review.level_key, authority=review.authority
    ).first()
    context = {
        "review": review,
        "app": app,
        "level": level,
        "level_title": _t(level.title),
        "printable": printable,
        "submission": submission,
        "results": rule_results(ctx, timezone.localdate()),
        "checklist": checklist,
        "site_checks": SiteCheck.choices,
        "can_act": request.user.authority_id == review.authority_id,
        "list_signed": bool(lst and lst.signed_off_at),
        "events": AuditEvent.objects.for_object(app)[:30],
        "others": app.reviews.exclude(pk=review.pk).select_related("authority"),
        "files": {f.pk: f for f in app.files.all()},
    }
    return render(request, "reviews/detail.html", context)


def _act(request: HttpRequest, review: Review, action, success: str, **kwargs) -> HttpResponse:
    try:
        action(review, actor=request.user, **kwargs)
    except services.ReviewError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect("reviews:detail", review.pk)


@require_POST
@authority_staff_required
def take_up(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, get_review_for(request.user, pk), services.take_up, _("已受理。"))


@require_POST
@authority_staff_required
def save(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_review_for(request.user, pk)
    keys = {item.key for item in review.application.definition.review_checklist}
    checklist = {key: True for key in request.POST.getlist("checklist") if key in keys}
    site_check = request.POST.get("site_check", SiteCheck.UNCHECKED)
    if site_check not in SiteCheck.values:
        site_check = SiteCheck.UNCHECKED
    return _act(
        request,
        review,
        services.save_review,
        _("审核记录已保存。"),
        checklist=checklist,
        site_check=site_check,
        site_check_date=parse_date(request.POST.get("site_check_date", "") or ""),
        site_check_inspectors=request.POST.get("site_check_inspectors", "")[:200],
        site_check_findings=request.POST.get("site_check_findings", "")[:5000],
        opinion=request.POST.get("opinion", "")[:5000],
    )


@require_POST
@authority_staff_required
def return_for_revision(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_review_for(request.user, pk)
    day = parse_date(request.POST.get("resubmit_by", "") or "")
    if day is None:
        messages.error(request, _("请填写重新提交的截止日期。"))
        return redirect("reviews:detail", review.pk)
    resubmit_by = timezone.make_aware(datetime.combine(day, time(23, 59, 59)))
    return _act(
        request,
        review,
        services.return_for_revision,
        _("已退回申报单位修改。"),
        reasons=request.POST.get("reasons", "")[:5000],
        resubmit_by=resubmit_by,
    )


@require_POST
@authority_staff_required
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_review_for(request.user, pk)
    choice = request.POST.get("decision")
    if choice not in {"recommend", "not_recommend"}:
        raise Http404
    recommend = choice == "recommend"
    return _act(
        request,
        review,
        services.decide,
        _("已拟推荐。") if recommend else _("已决定不予推荐。"),
        recommend=recommend,
        reason=request.POST.get("reason", "")[:5000],
    )


@require_POST
@authority_staff_required
def decide_filing(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_review_for(request.user, pk)
    choice = request.POST.get("decision")
    if choice not in {"file", "not_file"}:
        raise Http404
    filed = choice == "file"
    return _act(
        request,
        review,
        services.decide_filing,
        _("已准予备案，已列入备案名单。") if filed else _("已决定不予备案。"),
        filed=filed,
        reason=request.POST.get("reason", "")[:5000],
    )


# ----- the level's list ----------------------------------------------------------------------


@authority_staff_required
def level_list(request: HttpRequest, code: str, level_key: str) -> HttpResponse:
    call = get_object_or_404(Call.objects.published(), code=code)
    level = next((lvl for lvl in call.definition.route if lvl.key == level_key), None)
    if level is None:
        raise Http404
    lst = _list_for(request, code, level_key)
    reviews = list(
        services.list_reviews(lst).select_related(
            "application", "application__organisation", "application__organisation__city"
        )
    )
    recommended = sorted(
        (r for r in reviews if r.status in {ReviewStatus.RECOMMENDED, ReviewStatus.FORWARDED}),
        key=lambda r: r.rank or 0,
    )
    context = {
        "call": call,
        "lst": lst,
        "level": level,
        "level_title": _t(level.title),
        "recommended": recommended,
        "others": [r for r in reviews if r not in recommended],
        "is_leader": request.user.role == "leader",
        "pending": sum(
            1 for r in reviews if r.status in {ReviewStatus.RECEIVED, ReviewStatus.IN_REVIEW}
        ),
        "has_summary": bool(
            call.definition.summary_table and call.definition.summary_table.level == level_key
        ),
    }
    return render(request, "reviews/level_list.html", context)


def _list_for(request: HttpRequest, code: str, level_key: str) -> LevelList:
    call = get_object_or_404(Call.objects.published(), code=code)
    if not any(lvl.key == level_key for lvl in call.definition.route):
        raise Http404
    lst, _created = LevelList.objects.get_or_create(
        call=call, level_key=level_key, authority_id=request.user.authority_id
    )
    return lst


def _list_act(
    request: HttpRequest, code: str, level_key: str, action, success: str, **kwargs
) -> HttpResponse:
    lst = _list_for(request, code, level_key)
    try:
        action(lst, actor=request.user, **kwargs)
    except services.ReviewError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect("reviews:level_list", code, level_key)


@require_POST
@authority_staff_required
def rank(request: HttpRequest, code: str, level_key: str) -> HttpResponse:
    lst = _list_for(request, code, level_key)
    try:
        wanted = {
            int(key.removeprefix("rank_")): int(value)
            for key, value in request.POST.items()
            if key.startswith("rank_")
        }
        order = sorted(wanted, key=lambda pk: (wanted[pk], pk))
        services.set_ranks(lst.call, level_key, actor=request.user, order=order)
    except (ValueError, services.ReviewError) as exc:
        messages.error(
            request, str(exc) if isinstance(exc, services.ReviewError) else _("排名数据有误。")
        )
    else:
        messages.success(request, _("排名已保存。"))
    return redirect("reviews:level_list", code, level_key)


@require_POST
@authority_staff_required
def sign_off(request: HttpRequest, code: str, level_key: str) -> HttpResponse:
    return _list_act(request, code, level_key, services.sign_off, _("推荐名单已签发。"))


@require_POST
@authority_staff_required
def forward(request: HttpRequest, code: str, level_key: str) -> HttpResponse:
    return _list_act(request, code, level_key, services.forward, _("推荐名单已报送上一级。"))


@authority_staff_required
def area(request: HttpRequest) -> HttpResponse:
    """An upper level's view of the levels below it, side by side, for one call."""
    root = request.user.authority.jurisdiction_root
    below = Review.objects.filter(authority__path__startswith=root.path).exclude(authority=root)
    calls = Call.objects.filter(pk__in=below.values("application__call")).order_by("-year", "code")
    code = request.GET.get("call") or (calls[0].code if calls else "")
    call = next((c for c in calls if c.code == code), None)
    rows = []
    if call is not None:
        counts = (
            below.filter(application__call=call)
            .values("authority", "authority__name", "level_key", "status")
            .annotate(n=Count("pk"))
            .order_by("authority__path")
        )
        lists = {
            (lst.authority_id, lst.level_key): lst
            for lst in LevelList.objects.filter(call=call, authority__path__startswith=root.path)
        }
        deadlines = {lvl.key: lvl.deadline for lvl in call.definition.route}
        now = timezone.now()
        by_authority: dict[tuple[int, str], dict] = {}
        for c in counts:
            key = (c["authority"], c["level_key"])
            row = by_authority.setdefault(
                key,
                {"name": c["authority__name"], "level": c["level_key"], "counts": {}, "total": 0},
            )
            row["counts"][c["status"]] = c["n"]
            row["total"] += c["n"]
        for key, row in by_authority.items():
            lst = lists.get(key)
            deadline = deadlines.get(row["level"])
            row["forwarded_at"] = lst.forwarded_at if lst else None
            row["signed_off_at"] = lst.signed_off_at if lst else None
            row["deadline"] = deadline
            row["late"] = bool(deadline and now > deadline and not row["forwarded_at"])
            rows.append(row)
    context = {
        "calls": calls,
        "call": call,
        "rows": rows,
        "statuses": ReviewStatus.choices,
    }
    return render(request, "reviews/area.html", context)


# ----- the package -------------------------------------------------------------------------

DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
}


def _download(content: bytes, name: str, kind: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(content, content_type=DOCUMENT_TYPES[kind])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}.{kind}"
    return response


@authority_staff_required
def letter(request: HttpRequest, code: str, level_key: str, kind: str) -> HttpResponse:
    from filing.documents.letter import render_letter_docx, render_letter_pdf

    if kind not in {"pdf", "docx"}:
        raise Http404
    from filing.reviews.package import letter_data

    lst = _list_for(request, code, level_key)
    data = letter_data(lst)
    if not data.spaces:
        messages.error(request, _("名单中没有拟推荐的申报。"))
        return redirect("reviews:level_list", code, level_key)
    render = render_letter_pdf if kind == "pdf" else render_letter_docx
    return _download(render(data), f"推荐函-{lst.authority.name}", kind)


@authority_staff_required
def summary(request: HttpRequest, code: str, level_key: str, kind: str) -> HttpResponse:
    from filing.documents.summary import render_summary_docx, render_summary_xlsx

    if kind not in {"xlsx", "docx"}:
        raise Http404
    from filing.reviews.package import summary_data

    lst = _list_for(request, code, level_key)
    data = summary_data(lst, draft=not lst.signed_off_at)
    if data is None:
        raise Http404
    render = render_summary_xlsx if kind == "xlsx" else render_summary_docx
    return _download(render(data), f"推荐汇总表-{lst.authority.name}", kind)


@authority_staff_required
def package(request: HttpRequest, code: str, level_key: str) -> HttpResponse:
    """All materials as one ZIP, built into a temporary file and streamed out."""
    import tempfile

    from django.http import FileResponse

    from filing.reviews.package import build_package

    lst = _list_for(request, code, level_key)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after streaming
    count = build_package(lst, handle)
    if not count:
        handle.close()
        messages.error(request, _("名单中没有拟推荐的申报。"))
        return redirect("reviews:level_list", code, level_key)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"申报材料-{lst.authority.name}.zip",
        content_type="application/zip",
    )


@require_POST
@authority_staff_required
def record_dishonesty(request: HttpRequest, pk: int) -> HttpResponse:
    from filing.orgs.access import get_organisation_for

    org = get_organisation_for(request.user, pk)
    starts_on = parse_date(request.POST.get("starts_on", "") or "")
    ends_on = parse_date(request.POST.get("ends_on", "") or "")
    if starts_on is None:
        messages.error(request, _("请填写起始日期。"))
    else:
        try:
            services.record_dishonesty(
                org,
                actor=request.user,
                reason=request.POST.get("reason", "")[:2000],
                starts_on=starts_on,
                ends_on=ends_on,
            )
        except services.ReviewError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("失信记录已保存。"))
    return redirect("orgs:organisation_detail", org.pk)
