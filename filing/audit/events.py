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
    "user.two_factor_enabled": _("%(actor)s 启用了两步验证"),
    "user.two_factor_failed": _("%(actor)s 两步验证码输入错误"),
    "user.password_changed": _("%(actor)s 修改了密码"),
    "user.password_reset": _("%(actor)s 通过邮件重置了密码"),
    "call.loaded": _("%(actor)s 载入了申报批次 %(object)s 第 %(version)s 版"),
    "application.created": _("%(actor)s 创建了申报 %(object)s"),
    "application.saved": _("%(actor)s 保存了申报 %(object)s 的“%(section)s”"),
    "application.row_saved": _("%(actor)s 修改了申报 %(object)s 的“%(roster)s”"),
    "application.row_removed": _("%(actor)s 删除了申报 %(object)s 的“%(roster)s”中的一行"),
    "application.roster_uploaded": _(
        "%(actor)s 上传了申报 %(object)s 的“%(roster)s”（%(rows)s 行）"
    ),
    "application.file_uploaded": _("%(actor)s 为申报 %(object)s 上传了文件 %(name)s"),
    "application.file_removed": _("%(actor)s 删除了申报 %(object)s 的文件 %(name)s"),
    "application.file_downloaded": _("%(actor)s 下载了申报 %(object)s 的文件 %(name)s"),
    "application.commitment_accepted": _(
        "%(actor)s 以 %(signer)s 的名义签署了申报 %(object)s 的信用承诺"
    ),
    "application.sent_to_admin": _("%(actor)s 将申报 %(object)s 提交机构管理员审核"),
    "application.sent_back": _("%(actor)s 将申报 %(object)s 退回填报人：%(comment)s"),
    "application.submitted": _(
        "%(actor)s 向 %(authority)s 提交了申报 %(object)s（第 %(version)s 版）"
    ),
    "application.withdrawn": _("%(actor)s 撤回了申报 %(object)s：%(reason)s"),
    "review.taken_up": _("%(actor)s（%(authority)s）受理了申报 %(object)s"),
    "review.saved": _("%(actor)s（%(authority)s）保存了申报 %(object)s 的审核记录"),
    "review.returned": _("%(actor)s 将申报 %(object)s 退回修改：%(reasons)s"),
    "review.recommended": _("%(actor)s 拟推荐申报 %(object)s"),
    "review.not_recommended": _("%(actor)s 不予推荐申报 %(object)s：%(reason)s"),
    "review.ranked": _("%(actor)s 调整了 %(object)s 的推荐排名"),
    "review.list_signed_off": _("%(actor)s 签发了 %(authority)s 的 %(object)s 推荐名单"),
    "review.list_forwarded": _(
        "%(actor)s 报送了 %(authority)s 的 %(object)s 推荐名单（%(count)s 件）"
    ),
    "review.filed": _("%(actor)s 准予申报 %(object)s 备案"),
    "review.not_filed": _("%(actor)s 不予申报 %(object)s 备案：%(reason)s"),
    "review.removed_after_objection": _(
        "%(actor)s 因公示异议成立将申报 %(object)s 移出推荐名单：%(reason)s"
    ),
    "review.recommendation_withdrawn": _(
        "%(actor)s 因弄虚作假撤销了申报 %(object)s 的推荐：%(reason)s"
    ),
    "registry.revoked": _("%(actor)s 撤销了 %(object)s 的备案：%(reason)s"),
    "publicity.opened": _("%(actor)s 发布了公示“%(title)s”"),
    "publicity.objection_lodged": _("公众对公示中的 %(space)s 提出异议（%(object)s）"),
    "publicity.objection_upheld": _("%(actor)s 认定对 %(space)s 的异议 %(object)s 成立"),
    "publicity.objection_dismissed": _("%(actor)s 认定对 %(space)s 的异议 %(object)s 不成立"),
    "registry.entered": _("%(actor)s 将 %(object)s 列入 %(year)s 年%(batch)s备案名单"),
    "registry.loaded": _(
        "%(actor)s 载入了备案名单 %(document)s（新增 %(created)s 条，更新 %(updated)s 条）"
    ),
    "org.dishonesty_recorded": _("%(actor)s 记录了 %(object)s 的失信行为：%(reason)s"),
    "deadline.extended": _(
        "%(actor)s 将 %(object)s 的截止时间由 %(previous)s 延至 %(to)s（%(scope)s）：%(reason)s"
    ),
    "review.conflict_declared": _("%(actor)s（%(authority)s）声明回避申报 %(object)s"),
    "integrity.refreshed": _("%(actor)s 重新计算了 %(object)s 的诚信提示（%(signals)s 条）"),
    "backup.created": _("%(actor)s 备份了全部数据（%(rows)s 行记录，%(files)s 个文件）"),
    "backup.restored": _(
        "%(actor)s 用 %(created_at)s 的备份恢复了全部数据（%(rows)s 行记录，%(files)s 个文件）"
    ),
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
