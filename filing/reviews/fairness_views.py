"""Pages for extending deadlines and declaring a conflict of interest.

Each shows what will happen on GET (the form, then a confirmation of what was typed) and acts
on POST through reviews.deadlines or reviews.services.
"""

from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from filing.applications.services import submission_deadline
from filing.calls.schema import SHANGHAI
from filing.orgs.access import authority_staff_required
from filing.orgs.models import Authority
from filing.reviews import deadlines, services
from filing.reviews.constants import ExtensionKind
from filing.reviews.fairness import granted_extensions, lower_authorities
from filing.reviews.models import ConflictDeclaration, DeadlineExtension
from filing.reviews.views import _list_for, get_review_for, route_level


def parse_deadline(text: str) -> datetime | None:
    """A date means the end of that day; a date and time (as a browser sends it) is Beijing time."""
    text = (text or "").strip()
    try:
        day = parse_date(text)
        if day is not None:
            return datetime.combine(day, time(23, 59, 59), tzinfo=SHANGHAI)
        moment = parse_datetime(text)
    except ValueError:
        return None
    if moment is None:
        return None
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=SHANGHAI)


class ExtensionInput:
    """What the extension form carries, read from GET (to confirm) or POST (to act)."""

    def __init__(self, data, choices: list[Authority]):
        self.raw_deadline = data.get("new_deadline", "").strip()[:40]
        self.reason = data.get("reason", "").strip()[:2000]
        self.authority_code = data.get("authority", "").strip()[:60]
        self.new_deadline = parse_deadline(self.raw_deadline)
        self.for_authority = next((a for a in choices if a.code == self.authority_code), None)
        self.errors: list[str] = []
        if self.new_deadline is None:
            self.errors.append(_("请填写新的截止时间（日期，或日期和时间）。"))
        if not self.reason:
            self.errors.append(_("请写明延期理由。"))
        if self.authority_code and self.for_authority is None:
            self.errors.append(_("请从列表中选择下级单位。"))


def _extend(
    request: HttpRequest, context: dict, choices: list[Authority], grant, done_url: str
) -> HttpResponse:
    """The shared GET (form, then confirmation) and POST (grant) of both extension pages."""
    posted = request.method == "POST"
    if posted or "new_deadline" in request.GET:
        entry = ExtensionInput(request.POST if posted else request.GET, choices)
        context["entry"] = entry
        if not entry.errors and posted:
            try:
                grant(entry)
            except services.ReviewError as exc:
                entry.errors.append(str(exc))
            else:
                messages.success(
                    request,
                    _("截止时间已延至 %(deadline)s（北京时间）。")
                    % {
                        "deadline": timezone.localtime(entry.new_deadline).strftime(
                            "%Y-%m-%d %H:%M"
                        )
                    },
                )
                return redirect(done_url)
        context["confirming"] = not entry.errors
    context["choices"] = choices
    status = 400 if posted else 200
    return render(request, "reviews/extend.html", context, status=status)


@authority_staff_required
def extend_list(request: HttpRequest, code: str, level_key: str) -> HttpResponse:
    """From a level's list page: more time for all applicants (first level), or for the level
    below (any other level), for all of it or one authority."""
    call, index = route_level(code, level_key)
    route = call.definition.route
    level = route[index]
    user = request.user
    # Refused before the level's list is looked up, which would make one for this authority.
    if not (deadlines.may_grant(user) and services.holds_level(user.authority, call, level)):
        raise PermissionDenied
    lst = _list_for(request, code, level_key)
    title = route[index - 1].title.get(get_language()) if index else ""
    if index == 0:
        kind = ExtensionKind.SUBMISSION
        choices: list[Authority] = []
        current = deadlines.general_submission_deadline(call, user.authority)

        def grant(entry: ExtensionInput) -> DeadlineExtension:
            return deadlines.extend_submission_deadline(
                call, actor=user, new_deadline=entry.new_deadline, reason=entry.reason
            )

    else:
        kind = ExtensionKind.LEVEL
        choices = lower_authorities(user.authority.jurisdiction_root, route[index - 1])
        current = None

        def grant(entry: ExtensionInput) -> DeadlineExtension:
            return deadlines.extend_level_deadline(
                call,
                route[index - 1].key,
                actor=user,
                new_deadline=entry.new_deadline,
                reason=entry.reason,
                for_authority=entry.for_authority,
            )

    context = {
        "call": call,
        "lst": lst,
        "level": level,
        "kind": kind,
        "lower_title": title,
        "lower_deadline": route[index - 1].deadline if index else None,
        "current": current,
        "granted": granted_extensions(call, level, user.authority),
        "action": request.path,
        "back": _list_url(code, level_key),
    }
    return _extend(request, context, choices, grant, _list_url(code, level_key))


def _list_url(code: str, level_key: str) -> str:
    from django.urls import reverse

    return reverse("reviews:level_list", args=[code, level_key])


@authority_staff_required
def extend_application(request: HttpRequest, pk: int) -> HttpResponse:
    """From a review's page: more time for this one application to (re)submit."""
    from django.urls import reverse

    review = get_review_for(request.user, pk)
    user = request.user
    if services.has_conflict(review.application_id, user):
        raise PermissionDenied
    if not (deadlines.may_grant(user) and review.authority_id == user.authority_id):
        raise PermissionDenied
    app = review.application

    def grant(entry: ExtensionInput) -> DeadlineExtension:
        return deadlines.extend_submission_deadline(
            app.call,
            actor=user,
            new_deadline=entry.new_deadline,
            reason=entry.reason,
            application=app,
        )

    context = {
        "review": review,
        "app": app,
        "kind": ExtensionKind.SUBMISSION,
        "current": submission_deadline(app),
        "granted": DeadlineExtension.objects.filter(
            kind=ExtensionKind.SUBMISSION, application=app
        ).select_related("granted_by"),
        "action": request.path,
        "back": reverse("reviews:detail", args=[review.pk]),
    }
    return _extend(request, context, [], grant, reverse("reviews:detail", args=[review.pk]))


@authority_staff_required
def declare_conflict(request: HttpRequest, pk: int) -> HttpResponse:
    """回避: the page shows who the application is from, never its materials."""
    review = get_review_for(request.user, pk)
    declaration = ConflictDeclaration.objects.filter(
        application_id=review.application_id, user=request.user
    ).first()
    reason = ""
    if request.method == "POST" and declaration is None:
        reason = request.POST.get("reason", "")[:2000]
        try:
            services.declare_conflict(review, actor=request.user, reason=reason)
        except services.ReviewError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("已声明回避。您将不能再查看或办理该申报，本单位负责人可以看到此声明。")
            )
            return redirect("reviews:workbench")
    return render(
        request,
        "reviews/conflict.html",
        {"review": review, "app": review.application, "declaration": declaration, "reason": reason},
        status=400 if request.method == "POST" and declaration is None else 200,
    )
