"""Reminders three days before a deadline: to applicants who have not submitted, and to levels
that have not forwarded their list.

Each reminder's key names the application (or the level's list) and the deadline itself, so a
run finds the reminders already sent and sends nothing twice, while a deadline that moves (an
extension, a new date to resubmit by) earns a reminder of its own. Safe to run every hour.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from filing.applications.constants import Status
from filing.applications.models import Application
from filing.applications.services import deadline_of
from filing.calls.models import CallVersion
from filing.notices.constants import REMINDER_WINDOW, NoticeKind
from filing.notices.messages import ALL_STAFF, Draft, applicant_people, authority_staff, phrase
from filing.notices.services import schedule_delivery, write_notices
from filing.reviews.constants import ReviewStatus
from filing.reviews.models import LevelList, Review
from filing.reviews.services import level_of

# Applications still in the applicant's hands.
NOT_SUBMITTED = [Status.DRAFT, Status.AWAITING_APPROVAL, Status.RETURNED]
# Reviews a level still has to decide on or forward.
TO_FORWARD = [ReviewStatus.RECEIVED, ReviewStatus.IN_REVIEW, ReviewStatus.RECOMMENDED]


def applicant_deadline(app: Application) -> datetime | None:
    """By when this applicant must submit: as ``applications.services.submit`` decides it — the
    date the level set when it returned the application, else ``deadline_of``."""
    if app.status == Status.RETURNED and app.resubmit_by:
        return app.resubmit_by
    return deadline_of(app)


def _due(deadline: datetime | None, now: datetime) -> bool:
    return deadline is not None and now < deadline <= now + REMINDER_WINDOW


def _share_definitions(objects, app_of) -> None:
    """Parse each definition version once, however many applications use it."""
    apps = [app_of(o) for o in objects]
    versions = CallVersion.objects.in_bulk({a.call_version_id for a in apps})
    for app in apps:
        app.call_version = versions[app.call_version_id]


def applicant_reminders(now: datetime) -> list[Draft]:
    apps = list(
        Application.objects.filter(status__in=NOT_SUBMITTED).select_related("call", "organisation")
    )
    _share_definitions(apps, lambda a: a)
    drafts = []
    for app in apps:
        deadline = applicant_deadline(app)
        if not _due(deadline, now):
            continue
        body = [
            phrase(
                _(
                    "您机构的申报“%(space)s”（%(call)s）尚未提交，提交截止时间为 %(deadline)s（北京时间）。"
                ),
                space=app,
                call=app.call,
                deadline=deadline,
            ),
            phrase(
                _(
                    "当前状态：%(status)s。请补全材料、签署信用承诺，并由机构管理员在截止前提交；逾期将无法提交。"
                ),
                status=Status(app.status).label,
            ),
        ]
        drafts.append(
            Draft(
                kind=NoticeKind.APPLICANT_DEADLINE,
                recipients=applicant_people(app),
                subject=phrase(
                    _("申报“%(space)s”将于 %(deadline)s 截止提交"), space=app, deadline=deadline
                ),
                body=body,
                link=reverse("applications:overview", args=[app.pk]),
                key=f"reminder:application:{app.pk}:{deadline.isoformat()}",
                object_type=Application._meta.label_lower,
                object_id=str(app.pk),
            )
        )
    return drafts


@dataclass
class _Level:
    review: Review
    deadline: datetime
    count: int = 0


def level_reminders(now: datetime) -> list[Draft]:
    """Levels holding applications for a list whose deadline is near, not yet forwarded.

    The level that decides the filing forwards nothing and is not reminded.
    """
    reviews = list(
        Review.objects.filter(status__in=TO_FORWARD).select_related(
            "application", "application__call", "authority"
        )
    )
    _share_definitions(reviews, lambda r: r.application)
    levels: dict[tuple[int, str, int], _Level] = {}
    for review in reviews:
        level = level_of(review)
        if level.decides_filing or not _due(level.deadline, now):
            continue
        key = (review.application.call_id, review.level_key, review.authority_id)
        levels.setdefault(key, _Level(review, level.deadline)).count += 1
    if not levels:
        return []
    lists = {
        (lst.call_id, lst.level_key, lst.authority_id): lst
        for lst in LevelList.objects.filter(
            call_id__in={k[0] for k in levels}, authority_id__in={k[2] for k in levels}
        )
    }
    drafts = []
    for key, held in levels.items():
        lst = lists.get(key)
        if lst is not None and lst.forwarded_at:
            continue
        call, review = held.review.application.call, held.review
        body = [
            phrase(
                _(
                    "%(authority)s 在“%(call)s”中的本级推荐名单尚未报送，报送截止时间为 %(deadline)s（北京时间）。"
                ),
                authority=review.authority,
                call=call,
                deadline=held.deadline,
            ),
            phrase(
                _(
                    "尚有 %(n)s 件申报待审核、签发或报送。名单须由负责人签发后报送，逾期将不能再作决定或报送。"
                ),
                n=held.count,
            ),
        ]
        if lst is not None and lst.signed_off_at:
            body.append(phrase(_("名单已签发，尚待报送。")))
        drafts.append(
            Draft(
                kind=NoticeKind.LEVEL_DEADLINE,
                recipients=authority_staff(review.authority_id, ALL_STAFF),
                subject=phrase(
                    _("“%(call)s”本级推荐名单将于 %(deadline)s 截止报送"),
                    call=call,
                    deadline=held.deadline,
                ),
                body=body,
                link=reverse("reviews:level_list", args=[call.code, review.level_key]),
                key=(
                    f"reminder:level:{call.pk}:{review.level_key}:{review.authority_id}:"
                    f"{held.deadline.isoformat()}"
                ),
                object_type=call._meta.label_lower,
                object_id=str(call.pk),
            )
        )
    return drafts


@transaction.atomic
def send_deadline_reminders(now: datetime) -> int:
    """Write the reminders due at ``now`` that were not written before; e-mail them on commit.
    Returns how many notices were written."""
    notices = write_notices([*applicant_reminders(now), *level_reminders(now)])
    schedule_delivery([n.pk for n in notices])
    return len(notices)
