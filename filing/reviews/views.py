from __future__ import annotations

from datetime import date, datetime, time

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
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
from filing.integrity import presentation as integrity
from filing.orgs.access import authority_staff_required
from filing.publicity.models import Publicity
from filing.reviews import fairness, services
from filing.reviews import workbench as workbench_queries
from filing.reviews.constants import JobStatus, ReviewStatus, SiteCheck
from filing.reviews.models import ConflictDeclaration, LevelList, PackageBuild, Review
from filing.reviews.rows import rows_html
from filing.reviews.workbench import PAGE_SIZE, SORTS


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
    reviews = workbench_queries.filtered(request.user, params)
    page = Paginator(reviews, PAGE_SIZE).get_page(params.get("page"))
    calls, cities = workbench_queries.filter_choices(request.user, scope)
    query_string = params.copy()
    query_string.pop("page", None)
    context = {
        "page": page,
        "rows": rows_html(page),
        "calls": calls,
        "cities": cities,
        "statuses": ReviewStatus.choices,
        "params": params,
        "scope": scope,
        "query_string": query_string.urlencode(),
        "sorts": SORTS,
        "integrity_choices": integrity.FILTER_CHOICES,
    }
    return render(request, "reviews/workbench.html", context)


@authority_staff_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_review_for(request.user, pk)
    if conflicted := _conflict_page(request, review):
        return conflicted
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
        "publicised": bool(lst and Publicity.objects.filter(level_list=lst).exists()),
        "can_withdraw": request.user.authority_id == review.authority_id
        and review.status in services.WITHDRAWABLE
        and app.reviews.filter(
            status__in=[ReviewStatus.RECOMMENDED, ReviewStatus.FORWARDED, ReviewStatus.FILED]
        ).exists(),
        "events": AuditEvent.objects.for_object(app)[:30],
        "others": app.reviews.exclude(pk=review.pk).select_related("authority"),
        "files": {f.pk: f for f in app.files.all()},
        "signals": integrity.signals_for(app, request.user),
    }
    context.update(fairness.detail_context(request.user, review, timezone.now()))
    return render(request, "reviews/detail.html", context)


def _conflict_page(request: HttpRequest, review: Review) -> HttpResponse | None:
    """A person who declared a conflict with the application sees nothing of it (403)."""
    declaration = ConflictDeclaration.objects.filter(
        application_id=review.application_id, user=request.user
    ).first()
    if declaration is None:
        return None
    return render(
        request,
        "reviews/conflicted.html",
        {"review": review, "declaration": declaration},
        status=403,
    )


def _act(request: HttpRequest, review: Review, action, success: str, **kwargs) -> HttpResponse:
    if services.has_conflict(review.application_id, request.user):
        raise PermissionDenied(_("您已声明回避该申报，不能办理。"))
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


def _posted_day(request: HttpRequest, key: str) -> date | None:
    """A posted YYYY-MM-DD, or None when it is empty or names no real day (2024-02-30)."""
    try:
        return parse_date(request.POST.get(key, "").strip())
    except ValueError:
        return None


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
        site_check_date=_posted_day(request, "site_check_date"),
        site_check_inspectors=request.POST.get("site_check_inspectors", "")[:200],
        site_check_findings=request.POST.get("site_check_findings", "")[:5000],
        opinion=request.POST.get("opinion", "")[:5000],
    )


@require_POST
@authority_staff_required
def return_for_revision(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_review_for(request.user, pk)
    day = _posted_day(request, "resubmit_by")
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
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """撤销推荐: fraud found after the recommendation, optionally with a dishonesty record."""
    review = get_review_for(request.user, pk)
    until = _posted_day(request, "dishonesty_until")
    return _act(
        request,
        review,
        services.withdraw_for_fraud,
        _("已撤销推荐。"),
        reason=request.POST.get("reason", "")[:5000],
        record_dishonest=request.POST.get("record_dishonest") == "on",
        dishonesty_until=until,
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
        "publicity": Publicity.objects.filter(level_list=lst).first(),
        "last_build": lst.builds.first(),
        "needs_publicity": "publicity" in level.tasks,
    }
    context.update(fairness.list_context(request.user, lst, level, reviews))
    return render(request, "reviews/level_list.html", context)


def route_level(code: str, level_key: str) -> tuple[Call, int]:
    """The published call and the index of the level in its route; 404 for either unknown."""
    call = get_object_or_404(Call.objects.published(), code=code)
    index = next((i for i, lvl in enumerate(call.definition.route) if lvl.key == level_key), None)
    if index is None:
        raise Http404
    return call, index


def _list_for(request: HttpRequest, code: str, level_key: str) -> LevelList:
    """The person's own authority's list at this level; 404 for an authority that holds none
    there (the list is made on first use, and only for one that does)."""
    call, index = route_level(code, level_key)
    if not services.holds_level(request.user.authority, call, call.definition.route[index]):
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
        now = timezone.now()
        by_authority: dict[tuple[int, str], dict] = {}
        for c in counts:
            key = (c["authority"], c["level_key"])
            row = by_authority.setdefault(
                key,
                {
                    "authority": c["authority"],
                    "name": c["authority__name"],
                    "level": c["level_key"],
                    "counts": {},
                    "total": 0,
                },
            )
            row["counts"][c["status"]] = c["n"]
            row["total"] += c["n"]
        fairness.area_deadlines(call, list(by_authority.values()))
        for key, row in by_authority.items():
            lst = lists.get(key)
            row["forwarded_at"] = lst.forwarded_at if lst else None
            row["signed_off_at"] = lst.signed_off_at if lst else None
            row["late"] = bool(
                row["deadline"] and now > row["deadline"] and not row["forwarded_at"]
            )
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


@require_POST
@authority_staff_required
def package(request: HttpRequest, code: str, level_key: str) -> HttpResponse:
    """Start building all materials as one ZIP; the build page shows its progress."""
    from filing.reviews.jobs import request_package

    lst = _list_for(request, code, level_key)
    _refuse_if_recused(request, lst)
    try:
        build = request_package(lst, actor=request.user)
    except services.ReviewError as exc:
        messages.error(request, str(exc))
        return redirect("reviews:level_list", code, level_key)
    return redirect("reviews:package_build", build.pk)


def _refuse_if_recused(request: HttpRequest, lst: LevelList) -> None:
    """All materials include the applications this person declared a conflict on."""
    if ConflictDeclaration.objects.filter(
        user=request.user, application__in=services.list_reviews(lst).values("application")
    ).exists():
        raise PermissionDenied(_("您已声明回避名单中的申报，不能下载全部申报材料。"))


def _build_for(request: HttpRequest, pk: int) -> PackageBuild:
    """A build is seen by the staff of the list's authority only, and not by one recused."""
    build = get_object_or_404(
        PackageBuild.objects.select_related("level_list__call", "level_list__authority"),
        pk=pk,
        level_list__authority_id=request.user.authority_id,
    )
    _refuse_if_recused(request, build.level_list)
    return build


@authority_staff_required
def package_build(request: HttpRequest, pk: int) -> HttpResponse:
    """The build's progress; while it runs, htmx asks again every second for the bar alone."""
    build = _build_for(request, pk)
    template = "reviews/package_progress.html" if request.htmx else "reviews/package_build.html"
    return render(request, template, {"build": build, "lst": build.level_list})


@authority_staff_required
def package_download(request: HttpRequest, pk: int) -> HttpResponse:
    from filing.applications.uploads import serve_private

    build = _build_for(request, pk)
    if build.status != JobStatus.DONE or not build.file:
        raise Http404
    return serve_private(
        build.file,
        filename=f"申报材料-{build.level_list.authority.name}.zip",
        content_type="application/zip",
    )


@require_POST
@authority_staff_required
def record_dishonesty(request: HttpRequest, pk: int) -> HttpResponse:
    from filing.orgs.access import get_organisation_for

    org = get_organisation_for(request.user, pk)
    starts_on = _posted_day(request, "starts_on")
    ends_on = _posted_day(request, "ends_on")
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
