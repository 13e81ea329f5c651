"""Every step a level takes on an application, each guarded, locked and audited.

A step may be taken only by staff of the authority that holds the review who have not declared
a conflict of interest with the application, only in the states that allow it, and only before
the level's deadline (as extended, see reviews.deadlines).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from filing.applications.constants import Status
from filing.applications.models import Application
from filing.applications.services import set_status
from filing.audit.services import record
from filing.calls.models import Call
from filing.calls.schema import RouteLevel
from filing.orgs.constants import AuthorityKind, Role
from filing.orgs.models import Authority, User
from filing.publicity.models import Publicity, PublicityEntry
from filing.reviews.constants import OPEN, ReviewStatus, SiteCheck
from filing.reviews.models import ConflictDeclaration, DishonestyRecord, LevelList, Review


class ReviewError(Exception):
    """A refused step, with a message for the person who asked."""


# ----- guards ------------------------------------------------------------------------------


def level_of(review: Review) -> RouteLevel:
    return review.application.definition.route[review.level_index]


def _lock(review: Review) -> Review:
    return (
        # Only the review and its application are locked: the call's definition and the
        # authority are shared by every review of the bureau.
        Review.objects.select_for_update(of=("self", "application"))
        .select_related("application", "application__call_version", "authority")
        .get(pk=review.pk)
    )


def _require_staff(review: Review, actor: User) -> None:
    if not (actor.is_authority_staff and actor.authority_id == review.authority_id):
        raise ReviewError(
            _("只有 %(authority)s 的人员可以办理这一步。") % {"authority": review.authority}
        )


def _require_before_deadline(review: Review, now: datetime) -> None:
    from filing.reviews.deadlines import review_deadline  # it imports this module

    deadline = review_deadline(review).at
    if deadline and now > deadline:
        raise ReviewError(
            _("已过本级报送截止时间（%(deadline)s，北京时间），不能再作决定。")
            % {"deadline": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M")}
        )


def holds_level(authority: Authority, call, level: RouteLevel) -> bool:
    """Whether this authority can hold a list at this level of the call: the body the route
    names, or one of the level's kind within the issuer's area or above it (a provincial call's
    cities, its province, the ministry; not another province's bureaus)."""
    from filing.reviews.deadlines import holds_level as of_the_kind  # it imports this module

    if not of_the_kind(authority, level):
        return False
    if level.authority:
        return True
    issuer = call.issuer
    return (
        issuer is None
        or authority.path.startswith(issuer.path)
        or issuer.path.startswith(authority.path)
    )


def level_list(review: Review) -> LevelList:
    lst, _created = LevelList.objects.get_or_create(
        call=review.application.call, level_key=review.level_key, authority=review.authority
    )
    return lst


def _require_list_open(review: Review) -> None:
    lst = LevelList.objects.filter(
        call=review.application.call, level_key=review.level_key, authority=review.authority
    ).first()
    if lst and lst.signed_off_at:
        raise ReviewError(_("本级名单已由负责人签发，不能再修改。"))
    if lst and Publicity.objects.filter(level_list=lst).exists():
        raise ReviewError(_("本级名单已公示，不能再修改；公示异议成立的申报会移出名单。"))


def _require_no_live_record(review: Review, now: datetime) -> None:
    """An organisation with a live dishonesty record cannot be recommended or filed."""
    record_ = (
        DishonestyRecord.objects.live_on(timezone.localdate(now))
        .filter(organisation_id=review.application.organisation_id)
        .first()
    )
    if record_ is not None:
        raise ReviewError(
            _("该运营机构有未到期的失信记录（%(start)s 起：%(reason)s），不能推荐或备案。")
            % {"start": record_.starts_on.isoformat(), "reason": record_.reason[:100]}
        )


@transaction.atomic
def record_dishonesty(
    organisation, *, actor: User, reason: str, starts_on, ends_on=None
) -> DishonestyRecord:
    """Staff record 失信 against an organisation in their area."""
    from filing.orgs.models import Organisation

    if not actor.is_authority_staff:
        raise ReviewError(_("只有主管部门人员可以记录失信。"))
    if not Organisation.objects.visible_to(actor).filter(pk=organisation.pk).exists():
        raise ReviewError(_("该机构不在本单位辖区内。"))
    reason = reason.strip()
    if not reason:
        raise ReviewError(_("请写明失信事由。"))
    if ends_on and ends_on < starts_on:
        raise ReviewError(_("截止日期不能早于起始日期。"))
    entry = DishonestyRecord.objects.create(
        organisation=organisation,
        reason=reason,
        starts_on=starts_on,
        ends_on=ends_on,
        authority=actor.authority,
        recorded_by=actor,
    )
    record("org.dishonesty_recorded", actor=actor, obj=organisation, data={"reason": reason[:500]})
    return entry


def _set_application(
    app: Application,
    status: str,
    *,
    actor: User | None = None,
    now: datetime | None = None,
    **fields: Any,
) -> None:
    """Through applications.services.set_status, so every change is kept in the history."""
    set_status(app, status, actor=actor, at=now, **fields)


# ----- conflicts of interest ---------------------------------------------------------------


def has_conflict(application_id: int, user: User) -> bool:
    return ConflictDeclaration.objects.filter(application_id=application_id, user=user).exists()


def _require_no_conflict(review: Review, actor: User) -> None:
    """Whoever declared a conflict with an application takes no step on it."""
    if has_conflict(review.application_id, actor):
        raise ReviewError(_("您已声明回避该申报，不能办理。"))


@transaction.atomic
def declare_conflict(
    review: Review, *, actor: User, reason: str, now: datetime | None = None
) -> ConflictDeclaration:
    """回避: from now on the person cannot open the application or act on it. Irreversible.

    Staff who can see the review may declare. The last person of the holding authority who
    could still act may not: the authority would be left with nobody to handle the file; a
    colleague's account must be added first (see docs/reviewing.md).
    """
    now = now or timezone.now()
    review = _lock(review)
    if (
        not actor.is_authority_staff
        or not Review.objects.visible_to(actor).filter(pk=review.pk).exists()
    ):
        raise ReviewError(_("只有辖区内主管部门的人员可以声明回避。"))
    reason = reason.strip()
    if not reason:
        raise ReviewError(_("请写明回避事由。"))
    app = review.application
    if has_conflict(app.pk, actor):
        raise ReviewError(_("您已声明回避该申报。"))
    holds_open = Review.objects.filter(
        application=app, authority_id=actor.authority_id, status__in=[*OPEN, ReviewStatus.RETURNED]
    ).exists()
    if holds_open:
        others = (
            User.objects.filter(authority_id=actor.authority_id, is_active=True)
            .exclude(pk=actor.pk)
            .exclude(conflict_declarations__application=app)
        )
        if not others.exists():
            raise ReviewError(
                _(
                    "本单位已没有其他可以办理该申报的人员。请先由平台管理员为本单位增加办理人员，再声明回避。"
                )
            )
    declaration = ConflictDeclaration.objects.create(
        application=app, user=actor, authority=actor.authority, reason=reason, declared_at=now
    )
    record(
        "review.conflict_declared",
        actor=actor,
        obj=app,
        data={"authority": actor.authority.name, "reason": reason[:500]},
    )
    return declaration


# ----- receiving ---------------------------------------------------------------------------


def receive(
    application: Application, *, level_index: int, authority: Authority, now: datetime
) -> Review:
    """An application arrives at a level (first submission, resubmission, or forwarding)."""
    level = application.definition.route[level_index]
    copied = Review.copied_from(application)
    review, created = Review.objects.get_or_create(
        application=application,
        level_key=level.key,
        defaults={
            "level_index": level_index,
            "authority": authority,
            "received_at": now,
            **copied,
        },
    )
    if not created:
        review.status = ReviewStatus.RECEIVED
        review.received_at = now
        review.authority = authority
        review.decided_at = None
        review.decided_by = None
        for name, value in copied.items():
            setattr(review, name, value)
        review.save(
            update_fields=[
                "status",
                "received_at",
                "authority",
                "decided_at",
                "decided_by",
                "updated_at",
                *(name.removesuffix("_id") for name in copied),
            ]
        )
    return review


def next_authority(application: Application, level: RouteLevel) -> Authority:
    """Who holds the next level for this applicant: a fixed body, or the one for its place."""
    if level.authority:
        return Authority.objects.get(code=level.authority)
    org = application.organisation
    if level.level == AuthorityKind.PROVINCE:
        authority = Authority.objects.filter(
            kind=AuthorityKind.PROVINCE, region_id=org.province_id
        ).first()
    elif level.level == AuthorityKind.CITY:
        authority = org.city_authority
    else:
        authority = Authority.objects.filter(kind=level.level).order_by("path").first()
    if authority is None:
        raise ReviewError(_("找不到下一级审核单位，请联系平台管理员。"))
    return authority


# ----- one application ---------------------------------------------------------------------


@transaction.atomic
def take_up(review: Review, *, actor: User, now: datetime | None = None) -> None:
    """受理: from now on the applicant can no longer withdraw."""
    now = now or timezone.now()
    review = _lock(review)
    _require_staff(review, actor)
    _require_no_conflict(review, actor)
    if review.status != ReviewStatus.RECEIVED:
        raise ReviewError(_("该申报已受理。"))
    review.status = ReviewStatus.IN_REVIEW
    review.taken_up_at = now
    review.save(update_fields=["status", "taken_up_at", "updated_at"])
    app = review.application
    _set_application(
        app, Status.IN_REVIEW, actor=actor, now=now, taken_up_at=app.taken_up_at or now
    )
    record("review.taken_up", actor=actor, obj=app, data={"authority": review.authority.name})


@transaction.atomic
def save_review(
    review: Review,
    *,
    actor: User,
    checklist: dict[str, bool],
    site_check: str,
    site_check_date,
    site_check_inspectors: str,
    site_check_findings: str,
    opinion: str,
) -> None:
    review = _lock(review)
    _require_staff(review, actor)
    _require_no_conflict(review, actor)
    if review.status not in OPEN:
        raise ReviewError(_("该申报在本级已办结，不能再修改审核记录。"))
    _require_list_open(review)
    if site_check == SiteCheck.CHECKED and not (site_check_date and site_check_inspectors.strip()):
        raise ReviewError(_("记为“已核查”时，请填写核查日期和核查人员。"))
    review.checklist = checklist
    review.site_check = site_check
    review.site_check_date = site_check_date
    review.site_check_inspectors = site_check_inspectors.strip()
    review.site_check_findings = site_check_findings.strip()
    review.opinion = opinion.strip()
    review.save()
    record(
        "review.saved",
        actor=actor,
        obj=review.application,
        data={"authority": review.authority.name},
    )


@transaction.atomic
def return_for_revision(
    review: Review, *, actor: User, reasons: str, resubmit_by: datetime, now: datetime | None = None
) -> None:
    now = now or timezone.now()
    review = _lock(review)
    _require_staff(review, actor)
    _require_no_conflict(review, actor)
    if review.status not in OPEN:
        raise ReviewError(_("该申报在本级已办结。"))
    _require_list_open(review)
    _require_before_deadline(review, now)
    reasons = reasons.strip()
    if not reasons:
        raise ReviewError(_("请写明退回修改的理由。"))
    if resubmit_by <= now:
        raise ReviewError(_("重新提交的截止时间应晚于现在。"))
    review.status = ReviewStatus.RETURNED
    review.decision_reason = reasons
    review.rank = None
    review.decided_at, review.decided_by = now, actor
    review.save()
    _set_application(
        review.application,
        Status.RETURNED,
        actor=actor,
        now=now,
        review_comment=reasons,
        resubmit_by=resubmit_by,
        taken_up_at=None,
    )
    record("review.returned", actor=actor, obj=review.application, data={"reasons": reasons[:500]})


@transaction.atomic
def decide(
    review: Review, *, actor: User, recommend: bool, reason: str = "", now: datetime | None = None
) -> None:
    """推荐 or 不予推荐 (with a reason)."""
    now = now or timezone.now()
    review = _lock(review)
    _require_staff(review, actor)
    _require_no_conflict(review, actor)
    if review.status not in OPEN or review.status == ReviewStatus.RECEIVED:
        raise ReviewError(
            _("请先受理，再作决定。")
            if review.status == ReviewStatus.RECEIVED
            else _("该申报在本级已办结。")
        )
    _require_list_open(review)
    _require_before_deadline(review, now)
    if level_of(review).decides_filing:
        raise ReviewError(_("本级确定备案，请作备案决定。"))
    if not recommend and not reason.strip():
        raise ReviewError(_("不予推荐须写明理由。"))
    if recommend:
        _require_no_live_record(review, now)
    review.status = ReviewStatus.RECOMMENDED if recommend else ReviewStatus.NOT_RECOMMENDED
    review.decision_reason = "" if recommend else reason.strip()
    if recommend and review.rank is None:
        last = (
            Review.objects.filter(
                application__call=review.application.call,
                level_key=review.level_key,
                authority=review.authority,
                status=ReviewStatus.RECOMMENDED,
            )
            .exclude(pk=review.pk)
            .order_by("-rank")
            .values_list("rank", flat=True)
            .first()
        )
        review.rank = (last or 0) + 1
    if not recommend:
        review.rank = None
    review.decided_at, review.decided_by = now, actor
    review.save()
    event = "review.recommended" if recommend else "review.not_recommended"
    record(event, actor=actor, obj=review.application, data={"reason": reason[:500]})


@transaction.atomic
def set_ranks(
    call: Call, level_key: str, *, actor: User, order: list[int], now: datetime | None = None
) -> None:
    """Rank the recommended applications of one list: `order` is review ids, best first."""
    now = now or timezone.now()
    reviews = list(
        Review.objects.select_for_update().filter(
            application__call=call,
            level_key=level_key,
            authority_id=actor.authority_id,
            status=ReviewStatus.RECOMMENDED,
        )
    )
    if not reviews:
        raise ReviewError(_("本级还没有拟推荐的申报。"))
    _require_staff(reviews[0], actor)
    if ConflictDeclaration.objects.filter(
        application_id__in=[r.application_id for r in reviews], user=actor
    ).exists():
        raise ReviewError(_("您已声明回避名单中的申报，不能调整排名，请由本单位其他人员办理。"))
    _require_list_open(reviews[0])
    _require_before_deadline(reviews[0], now)
    by_id = {r.pk: r for r in reviews}
    if sorted(order) != sorted(by_id):
        raise ReviewError(_("排名须包含本级全部拟推荐的申报，且每项只出现一次。"))
    for rank, pk in enumerate(order, start=1):
        by_id[pk].rank = rank
        by_id[pk].save(update_fields=["rank", "updated_at"])
    record("review.ranked", actor=actor, obj=call, data={"level": level_key, "order": order})


def _close_rank_gaps(call: Call, level_key: str, authority_id: int) -> None:
    """After one leaves the list, the others keep their order and ranks run 1, 2, 3 again."""
    remaining = Review.objects.filter(
        application__call=call,
        level_key=level_key,
        authority_id=authority_id,
        status=ReviewStatus.RECOMMENDED,
    ).order_by("rank", "pk")
    for rank, other in enumerate(remaining, start=1):
        if other.rank != rank:
            other.rank = rank
            other.save(update_fields=["rank", "updated_at"])


def remove_after_objection(review: Review, *, actor: User, reason: str, now: datetime) -> None:
    """An upheld publicity objection takes the application off the level's list.

    Called by publicity.services.handle_objection, which checks who may do it; the list is
    frozen while publicised, so this is the one change allowed on it.
    """
    review = _lock(review)
    if review.status != ReviewStatus.RECOMMENDED:
        return
    review.status = ReviewStatus.NOT_RECOMMENDED
    review.decision_reason = _("公示异议成立：%(reason)s") % {"reason": reason}
    review.rank = None
    review.decided_at, review.decided_by = now, actor
    review.save()
    _close_rank_gaps(review.application.call, review.level_key, review.authority_id)
    lst = LevelList.objects.filter(
        call=review.application.call, level_key=review.level_key, authority=review.authority
    ).first()
    if lst and lst.signed_off_at:
        _set_application(review.application, Status.NOT_RECOMMENDED, actor=actor, now=now)
    record(
        "review.removed_after_objection",
        actor=actor,
        obj=review.application,
        data={"reason": reason[:500]},
    )


# States from which a recommendation (or filing) can be withdrawn for fraud.
WITHDRAWABLE = {
    ReviewStatus.RECEIVED,
    ReviewStatus.IN_REVIEW,
    ReviewStatus.RECOMMENDED,
    ReviewStatus.FORWARDED,
    ReviewStatus.FILED,
}


@transaction.atomic
def withdraw_for_fraud(
    review: Review,
    *,
    actor: User,
    reason: str,
    dishonesty_until=None,
    record_dishonest: bool = False,
    now: datetime | None = None,
) -> int:
    """Fraud found after a recommendation: withdraw it at every level that holds it.

    Any level that holds the application may do this. Every open or recommended review of the
    application is closed as withdrawn, its place on lists is given up (ranks close up, a
    publicised entry is taken off), a filing is revoked from the filed list, and the applicant
    sees the reason. Optionally a dishonesty record is made in the same step. Returns the number
    of levels changed.
    """
    now = now or timezone.now()
    review = _lock(review)
    _require_staff(review, actor)
    _require_no_conflict(review, actor)
    reason = reason.strip()
    if not reason:
        raise ReviewError(_("请写明撤销推荐的理由（查实的弄虚作假情况）。"))
    app = Application.objects.select_for_update().get(pk=review.application_id)
    affected = list(
        Review.objects.select_for_update()
        .filter(application=app, status__in=WITHDRAWABLE)
        .order_by("level_index")
    )
    was_recommended = Review.objects.filter(
        application=app,
        status__in={ReviewStatus.RECOMMENDED, ReviewStatus.FORWARDED, ReviewStatus.FILED},
    ).exists()
    if not was_recommended:
        raise ReviewError(_("该申报尚未被推荐，无需撤销推荐；请作不予推荐决定。"))
    for other in affected:
        other.status = ReviewStatus.WITHDRAWN
        other.decision_reason = reason
        other.rank = None
        other.decided_at, other.decided_by = now, actor
        other.save()
        _close_rank_gaps(app.call, other.level_key, other.authority_id)
    PublicityEntry.objects.filter(review__application=app, removed_at__isnull=True).update(
        removed_at=now, removed_reason=reason
    )
    was_filed = app.status == Status.FILED
    _set_application(
        app, Status.RECOMMENDATION_WITHDRAWN, actor=actor, now=now, review_comment=reason
    )
    if was_filed:
        from filing.registry.services import revoke_filed_space

        revoke_filed_space(app, actor=actor, reason=reason, on=timezone.localdate(now))
    record(
        "review.recommendation_withdrawn",
        actor=actor,
        obj=app,
        data={"reason": reason[:500], "levels": len(affected)},
    )
    if record_dishonest:
        record_dishonesty(
            app.organisation,
            actor=actor,
            reason=reason,
            starts_on=timezone.localdate(now),
            ends_on=dishonesty_until,
        )
    return len(affected)


# ----- the level's list --------------------------------------------------------------------


def list_reviews(lst: LevelList):
    return Review.objects.filter(
        application__call=lst.call, level_key=lst.level_key, authority=lst.authority
    )


@transaction.atomic
def sign_off(lst: LevelList, *, actor: User, now: datetime | None = None) -> None:
    """The leader signs the level's list; after this nothing in it changes."""
    now = now or timezone.now()
    lst = LevelList.objects.select_for_update().get(pk=lst.pk)
    if not (actor.authority_id == lst.authority_id and actor.role == Role.LEADER):
        raise ReviewError(_("只有本单位负责人可以签发推荐名单。"))
    if lst.signed_off_at:
        raise ReviewError(_("本级名单已签发。"))
    reviews = list(list_reviews(lst))
    pending = [r for r in reviews if r.status in {ReviewStatus.RECEIVED, ReviewStatus.IN_REVIEW}]
    if pending:
        raise ReviewError(_("还有 %(n)d 件申报未作决定，不能签发。") % {"n": len(pending)})
    if not any(r.status == ReviewStatus.RECOMMENDED for r in reviews):
        raise ReviewError(_("名单中没有拟推荐的申报。"))
    for review in reviews:
        if review.status == ReviewStatus.RECOMMENDED:
            _require_no_live_record(review, now)
    lst.signed_off_at, lst.signed_off_by = now, actor
    lst.save(update_fields=["signed_off_at", "signed_off_by"])
    for review in reviews:
        if review.status == ReviewStatus.NOT_RECOMMENDED:
            _set_application(review.application, Status.NOT_RECOMMENDED, actor=actor, now=now)
    record(
        "review.list_signed_off",
        actor=actor,
        obj=lst.call,
        data={"authority": lst.authority.name, "level": lst.level_key},
    )


@transaction.atomic
def forward(lst: LevelList, *, actor: User, now: datetime | None = None) -> int:
    """Send the signed list up: each recommended application arrives at the next level, in rank order."""
    now = now or timezone.now()
    lst = LevelList.objects.select_for_update(of=("self",)).select_related("call").get(pk=lst.pk)
    if actor.authority_id != lst.authority_id:
        raise ReviewError(_("只有本单位人员可以报送本级名单。"))
    if not lst.signed_off_at:
        raise ReviewError(_("推荐名单须先由负责人签发。"))
    if lst.forwarded_at:
        raise ReviewError(_("本级名单已报送。"))
    recommended = list(
        list_reviews(lst)
        .filter(status=ReviewStatus.RECOMMENDED)
        # The next level's authority and the review's copies read each applicant's organisation.
        .select_related("application__organisation")
        .order_by("rank")
    )
    if not recommended:
        raise ReviewError(_("名单中没有拟推荐的申报。"))
    _require_before_deadline(recommended[0], now)
    route = recommended[0].application.definition.route
    index = recommended[0].level_index
    from filing.publicity.services import require_cleared

    require_cleared(lst, route[index], now)
    if index + 1 >= len(route):
        raise ReviewError(_("本级是最后一级，无需报送。"))
    next_level = route[index + 1]
    for review in recommended:
        app = review.application
        receive(app, level_index=index + 1, authority=next_authority(app, next_level), now=now)
        review.status = ReviewStatus.FORWARDED
        review.save(update_fields=["status", "updated_at"])
    lst.forwarded_at, lst.forwarded_by = now, actor
    lst.save(update_fields=["forwarded_at", "forwarded_by"])
    record(
        "review.list_forwarded",
        actor=actor,
        obj=lst.call,
        data={"authority": lst.authority.name, "count": len(recommended)},
    )
    return len(recommended)


@transaction.atomic
def decide_filing(
    review: Review, *, actor: User, filed: bool, reason: str = "", now: datetime | None = None
) -> None:
    """At the level that decides: file the space (it enters the filed list) or not."""
    now = now or timezone.now()
    review = _lock(review)
    _require_staff(review, actor)
    _require_no_conflict(review, actor)
    level = level_of(review)
    if not level.decides_filing:
        raise ReviewError(_("本级不确定备案，请作推荐决定。"))
    if review.status not in {ReviewStatus.IN_REVIEW}:
        raise ReviewError(
            _("请先受理，再作备案决定。")
            if review.status == ReviewStatus.RECEIVED
            else _("该申报已有备案决定。")
        )
    if not filed and not reason.strip():
        raise ReviewError(_("不予备案须写明理由。"))
    if filed:
        _require_no_live_record(review, now)
    review.status = ReviewStatus.FILED if filed else ReviewStatus.NOT_FILED
    review.decision_reason = reason.strip()
    review.decided_at, review.decided_by = now, actor
    review.save()
    app = review.application
    _set_application(app, Status.FILED if filed else Status.NOT_FILED, actor=actor, now=now)
    record(
        "review.filed" if filed else "review.not_filed",
        actor=actor,
        obj=app,
        data={"reason": reason[:500]},
    )
    if filed:
        from filing.registry.services import enter_filed_space

        enter_filed_space(
            app,
            actor=actor,
            authority=review.authority,
            level=_registry_level(level),
            filed_on=timezone.localdate(now),
        )


def _registry_level(level: RouteLevel) -> str:
    return (
        "national"
        if level.level in {AuthorityKind.MINISTRY, AuthorityKind.NATIONAL_UNIT}
        else "provincial"
    )
