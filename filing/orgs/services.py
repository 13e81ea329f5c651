"""State changes of organisations and people; each writes an audit row."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from filing.audit.services import record
from filing.orgs.constants import Role
from filing.orgs.models import Invitation, Organisation, User


class OrgError(Exception):
    """A refused action, with a message for the person who asked."""


@transaction.atomic
def register_organisation(
    *, organisation: dict[str, Any], admin: dict[str, Any], password: str
) -> tuple[Organisation, User]:
    """Create an applicant organisation with its first user as organisation admin."""
    if Organisation.objects.filter(credit_code=organisation["credit_code"]).exists():
        raise OrgError(_("该统一社会信用代码已注册。请联系本机构管理员邀请您加入。"))
    org = Organisation.objects.create(**organisation)
    user = User(organisation=org, role=Role.ORG_ADMIN, **admin)
    user.set_password(password)
    user.save()
    record("org.registered", actor=user, obj=org, data={"credit_code": org.credit_code})
    return org, user


@transaction.atomic
def update_organisation(org: Organisation, *, actor: User, changes: dict[str, Any]) -> None:
    if not (actor.is_org_admin and actor.organisation_id == org.pk):
        raise OrgError(_("只有本机构管理员可以修改机构信息。"))
    old = {k: str(getattr(org, k)) for k in changes}
    for key, value in changes.items():
        setattr(org, key, value)
    org.full_clean()
    org.save(update_fields=[*changes, "updated_at"])
    new = {k: str(getattr(org, k)) for k in changes}
    diff = {k: [old[k], new[k]] for k in changes if old[k] != new[k]}
    if diff:
        record("org.updated", actor=actor, obj=org, data={"changes": diff})


@dataclass
class IssuedInvitation:
    invitation: Invitation
    url: str


@transaction.atomic
def invite_member(
    org: Organisation, *, actor: User, email: str, now: datetime | None = None
) -> IssuedInvitation:
    """An organisation admin invites a filler by email; the link is valid for seven days."""
    now = now or timezone.now()
    if not (actor.is_org_admin and actor.organisation_id == org.pk):
        raise OrgError(_("只有本机构管理员可以邀请填报人。"))
    if User.objects.filter(email__iexact=email, is_active=True).exists():
        raise OrgError(_("该邮箱已有账号。一个人只能属于一个机构或一个主管部门。"))
    org.invitations.pending(now).filter(email__iexact=email).update(revoked=True)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=org,
        email=email,
        role=Role.FILLER,
        token_hash=Invitation.hash_token(token),
        invited_by=actor,
        expires_at=now + Invitation.VALID_FOR,
    )
    url = settings.SITE_URL.rstrip("/") + reverse("orgs:accept_invitation", args=[token])
    record("org.member_invited", actor=actor, obj=org, data={"email": email})
    transaction.on_commit(lambda: _send_invitation(invitation, url))
    return IssuedInvitation(invitation, url)


def _send_invitation(invitation: Invitation, url: str) -> None:
    subject = _("邀请您加入 %(org)s 的众创空间备案申报") % {"org": invitation.organisation.name}
    body = _(
        "%(inviter)s 邀请您作为填报人加入 %(org)s。\n请在七日内打开以下链接设置账号：\n%(url)s\n"
    ) % {"inviter": invitation.invited_by, "org": invitation.organisation.name, "url": url}
    send_mail(subject, body, None, [invitation.email])


def find_invitation(token: str, now: datetime | None = None) -> Invitation | None:
    return (
        Invitation.objects.pending(now)
        .select_related("organisation")
        .filter(token_hash=Invitation.hash_token(token))
        .first()
    )


@transaction.atomic
def accept_invitation(
    token: str, *, username: str, full_name: str, password: str, now: datetime | None = None
) -> User:
    now = now or timezone.now()
    invitation = (
        Invitation.objects.select_for_update()
        .filter(token_hash=Invitation.hash_token(token))
        .first()
    )
    if invitation is None or invitation.revoked or invitation.accepted_at:
        raise OrgError(_("邀请链接无效或已使用。"))
    if invitation.expires_at <= now:
        raise OrgError(_("邀请链接已过期，请联系机构管理员重新邀请。"))
    user = User(
        username=username,
        full_name=full_name,
        email=invitation.email,
        organisation=invitation.organisation,
        role=invitation.role,
    )
    user.set_password(password)
    user.save()
    invitation.accepted_at = now
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    record("org.member_joined", actor=user, obj=invitation.organisation)
    return user


@transaction.atomic
def deactivate_member(member: User, *, actor: User) -> None:
    if not (actor.is_org_admin and member.organisation_id == actor.organisation_id):
        raise OrgError(_("只能停用本机构的账号。"))
    if member.pk == actor.pk:
        raise OrgError(_("不能停用自己的账号。"))
    member.is_active = False
    member.save(update_fields=["is_active"])
    record("org.member_deactivated", actor=actor, obj=member)
