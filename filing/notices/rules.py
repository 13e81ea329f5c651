"""Which audit events tell whom what: one rule per event code, registered by decorator.

A rule receives the audit event just written (inside the step's transaction, so it reads the
state the step left) and returns the drafts of the notices to write. An event without a rule
tells nobody anything. Adding a notice for a new event is one function here and a test.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from filing.applications.models import Application
from filing.applications.services import deadline_of
from filing.audit.models import AuditEvent
from filing.notices.constants import NoticeKind
from filing.notices.messages import (
    ALL_STAFF,
    Draft,
    applicant_people,
    authority_staff,
    organisation_admins,
    phrase,
)
from filing.orgs.constants import Role
from filing.orgs.models import Authority
from filing.reviews.constants import ReviewStatus
from filing.reviews.models import LevelList, Review
from filing.reviews.services import list_reviews

Rule = Callable[[AuditEvent], list[Draft]]
RULES: dict[str, Rule] = {}


def rule(code: str) -> Callable[[Rule], Rule]:
    def register(func: Rule) -> Rule:
        if code in RULES:
            raise ValueError(f"a notice rule for {code!r} exists already")
        RULES[code] = func
        return func

    return register


def _application(event: AuditEvent) -> Application | None:
    if event.object_type != Application._meta.label_lower:
        return None
    return (
        Application.objects.select_related("call", "call_version", "organisation")
        .defer("call_version__definition")
        .filter(pk=event.object_id)
        .first()
    )


def _overview(app: Application) -> str:
    return reverse("applications:overview", args=[app.pk])


def _about(app: Application) -> dict[str, str]:
    return {"object_type": Application._meta.label_lower, "object_id": str(app.pk)}


def _deciding_authority(event: AuditEvent, app: Application, status: str) -> Authority | None:
    """The authority that took the step: the review in that state, else the actor's authority."""
    review = (
        Review.objects.filter(application=app, status=status)
        .select_related("authority")
        .order_by("-level_index")
        .first()
    )
    if review is not None:
        return review.authority
    actor = event.actor
    return actor.authority if actor is not None and actor.authority_id else None


# ----- applicants' own steps -----------------------------------------------------------------


@rule("application.sent_to_admin")
def sent_to_admin(event: AuditEvent) -> list[Draft]:
    app = _application(event)
    if app is None:
        return []
    body = [
        phrase(
            _("%(filler)s 已将申报“%(space)s”（%(call)s）提交机构管理员审核。"),
            filler=event.actor or event.actor_label,
            space=app,
            call=app.call,
        ),
        phrase(_("请审核后提交至审核单位，或写明意见退回填报人修改。")),
    ]
    deadline = deadline_of(app)
    if deadline:
        body.append(phrase(_("申报截止时间：%(deadline)s（北京时间）。"), deadline=deadline))
    return [
        Draft(
            kind=NoticeKind.AWAITING_APPROVAL,
            recipients=organisation_admins(app.organisation_id),
            subject=phrase(_("申报“%(space)s”待您审核提交"), space=app),
            body=body,
            link=_overview(app),
            **_about(app),
        )
    ]


@rule("application.submitted")
def submitted(event: AuditEvent) -> list[Draft]:
    """The level that receives it: the first one, or the one that returned it."""
    app = _application(event)
    if app is None:
        return []
    review = (
        Review.objects.filter(application=app, status=ReviewStatus.RECEIVED)
        .select_related("authority")
        .order_by("-received_at", "-pk")
        .first()
    )
    if review is None:
        return []
    again = int(event.data.get("version") or 1) > 1
    body = [
        phrase(
            _("%(org)s 修改后重新提交了申报“%(space)s”（%(call)s，第 %(version)s 版）。")
            if again
            else _("%(org)s 提交了申报“%(space)s”（%(call)s）。"),
            org=app.organisation.name,
            space=app,
            call=app.call,
            version=event.data.get("version", 1),
        ),
        phrase(_("申报已到达 %(authority)s，请及时受理。"), authority=review.authority),
    ]
    return [
        Draft(
            kind=NoticeKind.APPLICATION_RECEIVED,
            recipients=authority_staff(review.authority_id, [Role.REVIEWER]),
            subject=phrase(_("收到新申报“%(space)s”"), space=app),
            body=body,
            link=reverse("reviews:detail", args=[review.pk]),
            **_about(app),
        )
    ]


# ----- what the levels decide ----------------------------------------------------------------


@rule("review.returned")
def returned(event: AuditEvent) -> list[Draft]:
    app = _application(event)
    if app is None:
        return []
    authority = _deciding_authority(event, app, ReviewStatus.RETURNED)
    body = [
        phrase(
            _("%(authority)s 将您机构的申报“%(space)s”（%(call)s）退回修改。"),
            authority=authority or "",
            space=app,
            call=app.call,
        ),
        phrase(
            _("退回理由：%(reasons)s"), reasons=app.review_comment or event.data.get("reasons", "")
        ),
    ]
    if app.resubmit_by:
        body.append(
            phrase(
                _("请在 %(deadline)s（北京时间）前修改并由机构管理员重新提交。"),
                deadline=app.resubmit_by,
            )
        )
    return [
        Draft(
            kind=NoticeKind.RETURNED,
            recipients=applicant_people(app),
            subject=phrase(_("申报“%(space)s”被退回修改"), space=app),
            body=body,
            link=_overview(app),
            **_about(app),
        )
    ]


@rule("review.list_signed_off")
def list_signed_off(event: AuditEvent) -> list[Draft]:
    """Decisions to recommend or not are provisional until the leader signs the list: only then
    do applicants hear them, each about their own application."""
    level_key = event.data.get("level", "")
    lists = LevelList.objects.select_related("call", "authority").filter(
        call_id=event.object_id, level_key=level_key
    )
    actor = event.actor
    if actor is not None and actor.authority_id:
        lists = lists.filter(authority_id=actor.authority_id)
    else:
        lists = lists.filter(authority__name=event.data.get("authority", ""))
    lst = lists.first()
    if lst is None:
        return []
    reviews = list_reviews(lst).filter(
        status__in=[ReviewStatus.RECOMMENDED, ReviewStatus.NOT_RECOMMENDED]
    )
    drafts = []
    for review in reviews.select_related(
        "application", "application__call", "application__call_version", "application__organisation"
    ):
        app = review.application
        if review.status == ReviewStatus.RECOMMENDED:
            route = app.definition.route
            following = (
                route[review.level_index + 1] if review.level_index + 1 < len(route) else None
            )
            body = [
                phrase(
                    _(
                        "%(authority)s 已签发本级推荐名单，您机构的申报“%(space)s”（%(call)s）获得推荐。"
                    ),
                    authority=lst.authority,
                    space=app,
                    call=app.call,
                )
            ]
            if following is not None:
                body.append(phrase(_("申报将报送%(level)s继续审核。"), level=following.title))
            drafts.append(
                Draft(
                    kind=NoticeKind.RECOMMENDED,
                    recipients=applicant_people(app),
                    subject=phrase(
                        _("申报“%(space)s”获 %(authority)s 推荐"),
                        space=app,
                        authority=lst.authority,
                    ),
                    body=body,
                    link=_overview(app),
                    key=f"application:{app.pk}",
                    **_about(app),
                )
            )
        else:
            drafts.append(
                Draft(
                    kind=NoticeKind.NOT_RECOMMENDED,
                    recipients=applicant_people(app),
                    subject=phrase(
                        _("申报“%(space)s”未获 %(authority)s 推荐"),
                        space=app,
                        authority=lst.authority,
                    ),
                    body=[
                        phrase(
                            _(
                                "%(authority)s 已签发本级推荐名单，您机构的申报“%(space)s”（%(call)s）未获推荐。"
                            ),
                            authority=lst.authority,
                            space=app,
                            call=app.call,
                        ),
                        phrase(_("理由：%(reason)s"), reason=review.decision_reason),
                    ],
                    link=_overview(app),
                    key=f"application:{app.pk}",
                    **_about(app),
                )
            )
    return drafts


@rule("review.filed")
def filed(event: AuditEvent) -> list[Draft]:
    app = _application(event)
    if app is None:
        return []
    authority = _deciding_authority(event, app, ReviewStatus.FILED)
    return [
        Draft(
            kind=NoticeKind.FILED,
            recipients=applicant_people(app),
            subject=phrase(_("“%(space)s”准予备案"), space=app),
            body=[
                phrase(
                    _("%(authority)s 准予您机构的“%(space)s”（%(call)s）备案，已列入备案名单。"),
                    authority=authority or "",
                    space=app,
                    call=app.call,
                )
            ],
            link=_overview(app),
            **_about(app),
        )
    ]


@rule("review.not_filed")
def not_filed(event: AuditEvent) -> list[Draft]:
    app = _application(event)
    if app is None:
        return []
    authority = _deciding_authority(event, app, ReviewStatus.NOT_FILED)
    reason = event.data.get("reason", "")
    review = Review.objects.filter(application=app, status=ReviewStatus.NOT_FILED).first()
    if review is not None and review.decision_reason:
        reason = review.decision_reason
    return [
        Draft(
            kind=NoticeKind.NOT_FILED,
            recipients=applicant_people(app),
            subject=phrase(_("“%(space)s”不予备案"), space=app),
            body=[
                phrase(
                    _("%(authority)s 决定对您机构的“%(space)s”（%(call)s）不予备案。"),
                    authority=authority or "",
                    space=app,
                    call=app.call,
                ),
                phrase(_("理由：%(reason)s"), reason=reason),
            ],
            link=_overview(app),
            **_about(app),
        )
    ]


# ----- publicity ---------------------------------------------------------------------------


def _when(value) -> datetime | str:
    """A time written into event data: an ISO time or date, shown in Beijing time."""
    if isinstance(value, datetime | date):
        return value
    text = str(value or "")
    moment = parse_datetime(text)
    if moment is not None:
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
    day = parse_date(text)
    return day.isoformat() if day else text


@rule("publicity.opened")
def publicity_opened(event: AuditEvent) -> list[Draft]:
    """Each applicant on the publicised list hears that the list is public, and until when."""
    data = event.data or {}
    ids = [int(pk) for pk in data.get("application_ids") or [] if str(pk).isdigit()]
    link = reverse("publicity:notice", args=[int(event.object_id)])
    drafts = []
    for app in Application.objects.filter(pk__in=ids).select_related("call", "organisation"):
        drafts.append(
            Draft(
                kind=NoticeKind.PUBLICITY_OPENED,
                recipients=applicant_people(app),
                subject=phrase(_("“%(space)s”列入公示"), space=app),
                body=[
                    phrase(
                        _(
                            "%(authority)s 发布了公示“%(title)s”，您机构的“%(space)s”（%(call)s）列入公示名单。"
                        ),
                        authority=data.get("authority", ""),
                        title=data.get("title", ""),
                        space=app,
                        call=app.call,
                    ),
                    phrase(
                        _(
                            "公示截止：%(closes)s（北京时间）。公示期内如有异议，可通过公示页面提出。"
                        ),
                        closes=_when(data.get("closes_at")),
                    ),
                ],
                link=link,
                key=f"application:{app.pk}",
                object_type=event.object_type,
                object_id=event.object_id,
            )
        )
    return drafts


@rule("publicity.objection_lodged")
def objection_lodged(event: AuditEvent) -> list[Draft]:
    """The staff of the authority that runs the publicity hear of each objection; the notice
    does not repeat what the objection says or who lodged it."""
    data = event.data or {}
    authority_id = data.get("authority_id")
    publicity_id = data.get("publicity_id")
    if not str(authority_id or "").isdigit() or not str(publicity_id or "").isdigit():
        return []
    title = data.get("title", "")
    return [
        Draft(
            kind=NoticeKind.OBJECTION_LODGED,
            recipients=authority_staff(int(authority_id), ALL_STAFF),
            subject=phrase(_("公示“%(title)s”收到新的异议"), title=title)
            if title
            else phrase(_("公示收到新的异议")),
            body=[phrase(_("公示收到一条新的异议，请登录平台查看并在公示期内处理。"))],
            link=reverse("publicity:manage", args=[int(publicity_id)]),
            object_type=event.object_type,
            object_id=event.object_id,
        )
    ]
