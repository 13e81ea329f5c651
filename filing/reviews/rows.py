"""The rows of the reviewer's workbench, written out in Python.

A page lists fifty reviews; as a template loop each row resolved some thirty variables, tags
and filters (two URL reversals, an included badge, dates and translations): most of the page's
time. The markup is the same as the template's was.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from filing.reviews.models import Review

# The words of the rows, marked here for translation (makemessages does not read f-strings).
WORDS = {
    "conflicted": _("已回避"),
    "declare": _("声明回避"),
    "signals": _("诚信提示"),
    "signal_count": _("诚信提示 %(n)s"),
    "none": _("没有符合条件的申报。"),
}


def rows_html(reviews: Iterable[Review]) -> SafeString:
    """The table body's rows; one row saying so when there are none."""
    # One reversal each, then the review's id put in its place.
    detail = reverse("reviews:detail", args=[0]).replace("/0/", "/{}/")
    declare = reverse("reviews:declare_conflict", args=[0]).replace("/0/", "/{}/")
    words = {key: escape(str(text)) for key, text in WORDS.items() if key != "signal_count"}
    words["signal_count"] = str(WORDS["signal_count"])
    rows = [_row(r, detail, declare, words) for r in reviews]
    if not rows:
        return format_html('<tr><td colspan="9" class="muted">{}</td></tr>', WORDS["none"])
    return mark_safe("".join(rows))  # noqa: S308 - every value in a row is escaped


def _row(r: Review, detail: str, declare: str, words: dict[str, str]) -> str:
    app = r.application
    org = app.organisation
    name = escape(app.space_name)
    if r.conflicted:
        first = f'{name} <span class="badge badge-conflicted">{words["conflicted"]}</span>'
    else:
        badge = ""
        if r.signal_count:
            count = escape(words["signal_count"] % {"n": r.signal_count})
            badge = (
                f' <span class="badge badge-integrity" title="{words["signals"]}">{count}</span>'
            )
        declare_link = f'<a class="muted" href="{declare.format(r.pk)}">{words["declare"]}</a>'
        first = f'<a href="{detail.format(r.pk)}">{name}</a>{badge} <small>{declare_link}</small>'
    checks = ""
    if app.rule_failures:
        checks += f'<span class="error">✗ {app.rule_failures}</span>'
    if app.rule_undecided:
        checks += f' <span class="warning">? {app.rule_undecided}</span>'
    if not app.rule_failures and not app.rule_undecided:
        checks = '<span class="ok">✓</span>'
    row_class = ' class="conflicted"' if r.conflicted else ""
    received = timezone.localtime(r.received_at).strftime("%Y-%m-%d %H:%M") if r.received_at else ""
    city = escape(org.city.name) if org.city_id else ""
    status = (
        f'<span class="status status-{escape(r.status)}">{escape(r.get_status_display())}</span>'
    )
    return (
        f"<tr{row_class}>\n"
        f"  <td>{first}</td>\n"
        f'  <td>{escape(org.name)}<br><small class="muted">{escape(org.credit_code)}</small></td>\n'
        f"  <td>{city}</td>\n"
        f"  <td><small>{escape(Truncator(app.call.display_title()).chars(30))}</small></td>\n"
        f"  <td><small>{escape(r.authority.display_name())}</small></td>\n"
        f"  <td>{status}</td>\n"
        f"  <td>{r.rank or ''}</td>\n"
        f"  <td>{checks}</td>\n"
        f"  <td><small>{received}</small></td>\n"
        "</tr>"
    )
