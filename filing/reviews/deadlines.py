"""The deadlines in force, and extending them.

Two deadlines can be moved later (never earlier), each time with a written reason, by a leader
(负责人) of the right authority. Extending a deadline for some and not for others is a decision
of the authority, like signing off its list, so reviewers (经办) cannot grant one.

- The applicants' submission deadline to the first level: the first-level authority (city,
  zone, receiving unit) extends it for all its applicants, or for one application (typically
  one returned for revision that missed its resubmission date). It cannot go past that
  authority's own deadline for the level. Read by ``applications.services.submission_deadline``.
- A level's own deadline for deciding and forwarding: the authority of the next level up
  extends it for one authority below it, or for all of them (an outage). It cannot go past the
  granting authority's own deadline. Read by ``level_deadline`` and ``review_deadline``.

Extensions are rows of ``DeadlineExtension``, never edited; the latest date that applies wins.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from filing.applications.constants import Status
from filing.applications.models import Application
from filing.applications.services import (
    ApplicationError,
    Deadline,
    first_level_for,
    submission_deadline,
)
from filing.audit.services import record
from filing.calls.models import Call
from filing.calls.schema import RouteLevel
from filing.orgs.constants import Role
from filing.orgs.models import Authority, User
from filing.reviews.constants import ExtensionKind, ReviewStatus
from filing.reviews.models import DeadlineExtension, Review
from filing.reviews.services import ReviewError, has_conflict, level_of

# The states in which an application is in the applicant's hands, so its deadline matters.
WITH_APPLICANT = {Status.DRAFT, Status.AWAITING_APPROVAL, Status.RETURNED}


# ----- reading: the deadline in force ----------------------------------------------------------


def holds_level(authority: Authority, level: RouteLevel) -> bool:
    """Whether this authority is one that handles this level of a route."""
    if level.authority:
        return authority.code == level.authority
    return authority.kind in {level.level, *level.alternatives}


def covers(extension: DeadlineExtension, authority: Authority) -> bool:
    """Whether a level extension applies to this authority's deadline."""
    if extension.for_authority_id is not None:
        return extension.for_authority_id == authority.pk
    return authority.path.startswith(extension.authority.jurisdiction_root.path)


def level_extensions(call_id: int, level_key: str) -> list[DeadlineExtension]:
    return list(
        DeadlineExtension.objects.filter(
            call_id=call_id, kind=ExtensionKind.LEVEL, level_key=level_key
        ).select_related("authority", "authority__acts_for", "granted_by", "for_authority")
    )


def _latest(original: datetime | None, extensions: list[DeadlineExtension]) -> Deadline:
    best = max(extensions, key=lambda e: (e.new_deadline, e.created_at), default=None)
    if original is None or best is None or best.new_deadline <= original:
        return Deadline(at=original, original=original)
    return Deadline(at=best.new_deadline, original=original, extension=best)


def level_deadline(
    call_id: int,
    level: RouteLevel,
    authority: Authority,
    *,
    extensions: list[DeadlineExtension] | None = None,
) -> Deadline:
    """The deadline by which this authority must decide and forward at this level.

    ``extensions`` may be passed in (``level_extensions``) when many authorities are asked.
    """
    if extensions is None:
        extensions = level_extensions(call_id, level.key)
    return _latest(level.deadline, [e for e in extensions if covers(e, authority)])


def review_deadline(review: Review) -> Deadline:
    """The deadline in force for the level that holds this review."""
    return level_deadline(review.application.call_id, level_of(review), review.authority)


def general_submission_deadline(call: Call, authority: Authority) -> Deadline:
    """The applicants' deadline for everyone submitting to this first-level authority."""
    extensions = DeadlineExtension.objects.filter(
        call=call,
        kind=ExtensionKind.SUBMISSION,
        application__isnull=True,
        authority=authority,
    ).select_related("granted_by")
    return _latest(call.definition.first_deadline, list(extensions))


def receiving_level(app: Application) -> tuple[Authority | None, int]:
    """Who receives this application's next (re)submission, and at which level of the route.

    A returned application goes back to the level that returned it; any other to its first
    level.
    """
    returned = (
        Review.objects.filter(application=app, status=ReviewStatus.RETURNED)
        .select_related("authority")
        .first()
    )
    if returned is not None:
        return returned.authority, returned.level_index
    if app.first_level_id:
        return app.first_level, 0
    try:
        return first_level_for(app), 0
    except ApplicationError:
        return None, 0


# ----- granting --------------------------------------------------------------------------------


def may_grant(user: User) -> bool:
    return bool(user.is_authenticated and user.authority_id and user.role == Role.LEADER)


def _require_leader(actor: User) -> None:
    if not may_grant(actor):
        raise ReviewError(_("只有主管部门负责人可以延长截止时间。"))


def _checked_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ReviewError(_("请写明延期理由。"))
    return reason


def _require_later(new_deadline: datetime, current: datetime | None, now: datetime) -> None:
    if current is None:
        raise ReviewError(_("该截止时间未设定，无需延期。"))
    if new_deadline <= current:
        raise ReviewError(
            _("延期只能推迟截止时间：新的截止时间须晚于现行截止时间（%(deadline)s，北京时间）。")
            % {"deadline": _shown(current)}
        )
    if new_deadline <= now:
        raise ReviewError(_("新的截止时间须晚于现在。"))


def _shown(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


@transaction.atomic
def extend_submission_deadline(
    call: Call,
    *,
    actor: User,
    new_deadline: datetime,
    reason: str,
    application: Application | None = None,
    now: datetime | None = None,
) -> DeadlineExtension:
    """The first-level authority gives all its applicants, or one application, more time."""
    now = now or timezone.now()
    _require_leader(actor)
    reason = _checked_reason(reason)
    authority = actor.authority
    if application is None:
        level = call.definition.route[0]
        if not holds_level(authority, level):
            raise ReviewError(_("只有本通知的初审单位可以延长申报截止时间。"))
        current = general_submission_deadline(call, authority).at
        scope = _("%(authority)s 的全部申报单位") % {"authority": authority.name}
        obj = call
    else:
        app = Application.objects.select_for_update().get(pk=application.pk)
        if app.call_id != call.pk:
            raise ReviewError(_("该申报不属于本通知。"))
        receiver, index = receiving_level(app)
        if receiver is None or receiver.pk != authority.pk:
            raise ReviewError(_("只有受理该申报的单位可以为其延长申报截止时间。"))
        if has_conflict(app.pk, actor):
            raise ReviewError(_("您已声明回避该申报，不能办理。"))
        if app.status not in WITH_APPLICANT:
            raise ReviewError(_("该申报已提交，不在申报单位手中，无需延长申报截止时间。"))
        level = app.definition.route[index]
        current = submission_deadline(app).at
        scope = str(app)
        obj = app
    _require_later(new_deadline, current, now)
    own = level_deadline(call.pk, level, authority).at
    if own and new_deadline > own:
        raise ReviewError(
            _(
                "申报截止时间不能晚于本级的报送截止时间（%(deadline)s，北京时间）。如需更晚，请先商请上一级延长本级截止时间。"
            )
            % {"deadline": _shown(own)}
        )
    return _grant(
        ExtensionKind.SUBMISSION,
        call=call,
        level=level,
        authority=authority,
        actor=actor,
        new_deadline=new_deadline,
        previous=current,
        reason=reason,
        scope=scope,
        now=now,
        audited=obj,
        application=application,
    )


@transaction.atomic
def extend_level_deadline(
    call: Call,
    level_key: str,
    *,
    actor: User,
    new_deadline: datetime,
    reason: str,
    for_authority: Authority | None = None,
    now: datetime | None = None,
) -> DeadlineExtension:
    """The next level up gives one authority below it, or all of them, more time."""
    now = now or timezone.now()
    _require_leader(actor)
    reason = _checked_reason(reason)
    route = call.definition.route
    index = next((i for i, lvl in enumerate(route) if lvl.key == level_key), None)
    if index is None:
        raise ReviewError(_("本通知没有这一审核层级。"))
    authority = actor.authority
    if index + 1 >= len(route) or not holds_level(authority, route[index + 1]):
        raise ReviewError(_("只有上一级审核单位可以延长本级的报送截止时间。"))
    level = route[index]
    root = authority.jurisdiction_root
    extensions = level_extensions(call.pk, level.key)
    if for_authority is not None:
        if not (for_authority.path.startswith(root.path) and holds_level(for_authority, level)):
            raise ReviewError(
                _("%(authority)s 不在本单位辖区内，或不办理这一层级。")
                % {"authority": for_authority.name}
            )
        current = level_deadline(call.pk, level, for_authority, extensions=extensions).at
        scope = for_authority.name
    else:
        mine = [
            e for e in extensions if e.for_authority_id is None and e.authority_id == authority.pk
        ]
        current = _latest(level.deadline, mine).at
        scope = _("%(authority)s 辖区内全部下级单位") % {"authority": authority.name}
    _require_later(new_deadline, current, now)
    own = level_deadline(call.pk, route[index + 1], authority).at
    if own and new_deadline > own:
        raise ReviewError(
            _("下级的截止时间不能晚于本级的报送截止时间（%(deadline)s，北京时间）。")
            % {"deadline": _shown(own)}
        )
    return _grant(
        ExtensionKind.LEVEL,
        call=call,
        level=level,
        authority=authority,
        actor=actor,
        new_deadline=new_deadline,
        previous=current,
        reason=reason,
        scope=scope,
        now=now,
        audited=call,
        for_authority=for_authority,
    )


def _grant(
    kind: str,
    *,
    call,
    level,
    authority,
    actor,
    new_deadline,
    previous,
    reason: str,
    scope: str,
    now,
    audited,
    **whom,
) -> DeadlineExtension:
    """Write one extension and its audit row; ``whom`` is an application or an authority."""
    if kind == DeadlineExtension.Kind.SUBMISSION and not call.submission_extended:
        Call.objects.filter(pk=call.pk).update(submission_extended=True)
        call.submission_extended = True
    extension = DeadlineExtension.objects.create(
        call=call,
        kind=kind,
        level_key=level.key,
        authority=authority,
        granted_by=actor,
        new_deadline=new_deadline,
        reason=reason,
        created_at=now,
        **whom,
    )
    record(
        "deadline.extended",
        actor=actor,
        obj=audited,
        data={
            "kind": str(kind),
            "level": level.key,
            "scope": scope,
            "previous": _shown(previous),
            "to": _shown(new_deadline),
            "reason": reason[:500],
        },
    )
    return extension
