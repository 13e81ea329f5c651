from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from filing.applications import excel, kept_pdf, services, uploads
from filing.applications.constants import FROZEN
from filing.applications.evaluation import (
    Context,
    applies,
    attachment_required,
    gaps,
    row_condition,
    rule_results,
    section_status,
)
from filing.applications.fields import clean_value
from filing.applications.forms import (
    CommentForm,
    CommitmentForm,
    FileForm,
    StartForm,
    VerifyForm,
    WithdrawForm,
    field_views,
    raw_from_post,
)
from filing.applications.history import time_in_states
from filing.applications.models import Application, Attachment, RosterRow, Submission
from filing.applications.printable import Printable
from filing.applications.printing import build_printable
from filing.audit.services import record
from filing.calls.models import Call
from filing.orgs.access import applicant_required
from filing.orgs.two_factor import safe_next


def get_application_for(
    user, pk: int, *, for_update: bool = False, also: tuple[str, ...] = ()
) -> Application:
    """404 for an application the person may not see; staff see submitted ones in their area.

    `for_update`: lock the application's row (not the shared call rows) in the transaction the
    caller opened, for a service it then hands the application to with `locked=True`.
    `also`: further relations the page shows, read in the same query.
    """
    qs = (
        Application.objects.visible_to(user)
        # What every application page reads. Each further join costs building and planning its
        # query on every request, so the few pages that show the issuer, the first level or the
        # organisation's region ask for them (`also`) or read them when they do.
        .select_related("call", "call_version", "organisation", *also)
        .defer("call_version__definition")
    )  # read through the shared parsed copy (calls.models)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    return get_object_or_404(qs, pk=pk)


def _t(text) -> str:
    return text.get(get_language()) if text is not None else ""


def _deny_staff(request: HttpRequest, app: Application) -> None:
    if not (request.user.is_applicant and request.user.organisation_id == app.organisation_id):
        raise PermissionDenied


def _layout(app: Application, ctx: Context, current: str) -> dict:
    """What every application page shows: the side index with the state of each part."""
    status = section_status(ctx)
    sections = [
        {
            "key": s.key,
            "title": _t(s.title),
            "status": status.get(s.key),
            "url": reverse("applications:section", args=[app.pk, s.key]),
        }
        for s, _f in ctx.sections()
    ]
    counts = ctx.row_counts()
    rosters = [
        {
            "key": r.key,
            "title": _t(r.title),
            "count": counts.get(r.key, 0),
            "url": reverse("applications:roster", args=[app.pk, r.key]),
        }
        for r in ctx.rosters()
    ]
    deadline = services.submission_deadline(app)
    return {
        "app": app,
        "ctx": ctx,
        "index_sections": sections,
        "index_rosters": rosters,
        "has_attachments": bool(ctx.attachments()),
        "has_commitments": any(c.by == "applicant" for c in ctx.definition.commitments),
        "current": current,
        "deadline": deadline.at,
        "deadline_extension": deadline.extension,
        "deadline_original": deadline.original,
        "deadline_passed": bool(deadline.at and timezone.now() > deadline.at),
        "track_title": _t(
            next((t.title for t in ctx.definition.tracks if t.key == app.track), None)
        ),
        "can_edit": app.is_editable,
    }


# ----- the applicant's home and starting an application -------------------------------------


@applicant_required
def home(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    apps = (
        Application.objects.visible_to(request.user)
        .select_related("call", "call_version", "first_level")
        .order_by("-updated_at")
    )
    rows = []
    for app in apps:
        deadline = services.deadline_of(app)
        rows.append(
            {
                "app": app,
                "deadline": deadline,
                "left": deadline and deadline > now and deadline - now,
            }
        )
    open_calls = (
        Call.objects.published()
        .open_at(now)
        .select_related("issuer")
        .order_by("submission_deadline")
    )
    return render(request, "applications/home.html", {"rows": rows, "open_calls": open_calls})


@applicant_required
def start(request: HttpRequest, code: str) -> HttpResponse:
    call = get_object_or_404(Call.objects.published(), code=code)
    tracks = [(t.key, _t(t.title)) for t in call.definition.tracks]
    form = StartForm(request.POST or None, tracks=tracks)
    if request.method == "POST" and form.is_valid():
        try:
            app = services.start_application(
                call,
                actor=request.user,
                track=form.cleaned_data["track"],
                space_name=form.cleaned_data["space_name"],
            )
        except services.ApplicationError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("applications:overview", app.pk)
    return render(request, "applications/start.html", {"call": call, "form": form})


@login_required
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    # The page names the authority it was submitted to: once submitted, the most looked-at page.
    app = get_application_for(request.user, pk, also=("first_level",))
    ctx = Context.of(app)
    context = _layout(app, ctx, "overview")
    context["submissions"] = app.submissions.defer("content", "summary_cells")  # listed only
    context["problems"] = gaps(ctx) if app.is_editable else []
    context["state_times"] = time_in_states(app, timezone.now())
    return render(request, "applications/overview.html", context)


# ----- form sections -------------------------------------------------------------------------


@login_required
def section(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    if request.method == "POST":
        # The application is read and locked at once: the save needs it locked, and a second
        # read of the same row cost a save about a sixth of its CPU.
        with transaction.atomic():
            app = get_application_for(request.user, pk, for_update=True)
            saved = _save_section(request, app, key)
        if isinstance(saved, HttpResponse):
            return saved
        return _section_page(request, app, key, *saved)
    return _section_page(request, get_application_for(request.user, pk), key)


def _find_section(ctx: Context, key: str):
    found = next(((s, f) for s, f in ctx.sections() if s.key == key), None)
    if found is None:
        raise Http404
    return found


def _save_section(
    request: HttpRequest, app: Application, key: str
) -> HttpResponse | tuple[dict, dict]:
    """Save the posted section; a redirect, or what the page shows again after a conflict."""
    _deny_staff(request, app)
    # A save that goes through redirects at once: it needs no roster rows or files.
    sec, fields = _find_section(Context.of(app, with_rows=False, with_files=False), key)
    posted = raw_from_post(fields, request.POST)
    try:
        base_posted = json.loads(request.POST.get("_base", "{}"))
        revision_posted = int(request.POST.get("_revision", "0"))
    except (ValueError, TypeError):
        base_posted, revision_posted = {}, 0
    if not isinstance(base_posted, dict):  # a page never posts anything else
        base_posted = {}
    try:
        result = services.save_values(
            app,
            actor=request.user,
            section_title=_t(sec.title),
            posted=posted,
            base=base_posted,
            revision=revision_posted,
            locked=True,
        )
    except services.ApplicationError as exc:
        messages.error(request, str(exc))
        return redirect("applications:overview", app.pk)
    if result.saved:
        messages.success(request, _("已保存。"))
        return redirect(f"{reverse('applications:section', args=[app.pk, key])}")
    messages.warning(
        request,
        _(
            "保存前，其他人已修改了本页的部分内容（见下方标出的字段）。您的输入仍在页面上；核对后再次保存将以您的输入为准。"
        ),
    )
    return posted, result.conflicts


def _section_page(
    request: HttpRequest,
    app: Application,
    key: str,
    posted: dict | None = None,
    conflicts: dict | None = None,
) -> HttpResponse:
    """The section's form: as saved, or (after a conflict) with this person's input kept."""
    ctx = Context.of(app)
    sec, fields = _find_section(ctx, key)
    raw = dict(app.values or {})
    base = {f.key: raw.get(f.key) for f in fields if f.type != "computed"}
    if posted is not None:
        raw.update(posted)  # keep what this person typed on the page
    ctx.values = raw
    # Only this section's computed fields are shown (what they read is typed with them).
    typed = ctx.typed(only=frozenset(f.key for f in fields if f.type == "computed"))
    views = field_views(
        fields, raw, typed, show_errors=request.method == "POST" or bool(app.values)
    )
    for view in views:
        if view.key in (conflicts or {}):
            view.conflict = conflicts[view.key]
    context = _layout(app, ctx, f"section:{key}")
    context.update(
        {
            "section": sec,
            "section_title": _t(sec.title),
            "section_help": _t(sec.help),
            "fields": views,
            "base_json": json.dumps(base, ensure_ascii=False),
            "revision": app.revision,
            "readonly": not (
                app.is_editable and request.user.organisation_id == app.organisation_id
            ),
        }
    )
    return render(request, "applications/section.html", context)


@login_required
def computed(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """htmx: computed values of a section for what is on the page now (nothing is saved)."""
    app = get_application_for(request.user, pk)
    ctx = Context.of(app)
    found = next(((s, f) for s, f in ctx.sections() if s.key == key), None)
    if found is None:
        raise Http404
    _sec, fields = found
    ctx.values = {**(app.values or {}), **raw_from_post(fields, request.POST)}
    typed = ctx.typed()
    views = [
        v
        for v in field_views(fields, ctx.values, typed, show_errors=True)
        if v.field.type == "computed"
    ]
    return render(request, "applications/computed_values.html", {"fields": views})


# ----- rosters -------------------------------------------------------------------------------


def _roster(ctx: Context, key: str):
    roster = next((r for r in ctx.rosters() if r.key == key), None)
    if roster is None:
        raise Http404
    return roster


@login_required
def roster(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    app = get_application_for(request.user, pk)
    ctx = Context.of(app)
    ros = _roster(ctx, key)
    columns = ctx.columns(ros)
    raw: dict = {}
    views = None
    if request.method == "POST":
        _deny_staff(request, app)
        raw = raw_from_post(columns, request.POST)
        views = field_views(columns, raw, {}, show_errors=True)
        errors = [v for v in views if v.error or (v.field.required and not v.text and not v.chosen)]
        if not errors:
            try:
                services.save_row(
                    app, actor=request.user, roster_key=key, roster_title=_t(ros.title), values=raw
                )
            except services.ApplicationError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("已添加一行。"))
                return redirect("applications:roster", app.pk, key)
        for v in views:
            if v.field.required and not v.error and not (v.text or v.chosen or v.answer):
                v.error = _("必填。")
    rows = list(app.rows.filter(roster=key).prefetch_related("files"))
    table = []
    for row in rows:
        row_views = field_views(columns, row.values, {}, show_errors=True)
        typed_row = {c.key: None for c in columns}
        for c in columns:
            try:
                typed_row[c.key] = clean_value(c, row.values.get(c.key))
            except ValidationError:
                typed_row[c.key] = None
        evidence = []
        for ev in ros.evidence:
            needed = ev.required or bool(
                ev.required_if and row_condition(ev.required_if, typed_row, ctx.today)
            )
            files = [f for f in row.files.all() if f.item == ev.key]
            evidence.append(
                {
                    "ev": ev,
                    "label": _t(ev.label),
                    "needed": needed,
                    "files": files,
                    "short": needed and len(files) < ev.min_files,
                }
            )
        table.append({"row": row, "cells": row_views, "evidence": evidence})
    context = _layout(app, ctx, f"roster:{key}")
    context.update(
        {
            "roster": ros,
            "roster_title": _t(ros.title),
            "roster_help": _t(ros.help),
            "columns": columns,
            "table": table,
            "new_row": views or field_views(columns, {}, {}, show_errors=False),
            "upload_form": FileForm(),
        }
    )
    return render(request, "applications/roster.html", context)


@login_required
def row_edit(request: HttpRequest, pk: int, key: str, row_pk: int) -> HttpResponse:
    app = get_application_for(request.user, pk)
    _deny_staff(request, app)
    ctx = Context.of(app)
    ros = _roster(ctx, key)
    row = get_object_or_404(RosterRow, pk=row_pk, application=app, roster=key)
    columns = ctx.columns(ros)
    raw = row.values
    show = False
    if request.method == "POST":
        raw = raw_from_post(columns, request.POST)
        views = field_views(columns, raw, {}, show_errors=True)
        if not any(v.error for v in views):
            try:
                services.save_row(
                    app,
                    actor=request.user,
                    roster_key=key,
                    roster_title=_t(ros.title),
                    values=raw,
                    row=row,
                )
            except services.ApplicationError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("已保存第 %(n)d 行。") % {"n": row.position})
                return redirect("applications:roster", app.pk, key)
        show = True
    context = _layout(app, ctx, f"roster:{key}")
    context.update(
        {
            "roster": ros,
            "roster_title": _t(ros.title),
            "row": row,
            "fields": field_views(columns, raw, {}, show_errors=show),
        }
    )
    return render(request, "applications/row_edit.html", context)


@require_POST
@login_required
def row_delete(request: HttpRequest, pk: int, key: str, row_pk: int) -> HttpResponse:
    app = get_application_for(request.user, pk)
    _deny_staff(request, app)
    ros = _roster(Context.of(app), key)
    row = get_object_or_404(RosterRow, pk=row_pk, application=app, roster=key)
    try:
        services.remove_row(app, actor=request.user, row=row, roster_title=_t(ros.title))
    except services.ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已删除一行。"))
    return redirect("applications:roster", app.pk, key)


@login_required
def roster_template(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    app = get_application_for(request.user, pk)
    ctx = Context.of(app)
    ros = _roster(ctx, key)
    rows = [r.values for r in app.rows.filter(roster=key)]
    content = excel.roster_template(ctx.definition, key, app.track, rows=rows)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(_t(ros.title))}.xlsx"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@require_POST
@login_required
def roster_upload(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    app = get_application_for(request.user, pk)
    _deny_staff(request, app)
    ctx = Context.of(app)
    ros = _roster(ctx, key)
    form = FileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的 Excel 文件。"))
        return redirect("applications:roster", app.pk, key)
    try:
        rows = excel.parse_roster(ctx.definition, key, app.track, form.cleaned_data["file"])
        if not rows:
            messages.error(request, _("文件中没有数据行，原有名单保持不变。如需清空，请逐行删除。"))
            return redirect("applications:roster", app.pk, key)
        count = services.replace_roster(
            app, actor=request.user, roster_key=key, roster_title=_t(ros.title), rows=rows
        )
    except excel.RosterUploadError as exc:
        context = _layout(app, ctx, f"roster:{key}")
        context.update({"roster_title": _t(ros.title), "problems": exc.problems, "roster": ros})
        return render(request, "applications/roster_upload_problems.html", context, status=400)
    except services.ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已导入 %(n)d 行，原有内容已替换。") % {"n": count})
    return redirect("applications:roster", app.pk, key)


@require_POST
@login_required
def row_file_upload(
    request: HttpRequest, pk: int, key: str, row_pk: int, evidence: str
) -> HttpResponse:
    app = get_application_for(request.user, pk)
    _deny_staff(request, app)
    ros = _roster(Context.of(app), key)
    row = get_object_or_404(RosterRow, pk=row_pk, application=app, roster=key)
    if not any(e.key == evidence for e in ros.evidence):
        raise Http404
    _store_upload(request, app, evidence, row)
    return redirect(f"{reverse('applications:roster', args=[app.pk, key])}#row-{row.pk}")


# ----- attachments ---------------------------------------------------------------------------


def _store_upload(
    request: HttpRequest, app: Application, item: str, row: RosterRow | None = None
) -> None:
    files = request.FILES.getlist("file")
    if not files:
        messages.error(request, _("请选择要上传的文件。"))
        return
    for upload in files:
        try:
            services.add_file(app, actor=request.user, item=item, upload=upload, row=row)
        except services.ApplicationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已上传 %(name)s。") % {"name": upload.name})


@login_required
def attachments(request: HttpRequest, pk: int) -> HttpResponse:
    app = get_application_for(request.user, pk)
    ctx = Context.of(app)
    typed = ctx.typed()
    files: dict[str, list[Attachment]] = {}
    for f in app.files.filter(row__isnull=True):
        files.setdefault(f.item, []).append(f)
    items = [
        {
            "item": a,
            "label": _t(a.label),
            "help": _t(a.help),
            "required": attachment_required(a, typed, ctx.today),
            "conditional": bool(a.required_if),
            "files": files.get(a.key, []),
        }
        for a in ctx.attachments()
    ]
    context = _layout(app, ctx, "attachments")
    context.update({"items": items, "form": FileForm(), "max_mb": uploads.max_bytes() // 1048576})
    return render(request, "applications/attachments.html", context)


@require_POST
@login_required
def attachment_upload(request: HttpRequest, pk: int, item: str) -> HttpResponse:
    app = get_application_for(request.user, pk)
    _deny_staff(request, app)
    if not any(a.key == item and applies(a.tracks, app.track) for a in app.definition.attachments):
        raise Http404
    _store_upload(request, app, item)
    return redirect(f"{reverse('applications:attachments', args=[app.pk])}#item-{item}")


@login_required
def file_download(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    """Files have no public address: they are served here, to those who may see the application."""
    app = get_application_for(request.user, pk)
    attachment = get_object_or_404(Attachment, pk=file_pk, application=app)
    if request.user.is_authority_staff:
        record(
            "application.file_downloaded",
            actor=request.user,
            obj=app,
            data={"name": attachment.original_name},
        )
    return uploads.serve_private(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )


@require_POST
@login_required
def file_delete(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    app = get_application_for(request.user, pk)
    _deny_staff(request, app)
    attachment = get_object_or_404(Attachment, pk=file_pk, application=app)
    try:
        services.remove_file(app, actor=request.user, attachment=attachment)
    except services.ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已删除 %(name)s。") % {"name": attachment.original_name})
    # Only back to a page of this site: a posted "next" must not send anyone elsewhere.
    return redirect(safe_next(request, reverse("applications:attachments", args=[app.pk])))


# ----- commitment, checks and the two tiers ------------------------------------------------


@login_required
def commitment(request: HttpRequest, pk: int) -> HttpResponse:
    app = get_application_for(request.user, pk)
    ctx = Context.of(app)
    items = [c for c in ctx.definition.commitments if c.by == "applicant"]
    form = CommitmentForm(request.POST or None)
    if request.method == "POST":
        _deny_staff(request, app)
        if form.is_valid():
            try:
                for item in items:
                    services.accept_commitment(
                        app,
                        actor=request.user,
                        key=item.key,
                        signer_name=form.cleaned_data["signer_name"],
                    )
            except services.ApplicationError as exc:
                form.add_error("signer_name", str(exc))
            else:
                messages.success(request, _("信用承诺已签署。"))
                return redirect("applications:check", app.pk)
    signed = app.commitments.filter(revision=app.revision).order_by("-accepted_at").first()
    context = _layout(app, ctx, "commitment")
    context.update(
        {
            "items": [(_t(c.title), c.text, _t(c.signer)) for c in items],
            "form": form,
            "signed": signed,
            "legal": app.organisation.legal_representative,
        }
    )
    return render(request, "applications/commitment.html", context)


@login_required
def check(request: HttpRequest, pk: int) -> HttpResponse:
    app = get_application_for(request.user, pk)
    ctx = Context.of(app)
    problems = gaps(ctx)
    for gap in problems:
        kind, _sep, rest = gap.where.partition(":")
        if gap.where.startswith("section:"):
            key, _h, anchor = rest.partition("#")
            gap.url = reverse("applications:section", args=[app.pk, key]) + f"#field-{anchor}"
        elif gap.where.startswith("roster:"):
            gap.url = reverse("applications:roster", args=[app.pk, rest])
        else:
            gap.url = (
                reverse("applications:attachments", args=[app.pk])
                + "#item-"
                + gap.where.partition("#")[2]
            )
    results = rule_results(ctx, timezone.localdate())
    context = _layout(app, ctx, "check")
    context.update(
        {
            "problems": problems,
            "results": results,
            "missing_commitments": services.missing_commitments(app),
            "fails": sum(1 for r in results if r.result == "fail" and r.rule.severity == "error"),
        }
    )
    return render(request, "applications/check.html", context)


def _transition(
    request: HttpRequest, app: Application, action, success: str, **kwargs
) -> HttpResponse:
    try:
        action(app, actor=request.user, **kwargs)
    except services.ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect("applications:overview", app.pk)


@require_POST
@login_required
def send_to_admin(request: HttpRequest, pk: int) -> HttpResponse:
    app = get_application_for(request.user, pk)
    _deny_staff(request, app)
    return _transition(request, app, services.send_to_admin, _("已提交机构管理员审核。"))


def _with_reason(
    request, app, form_class, action, success: str, title: str, button: str
) -> HttpResponse:
    """A step that needs a written reason: the form on GET, the action on a valid POST."""
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _transition(request, app, action, success, **form.cleaned_data)
    context = _layout(app, Context.of(app), "overview")
    context.update({"form": form, "title": title, "button": button})
    return render(request, "applications/confirm.html", context)


@login_required
def send_back(request: HttpRequest, pk: int) -> HttpResponse:
    app = get_application_for(request.user, pk)
    _deny_staff(request, app)
    return _with_reason(
        request,
        app,
        CommentForm,
        services.send_back,
        _("已退回填报人修改。"),
        _("退回填报人"),
        _("退回"),
    )


@login_required
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    app = get_application_for(request.user, pk)
    _deny_staff(request, app)
    if request.method == "POST":
        try:
            submission = services.submit(app, actor=request.user)
        except services.ApplicationError as exc:
            messages.error(request, str(exc))
            return redirect("applications:check", app.pk)
        messages.success(
            request,
            _("已提交至 %(authority)s（第 %(n)d 版，核验码 %(code)s）。")
            % {
                "authority": app.first_level,
                "n": submission.number,
                "code": submission.verification_code,
            },
        )
        return redirect("applications:overview", app.pk)
    ctx = Context.of(app)
    context = _layout(app, ctx, "overview")
    try:
        authority = services.first_level_for(app)
    except services.ApplicationError:
        authority = None
    context.update(
        {
            "title": _("提交申报"),
            "button": _("确认提交"),
            "authority": authority,
            "problems": gaps(ctx),
        }
    )
    return render(request, "applications/confirm.html", context)


@login_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    app = get_application_for(request.user, pk)
    _deny_staff(request, app)
    return _with_reason(
        request,
        app,
        WithdrawForm,
        services.withdraw,
        _("申报已撤回，可修改后重新提交。"),
        _("撤回申报"),
        _("撤回"),
    )


# ----- documents -----------------------------------------------------------------------------


def _document(content: bytes, filename: str, kind: str) -> HttpResponse:
    types = {
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
    response = HttpResponse(content, content_type=types[kind])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}.{kind}"
    return response


def _frozen_version(app: Application) -> Submission | None:
    """The version a submitted application prints; None while it is being edited (a draft)."""
    latest = app.submissions.filter(withdrawn_at__isnull=True).first()
    return latest if app.status in FROZEN else None


def _current_printable(app: Application):
    """A submitted application prints its frozen version; one being edited prints as a draft."""
    if latest := _frozen_version(app):
        return Printable.from_dict(latest.content["printable"])
    return build_printable(app, draft=True)


@login_required
def print_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from filing.documents.pdf import render_pdf

    app = get_application_for(request.user, pk)
    if latest := _frozen_version(app):
        content = kept_pdf.submission_pdf(latest)
    else:
        content = render_pdf(build_printable(app, draft=True))
    return _document(content, f"{app.space_name}申报书", "pdf")


@login_required
def print_docx(request: HttpRequest, pk: int) -> HttpResponse:
    from filing.documents.docx import render_docx

    app = get_application_for(request.user, pk)
    return _document(render_docx(_current_printable(app)), f"{app.space_name}申报书", "docx")


@login_required
def submission_pdf(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    app = get_application_for(request.user, pk)
    submission = get_object_or_404(Submission, application=app, number=number)
    return _document(
        kept_pdf.submission_pdf(submission),
        f"{app.space_name}申报书-第{number}版",
        "pdf",
    )


def verify(request: HttpRequest) -> HttpResponse:
    """Anyone holding a paper copy can confirm it matches a submitted version."""
    form = VerifyForm(request.GET or None)
    found = None
    searched = False
    if form.is_valid():
        searched = True
        code = form.cleaned_data["code"].strip().upper().replace(" ", "")
        if len(code) == 12:
            code = f"{code[:4]}-{code[4:8]}-{code[8:]}"
        found = (
            Submission.objects.select_related(
                "application", "application__organisation", "application__call"
            )
            .filter(verification_code=code)
            .first()
        )
    return render(
        request, "applications/verify.html", {"form": form, "found": found, "searched": searched}
    )
