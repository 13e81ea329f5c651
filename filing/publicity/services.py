"""Opening a publicity, lodging and handling objections; each step guarded and audited.

While a list is publicised it is frozen: the level's decisions and ranks stay as published, and
only an upheld objection takes an application off it. Forwarding waits for the end of the
period and for every objection to be handled (``require_cleared``).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from filing.applications import uploads
from filing.audit.services import record
from filing.calls.schema import RouteLevel
from filing.lib import stored
from filing.lib.validators import normalise_phone
from filing.orgs.models import User
from filing.publicity.constants import MAX_OBJECTION_FILES, ObjectionStatus
from filing.publicity.models import Objection, ObjectionFile, Publicity, PublicityEntry
from filing.reviews import services as reviews
from filing.reviews.constants import ReviewStatus
from filing.reviews.models import LevelList


class PublicityError(Exception):
    """A refused step, with a message for the person who asked."""


def default_title(lst: LevelList) -> str:
    call = lst.call
    return _("关于%(call)s拟推荐名单的公示") % {"call": call.display_title()}


def _require_staff(lst: LevelList, actor: User) -> None:
    if not (actor.is_authority_staff and actor.authority_id == lst.authority_id):
        raise PublicityError(
            _("只有 %(authority)s 的人员可以办理这一步。") % {"authority": lst.authority}
        )


@transaction.atomic
def open_publicity(
    lst: LevelList,
    *,
    actor: User,
    closes_at: datetime,
    title: str = "",
    statement: str = "",
    contact: str = "",
    now: datetime | None = None,
) -> Publicity:
    """Publish the level's recommended list, in rank order, until ``closes_at``."""
    now = now or timezone.now()
    lst = (
        LevelList.objects.select_for_update(of=("self",))
        .select_related("call", "authority")
        .get(pk=lst.pk)
    )
    _require_staff(lst, actor)
    if Publicity.objects.filter(level_list=lst).exists():
        raise PublicityError(_("本级名单已经公示过。"))
    if lst.forwarded_at:
        raise PublicityError(_("本级名单已报送，不能再公示。"))
    all_reviews = list(reviews.list_reviews(lst).select_related("application"))
    pending = [
        r for r in all_reviews if r.status in {ReviewStatus.RECEIVED, ReviewStatus.IN_REVIEW}
    ]
    if pending:
        raise PublicityError(
            _("还有 %(n)d 件申报未作决定，全部决定后才能公示。") % {"n": len(pending)}
        )
    recommended = sorted(
        (r for r in all_reviews if r.status == ReviewStatus.RECOMMENDED),
        key=lambda r: (r.rank or 0, r.pk),
    )
    if not recommended:
        raise PublicityError(_("名单中没有拟推荐的申报。"))
    if closes_at <= now:
        raise PublicityError(_("公示结束时间应晚于现在。"))
    publicity = Publicity.objects.create(
        level_list=lst,
        title=(title.strip() or default_title(lst))[:200],
        statement=statement.strip(),
        contact=contact.strip()[:200],
        opens_at=now,
        closes_at=closes_at,
        opened_by=actor,
    )
    for position, review in enumerate(recommended, start=1):
        app = review.application
        track = next((t for t in app.definition.tracks if t.key == app.track), None)
        PublicityEntry.objects.create(
            publicity=publicity,
            review=review,
            position=position,
            space_name=app.space_name,
            operator_name=app.organisation.name,
            city_name=app.organisation.city.name if app.organisation.city_id else "",
            track_zh=track.title.zh if track else app.track,
            track_en=track.title.en if track else app.track,
        )
    record(
        "publicity.opened",
        actor=actor,
        obj=publicity,
        data={
            "authority": lst.authority.name,
            "title": publicity.title,
            "closes_at": timezone.localtime(closes_at).isoformat(),
            "application_ids": [r.application_id for r in recommended],
        },
    )
    return publicity


def _check_phone(phone: str) -> str:
    from django.core.exceptions import ValidationError

    from filing.lib.validators import phone_validator

    phone = normalise_phone(phone)
    try:
        phone_validator(phone)
    except ValidationError as exc:
        raise PublicityError(_("请填写有效的联系电话（手机或座机）。")) from exc
    return phone


@stored.removes_files_on_failure
@transaction.atomic
def lodge_objection(
    publicity: Publicity,
    *,
    entry_id: int,
    name: str,
    phone: str,
    email: str,
    content: str,
    files: list,
    now: datetime | None = None,
) -> Objection:
    """Anyone may object during the period, in their real name and with a way to reach them."""
    now = now or timezone.now()
    publicity = Publicity.objects.select_for_update().get(pk=publicity.pk)
    if not publicity.is_open(now):
        raise PublicityError(_("不在公示期内，不能提出异议。"))
    entry = publicity.entries.filter(pk=entry_id, removed_at__isnull=True).first()
    if entry is None:
        raise PublicityError(_("请选择异议针对的众创空间。"))
    name, content = name.strip(), content.strip()
    if not name:
        raise PublicityError(_("请填写异议人姓名或单位名称（实名提出）。"))
    if len(content) < 10:
        raise PublicityError(_("请写明异议的事实和理由（至少 10 个字）。"))
    phone = _check_phone(phone)
    if len(files) > MAX_OBJECTION_FILES:
        raise PublicityError(_("最多上传 %(n)d 个证明材料。") % {"n": MAX_OBJECTION_FILES})
    checked = []
    for upload in files:
        try:
            checked.append((upload, uploads.check(upload)))
        except uploads.UploadRefused as exc:
            raise PublicityError(exc.message) from exc
    objection = Objection.objects.create(
        publicity=publicity,
        entry=entry,
        name=name[:100],
        phone=phone,
        email=email.strip(),
        content=content,
        lodged_at=now,
    )
    for upload, info in checked:
        evidence = ObjectionFile(
            objection=objection,
            original_name=info.safe_name,
            content_type=info.content_type,
            size=info.size,
            sha256=info.sha256,
        )
        stored.save(evidence.file, info.safe_name, upload)
        evidence.save()
    record(
        "publicity.objection_lodged",
        obj=objection,
        data={
            "authority_id": publicity.level_list.authority_id,
            "publicity_id": publicity.pk,
            "title": publicity.title,
            "space": entry.space_name,
            "files": len(checked),
        },
    )
    return objection


@transaction.atomic
def handle_objection(
    objection: Objection,
    *,
    actor: User,
    upheld: bool,
    response: str,
    now: datetime | None = None,
) -> None:
    """Upheld: the application leaves the list. Dismissed: the reason is kept and shown."""
    now = now or timezone.now()
    objection = (
        Objection.objects.select_for_update()
        .select_related("publicity__level_list", "entry__review")
        .get(pk=objection.pk)
    )
    lst = objection.publicity.level_list
    _require_staff(lst, actor)
    if objection.status != ObjectionStatus.PENDING:
        raise PublicityError(_("该异议已处理。"))
    if lst.forwarded_at:
        raise PublicityError(_("本级名单已报送，不能再处理异议。"))
    if reviews.has_conflict(objection.entry.review.application_id, actor):
        raise PublicityError(_("您已声明回避该申报，不能处理针对它的异议。"))
    response = response.strip()
    if not response:
        raise PublicityError(_("请写明处理意见。"))
    objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
    objection.response = response
    objection.handled_at, objection.handled_by = now, actor
    objection.save(update_fields=["status", "response", "handled_at", "handled_by"])
    entry = objection.entry
    if upheld and entry.removed_at is None:
        reviews.remove_after_objection(entry.review, actor=actor, reason=response, now=now)
        entry.removed_at, entry.removed_reason = now, response
        entry.save(update_fields=["removed_at", "removed_reason"])
    record(
        "publicity.objection_upheld" if upheld else "publicity.objection_dismissed",
        actor=actor,
        obj=objection,
        data={"space": entry.space_name, "response": response[:500]},
    )


def require_cleared(lst: LevelList, level: RouteLevel, now: datetime) -> None:
    """Forwarding waits: publicised where the route asks, period over, objections handled."""
    publicity = Publicity.objects.filter(level_list=lst).first()
    if publicity is None:
        if "publicity" in level.tasks:
            raise reviews.ReviewError(_("本级须先公示推荐名单，公示期满且异议处理完毕后才能报送。"))
        return
    if not publicity.is_over(now):
        raise reviews.ReviewError(
            _("公示期至 %(end)s 结束，期满后才能报送。")
            % {"end": timezone.localtime(publicity.closes_at).strftime("%Y-%m-%d %H:%M")}
        )
    pending = publicity.objections.filter(status=ObjectionStatus.PENDING).count()
    if pending:
        raise reviews.ReviewError(
            _("还有 %(n)d 件公示异议未处理，处理完毕后才能报送。") % {"n": pending}
        )
