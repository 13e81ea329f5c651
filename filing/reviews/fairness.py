"""What the review pages show about deadlines, conflicts of interest and time in each state.

The views call these to add to their context, so the pages and the guards read deadlines from
the same functions (reviews.deadlines, applications.services.submission_deadline).
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, OuterRef

from filing.applications.history import time_in_states
from filing.applications.services import submission_deadline
from filing.calls.models import Call
from filing.calls.schema import RouteLevel
from filing.orgs.constants import Role
from filing.orgs.models import Authority, User
from filing.reviews.constants import ExtensionKind, ReviewStatus
from filing.reviews.deadlines import (
    WITH_APPLICANT,
    covers,
    general_submission_deadline,
    holds_level,
    level_deadline,
    level_extensions,
    may_grant,
    receiving_level,
    review_deadline,
)
from filing.reviews.models import ConflictDeclaration, DeadlineExtension, LevelList, Review


def detail_context(user: User, review: Review, now: datetime) -> dict:
    """The deadline in force, the extensions behind it, declarations and the state history."""
    app = review.application
    with_applicant = app.status in WITH_APPLICANT
    can_extend = False
    if with_applicant and may_grant(user) and review.authority_id == user.authority_id:
        receiver, _index = receiving_level(app)
        can_extend = receiver is not None and receiver.pk == user.authority_id
    return {
        "deadline": review_deadline(review),
        "level_extensions": [
            e
            for e in level_extensions(app.call_id, review.level_key)
            if covers(e, review.authority)
        ],
        "submission_deadline": submission_deadline(app) if with_applicant else None,
        "application_extensions": DeadlineExtension.objects.filter(
            kind=ExtensionKind.SUBMISSION, application=app
        ).select_related("granted_by", "authority"),
        "can_extend_application": can_extend,
        "declarations": (
            ConflictDeclaration.objects.filter(
                application=app, authority_id=user.authority_id
            ).select_related("user")
            if user.role == Role.LEADER
            else []
        ),
        "state_times": time_in_states(app, now),
    }


def lower_authorities(root: Authority, level: RouteLevel) -> list[Authority]:
    """The authorities within ``root`` that handle ``level``: whose deadline ``root`` extends."""
    return [a for a in Authority.objects.within(root).exclude(pk=root.pk) if holds_level(a, level)]


def extension_target(user: User, call: Call, level: RouteLevel) -> str:
    """Which deadline this person may extend from their list page at this level, if any.

    The first level extends the applicants' deadline; any other level the deadline of the
    level below it.
    """
    if not (may_grant(user) and holds_level(user.authority, level)):
        return ""
    index = next(i for i, lvl in enumerate(call.definition.route) if lvl.key == level.key)
    return ExtensionKind.SUBMISSION if index == 0 else ExtensionKind.LEVEL


def granted_extensions(call: Call, level: RouteLevel, authority: Authority):
    """Extensions this authority granted from its list at this level (not per application)."""
    route = call.definition.route
    index = next(i for i, lvl in enumerate(route) if lvl.key == level.key)
    qs = DeadlineExtension.objects.filter(call=call, authority=authority).select_related(
        "granted_by", "for_authority"
    )
    if index == 0:
        return qs.filter(kind=ExtensionKind.SUBMISSION, application__isnull=True)
    return qs.filter(kind=ExtensionKind.LEVEL, level_key=route[index - 1].key)


def list_context(user: User, lst: LevelList, level: RouteLevel, reviews: list[Review]) -> dict:
    call = lst.call
    own = level_extensions(call.pk, level.key)
    target = extension_target(user, call, level)
    index = next(i for i, lvl in enumerate(call.definition.route) if lvl.key == level.key)
    conflicted = set(
        ConflictDeclaration.objects.filter(
            user=user, application_id__in=[r.application_id for r in reviews]
        ).values_list("application_id", flat=True)
    )
    return {
        "deadline": level_deadline(call.pk, level, lst.authority, extensions=own),
        "level_extensions": [e for e in own if covers(e, lst.authority)],
        "extension_target": target,
        "granted": granted_extensions(call, level, lst.authority),
        "submission_deadline": (
            general_submission_deadline(call, lst.authority) if index == 0 else None
        ),
        "lower_authorities": (
            lower_authorities(user.authority.jurisdiction_root, call.definition.route[index - 1])
            if target == ExtensionKind.LEVEL
            else []
        ),
        "conflicted": conflicted,
        # set_ranks refuses a person who declared a conflict with a recommended application.
        "rank_blocked": any(
            r.application_id in conflicted and r.status == ReviewStatus.RECOMMENDED for r in reviews
        ),
    }


def area_deadlines(call: Call, rows: list[dict]) -> None:
    """Set each row's deadline in force (``deadline``, ``extended``) for the area view.

    Rows carry ``authority`` (id) and ``level`` (key); one query for the authorities and one per
    level for the extensions, however many rows.
    """
    route = {lvl.key: lvl for lvl in call.definition.route}
    authorities = Authority.objects.select_related("acts_for").in_bulk(
        {row["authority"] for row in rows}
    )
    extensions: dict[str, list[DeadlineExtension]] = {}
    for row in rows:
        level = route.get(row["level"])
        if level is None:
            row["deadline"], row["extended"] = None, False
            continue
        if level.key not in extensions:
            extensions[level.key] = level_extensions(call.pk, level.key)
        deadline = level_deadline(
            call.pk, level, authorities[row["authority"]], extensions=extensions[level.key]
        )
        row["deadline"], row["extended"] = deadline.at, deadline.extended


def conflict_flag(user: User) -> Exists:
    """Annotates reviews: whether this person declared a conflict with the application."""
    return Exists(
        ConflictDeclaration.objects.filter(application=OuterRef("application"), user=user)
    )
