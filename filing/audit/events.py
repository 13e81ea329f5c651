"""Every audit event code and the one sentence it renders to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from filing.audit.models import AuditEvent

SENTENCES = {
    "org.registered": _("%(actor)s 注册了机构 %(object)s"),
    "org.updated": _("%(actor)s 修改了机构 %(object)s 的信息"),
    "org.member_invited": _("%(actor)s 邀请 %(email)s 加入 %(object)s"),
    "org.member_joined": _("%(actor)s 接受邀请，加入 %(object)s"),
    "org.member_deactivated": _("%(actor)s 停用了账号 %(object)s"),
    "user.logged_in": _("%(actor)s 登录"),
    "user.logged_out": _("%(actor)s 退出登录"),
    "user.login_failed": _("账号 %(username)s 登录失败"),
    "user.password_changed": _("%(actor)s 修改了密码"),
    "user.password_reset": _("%(actor)s 通过邮件重置了密码"),
    "call.loaded": _("%(actor)s 载入了申报批次 %(object)s 第 %(version)s 版"),
    "admin.added": _("%(actor)s 在管理后台新增了 %(object)s"),
    "admin.changed": _("%(actor)s 在管理后台修改了 %(object)s"),
    "admin.deleted": _("%(actor)s 在管理后台删除了 %(object)s"),
}


def describe(event: AuditEvent) -> str:
    template = SENTENCES.get(event.event)
    params = {
        "actor": event.actor_label or _("系统"),
        "object": event.object_repr or (event.data or {}).get("object_repr", ""),
        **{k: v for k, v in (event.data or {}).items() if isinstance(v, str | int)},
    }
    if template is None:
        return f"{params['actor']} {event.event} {event.object_repr}"
    try:
        return str(template) % params
    except (KeyError, ValueError):
        return f"{params['actor']} {event.event} {event.object_repr}"
