from __future__ import annotations

import base64

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from filing.audit.models import AuditEvent
from filing.audit.services import record
from filing.orgs import services
from filing.orgs.access import (
    applicant_required,
    authority_staff_required,
    get_organisation_for,
    org_admin_required,
)
from filing.orgs.forms import (
    ORG_FIELDS,
    AcceptInvitationForm,
    InviteForm,
    OrganisationForm,
    RegistrationForm,
)
from filing.orgs.models import Organisation, User


def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("front:dashboard")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org, user = services.register_organisation(
                organisation=form.organisation_data(),
                admin=form.admin_data(),
                password=form.cleaned_data["password1"],
            )
        except services.OrgError as exc:
            form.add_error("credit_code", str(exc))
        else:
            login(request, user, backend="filing.orgs.backends.PersonBackend")
            messages.success(request, _("机构已注册，您是本机构的管理员（一级用户）。"))
            return redirect("orgs:my_organisation")
    return render(request, "orgs/register.html", {"form": form})


@applicant_required
def my_organisation(request: HttpRequest) -> HttpResponse:
    org = request.user.organisation
    form = None
    if request.user.is_org_admin:
        form = OrganisationForm(request.POST or None, instance=Organisation.objects.get(pk=org.pk))
        form.fields["credit_code"].disabled = True
        if request.method == "POST" and form.is_valid():
            changes = {k: form.cleaned_data[k] for k in ORG_FIELDS if k != "credit_code"}
            try:
                services.update_organisation(org, actor=request.user, changes=changes)
            except services.OrgError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("机构信息已保存。"))
                return redirect("orgs:my_organisation")
    elif request.method == "POST":
        messages.error(request, _("只有本机构管理员可以修改机构信息。"))
    return render(request, "orgs/my_organisation.html", {"org": org, "form": form})


@org_admin_required
def members(request: HttpRequest) -> HttpResponse:
    org = request.user.organisation
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.invite_member(
                org, actor=request.user, email=form.cleaned_data["email"]
            )
        except services.OrgError as exc:
            form.add_error("email", str(exc))
        else:
            messages.success(
                request,
                _("邀请已发送至 %(email)s，链接七日内有效。") % {"email": issued.invitation.email},
            )
            return redirect("orgs:members")
    context = {
        "form": form,
        "members": org.members.order_by("-is_active", "role", "username"),
        "invitations": org.invitations.pending().order_by("-created_at"),
    }
    return render(request, "orgs/members.html", context)


@require_POST
@org_admin_required
def deactivate_member(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(User, pk=pk, organisation=request.user.organisation)
    try:
        services.deactivate_member(member, actor=request.user)
    except services.OrgError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("账号 %(name)s 已停用。") % {"name": member})
    return redirect("orgs:members")


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.find_invitation(token)
    if invitation is None:
        return render(request, "orgs/invitation_invalid.html", status=404)
    form = AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(
                token,
                username=form.cleaned_data["username"],
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except services.OrgError as exc:
            messages.error(request, str(exc))
        else:
            login(request, user, backend="filing.orgs.backends.PersonBackend")
            messages.success(request, _("欢迎加入 %(org)s。") % {"org": invitation.organisation})
            return redirect("front:dashboard")
    return render(request, "orgs/accept_invitation.html", {"form": form, "invitation": invitation})


@authority_staff_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    """The applicant organisations in the staff member's jurisdiction."""
    qs = Organisation.objects.visible_to(request.user).select_related("city", "province", "zone")
    query = request.GET.get("q", "").strip()[:50]
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(credit_code__icontains=query.upper()))
    page = Paginator(qs.order_by("city_id", "name"), 50).get_page(request.GET.get("page"))
    return render(request, "orgs/organisation_list.html", {"page": page, "query": query})


@authority_staff_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_organisation_for(request.user, pk)
    events = AuditEvent.objects.for_object(org)[:50]
    return render(
        request,
        "orgs/organisation_detail.html",
        {"org": org, "members": org.members.filter(is_active=True), "events": events},
    )


# ----- two-factor login for staff ----------------------------------------------------------


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """The second step: enter the current code; set up the authenticator first if need be."""
    import segno
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from filing.orgs.two_factor import safe_next

    user = request.user
    if not (user.is_authority_staff or user.is_superuser):
        return redirect("front:dashboard")
    next_url = safe_next(request, reverse("front:dashboard"))
    if user.is_verified():
        return redirect(next_url)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    setting_up = device is None
    if setting_up:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=_("验证器"), confirmed=False)
    error = ""
    if request.method == "POST":
        token = "".join(ch for ch in request.POST.get("token", "") if ch.isdigit())
        if len(token) == 6 and device.verify_token(token):
            if setting_up:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                record("user.two_factor_enabled", actor=user, obj=user)
            otp_login(request, device)
            return redirect(next_url)
        record("user.two_factor_failed", actor=user, obj=user)
        error = _("验证码不正确或已过期，请输入验证器上当前显示的 6 位数字。")
    context = {"setting_up": setting_up, "error": error, "next": next_url}
    if setting_up:
        context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(scale=4)
        key = base64.b32encode(device.bin_key).decode()
        context["secret"] = " ".join(key[i : i + 4] for i in range(0, len(key), 4))
    return render(request, "registration/two_factor.html", context)
