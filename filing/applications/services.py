"""Every change to an application goes through one of these functions.

Each takes the acting person, checks who may do it and in which state, locks the row, writes an
audit entry and, where it changes content, raises the revision number that concurrent editors
compare against.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Q, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from filing.applications import uploads
from filing.applications.constants import EDITABLE, Status
from filing.applications.evaluation import Context, gaps, rule_results
from filing.applications.models import (
    Application,
    Attachment,
    CommitmentAcceptance,
    RosterRow,
    StatusChange,
    Submission,
)
from filing.applications.printing import build_printable
from filing.applications.signals import application_submitted
from filing.audit.services import record
from filing.calls.constants import CallStatus
from filing.calls.models import Call
from filing.lib import stored
from filing.orgs.constants import AuthorityKind
from filing.orgs.models import Authority, User


class ApplicationError(Exception):
    """A refused action, with a message for the person who asked."""


# ----- guards --------------------------------------------------------------------------------


def _lock(application: Application) -> Application:
    return (
        # The application alone is locked, not the call's definition every applicant shares.
        Application.objects.select_for_update(of=("self",))
        .select_related("call_version")
        .defer("call_version__definition")
        .get(pk=application.pk)
    )


def _require_member(application: Application, actor: User) -> None:
    if not (actor.is_applicant and actor.organisation_id == application.organisation_id):
        raise ApplicationError(_("只有本机构的填报人和管理员可以操作本申报。"))


def _require_editable(application: Application, actor: User) -> None:
    _require_member(application, actor)
    if application.status not in EDITABLE:
        raise ApplicationError(
            _("申报当前状态为“%(status)s”，不能修改。")
            % {"status": application.get_status_display()}
        )


def _require_admin(application: Application, actor: User) -> None:
    _require_member(application, actor)
    if not actor.is_org_admin:
        raise ApplicationError(_("只有本机构管理员（一级用户）可以进行此操作。"))


def _bump(application: Application) -> None:
    application.revision += 1
    application.save(update_fields=["revision", "updated_at"])


def set_status(
    application: Application,
    status: str,
    *,
    actor: User | None,
    at: datetime | None = None,
    **fields: Any,
) -> None:
    """The one place an application's status changes (here and in reviews.services).

    Saves the status with any other ``fields`` and keeps the change as a StatusChange, from
    which the time spent in each state is read. Callers hold the row's lock.
    """
    previous = application.status
    application.status = status
    for key, value in fields.items():
        setattr(application, key, value)
    application.save(update_fields=["status", *fields, "updated_at"])
    if previous != status:
        StatusChange.objects.create(
            application=application,
            from_status=previous,
            to_status=status,
            at=at or timezone.now(),
            actor=actor if getattr(actor, "is_authenticated", False) else None,
        )


# ----- starting and filling ---------------------------------------------------------------


PREFILL = {
    "organisation.name": lambda o: o.name,
    "organisation.credit_code": lambda o: o.credit_code,
    "organisation.address": lambda o: o.address,
    "organisation.legal_representative": lambda o: o.legal_representative,
    "organisation.host_entity_name": lambda o: o.host_entity_name,
    "organisation.city": lambda o: o.city.name,
    "organisation.phone": lambda o: o.phone,
    "organisation.nature": lambda o: o.nature,
}


@transaction.atomic
def start_application(
    call: Call, *, actor: User, track: str, space_name: str, now: datetime | None = None
) -> Application:
    now = now or timezone.now()
    if not actor.is_applicant:
        raise ApplicationError(_("只有申报机构的人员可以发起申报。"))
    if call.status_at(now) != CallStatus.OPEN:
        raise ApplicationError(_("该通知当前不在申报期内。"))
    definition = call.definition
    if track not in definition.track_keys():
        raise ApplicationError(_("请选择申报类别。"))
    space_name = space_name.strip()
    if not space_name:
        raise ApplicationError(_("请填写众创空间名称。"))
    if Application.objects.filter(
        call=call, organisation=actor.organisation, space_name=space_name
    ).exists():
        raise ApplicationError(_("本机构已为该众创空间发起过本通知的申报。"))
    org = actor.organisation
    values: dict[str, Any] = {}
    for f in definition.all_fields():
        if f.prefill:
            values[f.key] = PREFILL[f.prefill](org) or ""
    if "space_name" in definition.field_keys():
        values["space_name"] = space_name
    application = Application.objects.create(
        call=call,
        call_version=call.current_version,
        organisation=org,
        track=track,
        space_name=space_name,
        values=values,
        created_by=actor,
    )
    StatusChange.objects.create(
        application=application, from_status="", to_status=application.status, at=now, actor=actor
    )
    record(
        "application.created",
        actor=actor,
        obj=application,
        data={"call": call.code, "track": track},
    )
    return application


@dataclass
class SaveResult:
    saved: bool
    conflicts: dict[str, Any] = field(default_factory=dict)  # key -> the other person's value


@transaction.atomic
def save_values(
    application: Application,
    *,
    actor: User,
    section_title: str,
    posted: dict[str, Any],
    base: dict[str, Any],
    revision: int,
    locked: bool = False,
) -> SaveResult:
    """Save one section's input as typed, merging with changes saved meanwhile by others.

    ``base`` is what the page showed when it was opened, ``revision`` the revision then. If the
    application changed since, fields this person changed win only where nobody else changed
    them; where both did, nothing is saved and the other person's values are returned.
    ``locked``: the caller read ``application`` with its row locked in the transaction still
    open (select_for_update), so it is current and is saved as it is.
    """
    app = application if locked else _lock(application)
    _require_editable(app, actor)
    current = dict(app.values or {})
    if app.revision != revision:
        conflicts = {
            key: current.get(key)
            for key, mine in posted.items()
            if _norm(current.get(key)) != _norm(base.get(key))  # someone else changed it
            and _norm(mine) != _norm(base.get(key))  # so did this person
            and _norm(mine) != _norm(current.get(key))  # to something else
        }
        if conflicts:
            return SaveResult(saved=False, conflicts=conflicts)
        # Keep what others saved meanwhile: take only the fields this person changed.
        posted = {k: v for k, v in posted.items() if _norm(v) != _norm(base.get(k))}
    changed = {
        key: value for key, value in posted.items() if _norm(current.get(key)) != _norm(value)
    }
    if not changed:
        return SaveResult(saved=True)
    current.update(changed)
    app.values = current
    if "space_name" in changed:
        app.space_name = str(changed["space_name"]).strip()[:200]
    app.revision += 1
    app.save(update_fields=["values", "space_name", "revision", "updated_at"])
    record(
        "application.saved",
        actor=actor,
        obj=app,
        data={"section": section_title, "fields": sorted(changed)},
    )
    application.values, application.revision = app.values, app.revision
    return SaveResult(saved=True)


def _norm(value: Any) -> Any:
    """Empty is empty, however it was typed ('' , None, [], an unanswered yes/no)."""
    if value in (None, "", []) or (
        isinstance(value, dict) and not value.get("answer") and not value.get("name")
    ):
        return ""
    return value


def _row_index_columns(values: dict[str, Any]) -> dict[str, str]:
    return {
        "name": str(values.get("name", "")).strip()[:200],
        "credit_code": str(values.get("credit_code", "")).strip().upper()[:18],
    }


@transaction.atomic
def save_row(
    application: Application,
    *,
    actor: User,
    roster_key: str,
    roster_title: str,
    values: dict[str, Any],
    row: RosterRow | None = None,
) -> RosterRow:
    app = _lock(application)
    _require_editable(app, actor)
    roster = next(r for r in app.definition.rosters if r.key == roster_key)
    if row is None:
        count = app.rows.filter(roster=roster_key).count()
        if count >= roster.max_rows:
            raise ApplicationError(_("最多 %(n)d 行。") % {"n": roster.max_rows})
        row = RosterRow(application=app, roster=roster_key, position=count + 1)
    row.values = values
    for key, value in _row_index_columns(values).items():
        setattr(row, key, value)
    row.save()
    _bump(app)
    record(
        "application.row_saved",
        actor=actor,
        obj=app,
        data={"roster": roster_title, "row": row.position},
    )
    return row


@transaction.atomic
def remove_row(application: Application, *, actor: User, row: RosterRow, roster_title: str) -> None:
    app = _lock(application)
    _require_editable(app, actor)
    for attachment in row.files.all():
        _delete_stored_later(attachment)
    roster, position = row.roster, row.position
    row.delete()
    for later in app.rows.filter(roster=roster, position__gt=position).order_by("position"):
        later.position -= 1
        later.save(update_fields=["position"])
    _bump(app)
    record(
        "application.row_removed",
        actor=actor,
        obj=app,
        data={"roster": roster_title, "row": position},
    )


@transaction.atomic
def replace_roster(
    application: Application,
    *,
    actor: User,
    roster_key: str,
    roster_title: str,
    rows: list[dict[str, Any]],
) -> int:
    """Replace a roster with uploaded rows; a row's files follow it when its name is unchanged."""
    app = _lock(application)
    _require_editable(app, actor)
    old_rows = list(app.rows.filter(roster=roster_key))
    files_by_name: dict[str, list[Attachment]] = {}
    for old in old_rows:
        if old.name:
            files_by_name.setdefault(old.name, []).extend(Attachment.objects.filter(row=old))
    new_rows = [
        RosterRow(
            application=app,
            roster=roster_key,
            position=position,
            values=values,
            **_row_index_columns(values),
        )
        for position, values in enumerate(rows, start=1)
    ]
    RosterRow.objects.bulk_create(new_rows)
    for row in new_rows:
        for attachment in files_by_name.pop(row.name, []) if row.name else []:
            attachment.row = row
            attachment.save(update_fields=["row"])
    for old in old_rows:
        for attachment in Attachment.objects.filter(row=old):
            _delete_stored_later(attachment)
        old.delete()
    _bump(app)
    record(
        "application.roster_uploaded",
        actor=actor,
        obj=app,
        data={"roster": roster_title, "rows": len(rows)},
    )
    return len(rows)


def _delete_stored_later(attachment: Attachment) -> None:
    """Remove the stored bytes only once the database change is committed."""
    storage, name = attachment.file.storage, attachment.file.name
    transaction.on_commit(lambda: storage.delete(name))


# ----- files ---------------------------------------------------------------------------------


@stored.removes_files_on_failure
@transaction.atomic
def add_file(
    application: Application, *, actor: User, item: str, upload, row: RosterRow | None = None
) -> Attachment:
    """Store an uploaded file after checking its real type and size; the name is not trusted."""
    app = _lock(application)
    _require_editable(app, actor)
    try:
        checked = uploads.check(upload)
    except uploads.UploadRefused as exc:
        raise ApplicationError(exc.message) from exc
    attachment = Attachment(
        application=app,
        item=item,
        row=row,
        original_name=checked.safe_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    stored.save(attachment.file, checked.safe_name, upload)
    attachment.save()
    _bump(app)
    record(
        "application.file_uploaded",
        actor=actor,
        obj=app,
        data={"name": checked.safe_name, "item": item, "sha256": checked.sha256},
    )
    return attachment


@transaction.atomic
def remove_file(application: Application, *, actor: User, attachment: Attachment) -> None:
    app = _lock(application)
    _require_editable(app, actor)
    name = attachment.original_name
    _delete_stored_later(attachment)
    attachment.delete()
    _bump(app)
    record("application.file_removed", actor=actor, obj=app, data={"name": name})


# ----- commitment and the two tiers ---------------------------------------------------------


def _same_name(a: str, b: str) -> bool:
    return "".join(a.split()) == "".join(b.split())


@transaction.atomic
def accept_commitment(
    application: Application, *, actor: User, key: str, signer_name: str
) -> CommitmentAcceptance:
    app = _lock(application)
    _require_editable(app, actor)
    commitment = next(
        (c for c in app.definition.commitments if c.key == key and c.by == "applicant"), None
    )
    if commitment is None:
        raise ApplicationError(_("该通知没有这项承诺。"))
    legal = app.organisation.legal_representative
    if not _same_name(signer_name, legal):
        raise ApplicationError(
            _("签署人姓名应与机构登记的法定代表人“%(name)s”一致。") % {"name": legal}
        )
    acceptance = CommitmentAcceptance.objects.create(
        application=app,
        key=key,
        signer_name=legal,
        text=commitment.text,
        accepted_by=actor,
        revision=app.revision,
    )
    record(
        "application.commitment_accepted", actor=actor, obj=app, data={"signer": legal, "key": key}
    )
    return acceptance


def missing_commitments(app: Application) -> list[str]:
    """Applicant commitments not signed for the current content (any change needs a new signature)."""
    signed = set(app.commitments.filter(revision=app.revision).values_list("key", flat=True))
    return [
        c.key for c in app.definition.commitments if c.by == "applicant" and c.key not in signed
    ]


@transaction.atomic
def send_to_admin(application: Application, *, actor: User) -> None:
    app = _lock(application)
    _require_editable(app, actor)
    set_status(app, Status.AWAITING_APPROVAL, actor=actor)
    record("application.sent_to_admin", actor=actor, obj=app)
    application.status = app.status


@transaction.atomic
def send_back(application: Application, *, actor: User, comment: str) -> None:
    app = _lock(application)
    _require_admin(app, actor)
    if app.status != Status.AWAITING_APPROVAL:
        raise ApplicationError(_("只有待审核的申报可以退回填报人。"))
    comment = comment.strip()
    if not comment:
        raise ApplicationError(_("请写明退回的原因和修改意见。"))
    set_status(app, Status.DRAFT, actor=actor, admin_comment=comment)
    record("application.sent_back", actor=actor, obj=app, data={"comment": comment[:500]})
    application.status, application.admin_comment = app.status, app.admin_comment


# ----- the effective submission deadline -----------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """A deadline in force: ``at``, the ``original`` it replaces, and the extension that set it."""

    at: datetime | None
    original: datetime | None
    extension: Any = None  # a reviews.DeadlineExtension

    @property
    def extended(self) -> bool:
        return self.extension is not None


def submission_deadline(app: Application) -> Deadline:
    """By when this application must be submitted (or resubmitted), extensions included.

    While the application is back with the applicant after a return for revision, its date is
    the one the reviewer set (``resubmit_by``), moved later only by extensions granted for this
    application since the return. Otherwise it is the call's first deadline, moved later by
    extensions for this application or for all applicants of its first-level authority.
    Extensions are granted by the reviewing authorities (reviews.DeadlineExtension, looked up
    by name: filing does not import review) and only ever move a deadline later. Every guard
    and page that shows the applicant's deadline asks here.
    """
    extension_model = apps.get_model("reviews", "DeadlineExtension")
    extensions = (
        list(
            extension_model.objects.filter(
                call_id=app.call_id, kind=extension_model.Kind.SUBMISSION
            )
            .filter(Q(application_id=app.pk) | Q(application__isnull=True))
            .select_related("authority")
        )
        if app.call.submission_extended
        else []
    )
    own = [e for e in extensions if e.application_id == app.pk]
    if app.resubmit_by:
        original = app.resubmit_by
        returned_at = (
            app.status_changes.filter(to_status=Status.RETURNED)
            .order_by("-at")
            .values_list("at", flat=True)
            .first()
            if own
            else None
        )
        candidates = [e for e in own if returned_at is None or e.created_at >= returned_at]
    else:
        original = app.definition.first_deadline
        candidates = own
        general = [e for e in extensions if e.application_id is None]
        if general:
            receiver = app.first_level_id or _first_level_id(app)
            candidates = candidates + [e for e in general if e.authority_id == receiver]
    best = max(candidates, key=lambda e: (e.new_deadline, e.created_at), default=None)
    if original is None or best is None or best.new_deadline <= original:
        return Deadline(at=original, original=original)
    return Deadline(at=best.new_deadline, original=original, extension=best)


def deadline_of(app: Application) -> datetime | None:
    return submission_deadline(app).at


def _first_level_id(app: Application) -> int | None:
    try:
        return first_level_for(app).pk
    except ApplicationError:
        return None


def first_level_for(app: Application) -> Authority:
    """The authority that receives from this applicant: the city, or its zone where allowed."""
    level = app.definition.route[0]
    org = app.organisation
    kinds = [level.level, *level.alternatives]
    if level.authority:
        return Authority.objects.get(code=level.authority)
    if AuthorityKind.ZONE in kinds and org.zone_id:
        return org.zone
    if level.level == AuthorityKind.CITY:
        authority = org.city_authority
    elif level.level == AuthorityKind.PROVINCE:
        authority = Authority.objects.filter(
            kind=AuthorityKind.PROVINCE, region_id=org.province_id
        ).first()
    else:
        authority = Authority.objects.filter(kind=level.level).first()
    if authority is None:
        raise ApplicationError(_("未找到本机构所在地的受理单位，请联系平台管理员。"))
    return authority


VERIFICATION_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def new_verification_code() -> str:
    raw = "".join(secrets.choice(VERIFICATION_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


@transaction.atomic
def submit(application: Application, *, actor: User, now: datetime | None = None) -> Submission:
    """The organisation admin submits to the first level; the content is frozen as a version."""
    now = now or timezone.now()
    app = _lock(application)
    _require_admin(app, actor)
    if app.status not in {Status.DRAFT, Status.AWAITING_APPROVAL, Status.RETURNED}:
        raise ApplicationError(_("该申报已提交。"))
    # The checks, the printable and the frozen content all read the rows and files: once.
    prefetch_related_objects([app], "rows", "files")
    deadline = deadline_of(app)
    if deadline and now > deadline:
        raise ApplicationError(
            _("已过申报截止时间（%(deadline)s，北京时间），不能提交。")
            % {"deadline": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M")}
        )
    ctx = Context.of(app, today=timezone.localdate(now))
    problems = gaps(ctx)
    if problems:
        raise ApplicationError(
            _("申报材料尚不完整（%(n)d 处），请先在“提交前检查”中逐项补全。") % {"n": len(problems)}
        )
    if missing_commitments(app):
        raise ApplicationError(_("请先由法定代表人签署信用承诺（修改内容后需重新签署）。"))
    authority = first_level_for(app)
    number = app.submissions.count() + 1
    code = new_verification_code()
    printable = build_printable(
        app, draft=False, verification_code=code, submitted_at=now, version=number
    )
    content = {
        "printable": printable.to_dict(),
        "values": app.values,
        "rows": [
            {"roster": r.roster, "position": r.position, "values": r.values} for r in app.rows.all()
        ],
        "files": [
            {
                "item": f.item,
                "row": f.row_id,
                "name": f.original_name,
                "sha256": f.sha256,
                "size": f.size,
            }
            for f in app.files.all()
        ],
        "call_version": app.call_version.version,
        "track": app.track,
    }
    digest = hashlib.sha256(
        json.dumps(content, sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()
    submission = Submission.objects.create(
        application=app,
        number=number,
        content=content,
        digest=digest,
        verification_code=code,
        submitted_by=actor,
        submitted_at=now,
    )
    results = rule_results(ctx, ctx.today)
    set_status(
        app,
        Status.SUBMITTED,
        actor=actor,
        at=now,
        submitted_at=now,
        first_level=authority,
        admin_comment="",
        rule_failures=sum(1 for r in results if r.result == "fail" and r.rule.severity == "error"),
        rule_undecided=sum(1 for r in results if r.result == "undecided"),
        field_code=str((app.values or {}).get("professional_field") or "")[:12],
    )
    application_submitted.send(
        sender=Application, application=app, submission=submission, actor=actor, now=now
    )
    record(
        "application.submitted",
        actor=actor,
        obj=app,
        data={"authority": authority.name, "version": number, "digest": digest},
    )
    _draw_pdf_ahead(submission)
    application.status, application.first_level = app.status, authority
    return submission


def _draw_pdf_ahead(submission: Submission) -> None:
    """With a task queue, a worker draws the version's PDF now (kept_pdf), so that reviewers
    never wait for it; run inline, it would make the submission wait, so the first download
    draws it instead."""
    from filing.applications.tasks import draw_pdf_task
    from filing.celery import app as queue

    if not queue.conf.task_always_eager:
        transaction.on_commit(lambda: draw_pdf_task.delay(submission.pk))


@transaction.atomic
def withdraw(
    application: Application, *, actor: User, reason: str, now: datetime | None = None
) -> None:
    """Take a submission back (撤回) before the reviewer has taken it up and before the deadline."""
    now = now or timezone.now()
    app = _lock(application)
    _require_admin(app, actor)
    if app.taken_up_at or app.status == Status.IN_REVIEW:
        raise ApplicationError(_("审核单位已受理，不能撤回。如需修改请联系审核单位退回。"))
    if app.status != Status.SUBMITTED:
        raise ApplicationError(_("只有已提交、尚未受理的申报可以撤回。"))
    deadline = deadline_of(app)
    if deadline and now > deadline:
        raise ApplicationError(_("已过申报截止时间，不能撤回。"))
    reason = reason.strip()
    if not reason:
        raise ApplicationError(_("请填写撤回原因。"))
    app.submissions.filter(withdrawn_at__isnull=True).update(
        withdrawn_at=now, withdraw_reason=reason
    )
    set_status(app, Status.DRAFT, actor=actor, at=now)
    record("application.withdrawn", actor=actor, obj=app, data={"reason": reason[:500]})
    application.status = app.status
