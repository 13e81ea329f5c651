"""The HTML of one form field of a section, roster row or new row.

A section page shows a few dozen fields, and the pages of a deadline surge are mostly these:
written out here, a field costs a tenth of what the same markup cost as an included template
walking its chain of type tests. The markup is what the pages' scripts (site.js) and the
browser tests read: ids `id_<key>`, names as raw_from_post reads them, `data-max-chars`.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from filing.applications.forms import FieldView


# The words of the markup, marked here for translation (makemessages does not read f-strings).
WORDS = {
    "conflict": _("他人刚保存的值："),
    "other": _("其他"),
    "other_hint": _("其他，请注明"),
    "other_label": _("其他："),
    "name": _("名称"),
    "no": _("否"),
    "yes": _("是"),
    "computed": _("自动计算"),
    "choose": _("请选择"),
    "field_hint": _("输入领域名称，如：嵌入式"),
    "name_hint": _("选“是”时填写详细名称"),
}


def _word(key: str) -> str:
    return escape(str(WORDS[key]))


def field_row(f: FieldView, *, readonly: bool = False) -> SafeString:
    d = f.field
    key = escape(f.key)
    classes = "form-row"
    if f.error:
        classes += " has-error"
    if d.required:
        classes += " required"
    if f.conflict is not None:
        classes += " has-conflict"
    required = '<span class="req" aria-hidden="true">*</span>' if d.required else ""
    out = [
        f'<div class="{classes}" id="field-{key}">\n  ',
        f'<label for="id_{key}">{escape(f.label)}{required}</label>\n  ',
        INPUTS.get(d.type, _text_input)(f, key, readonly),
    ]
    if d.max_chars:
        out.append(
            f'\n  <small class="char-count" data-for="id_{key}">{f.chars}/{d.max_chars}</small>'
        )
    if f.help:
        out.append(f'\n  <small class="help">{escape(f.help)}</small>')
    if f.error:
        out.append(f'\n  <div class="error" role="alert">{escape(f.error)}</div>')
    if f.warning:
        out.append(f'\n  <div class="warning">{escape(f.warning)}</div>')
    if f.conflict is not None:
        out.append(
            f'\n  <div class="conflict" role="alert">{_word("conflict")} '
            f"<q>{_text(f.conflict)}</q></div>"
        )
    out.append("\n</div>\n")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


def _text(value) -> str:
    return escape(str(localize(value)))


def _flag(on: bool, word: str) -> str:
    """A boolean attribute: ` readonly`, ` checked`, … or nothing."""
    return f" {word}" if on else ""


def _textarea(f: FieldView, key: str, readonly: bool) -> str:
    d = f.field
    rows = 4 if d.max_chars and d.max_chars <= 300 else 8
    return (
        f'<textarea id="id_{key}" name="{key}" rows="{rows}" data-max-chars="{d.max_chars or ""}"'
        f"{_flag(readonly, 'readonly')}>{escape(f.text)}</textarea>"
    )


def _computed(f: FieldView, key: str, readonly: bool) -> str:
    value = _text(f.computed) if f.computed is not None else "—"
    return (
        f'<span class="with-unit"><output id="id_{key}" class="computed">{value}</output>'
        f'{_unit(f)} <small class="muted">{_word("computed")}</small></span>'
    )


def _choice(f: FieldView, key: str, readonly: bool) -> str:
    chosen = f.chosen
    options = [f'<option value="">{_word("choose")}</option>']
    for value, label in f.choices:
        options.append(
            f'<option value="{escape(value)}"{_flag(value in chosen, "selected")}>'
            f"{escape(label)}</option>"
        )
    other = ""
    if f.field.other_choice:
        options.append(
            f'<option value="other"{_flag(bool(f.other), "selected")}>{_word("other")}</option>'
        )
        hint = _word("other_hint")
        other = (
            f'\n    <input name="{key}__other" value="{escape(f.other)}" placeholder="{hint}" '
            f'aria-label="{hint}">'
        )
    return (
        f'<select id="id_{key}" name="{key}"{_flag(readonly, "disabled")}>{"".join(options)}</select>'
        f"{other}"
    )


def _multichoice(f: FieldView, key: str, readonly: bool) -> str:
    chosen = f.chosen
    boxes = [
        f'<label class="inline"><input type="checkbox" name="{key}" value="{escape(value)}"'
        f"{_flag(value in chosen, 'checked')}{_flag(readonly, 'disabled')}> {escape(label)}</label>"
        for value, label in f.choices
    ]
    if f.field.other_choice:
        boxes.append(
            f'\n    <label class="inline">{_word("other_label")}<input name="{key}__other" '
            f'value="{escape(f.other)}"></label>'
        )
    return f'<fieldset class="choices">{"".join(boxes)}</fieldset>'


def _radio(name: str, value: str, on: bool, word: str) -> str:
    return (
        f'<label class="inline"><input type="radio" name="{name}" value="{value}"'
        f"{_flag(on, 'checked')}> {_word(word)}</label>"
    )


def _yes_with_name(f: FieldView, key: str, readonly: bool) -> str:
    answer = f.answer
    return (
        f'<fieldset class="choices">{_radio(f"{key}__answer", "yes", answer == "yes", "yes")}'
        f'\n    {_radio(f"{key}__answer", "no", answer == "no", "no")}\n    <input id="id_{key}" '
        f'name="{key}__name" value="{escape(f.name)}" '
        f'placeholder="{_word("name_hint")}" aria-label="{_word("name")}">'
        f"</fieldset>"
    )


def _boolean(f: FieldView, key: str, readonly: bool) -> str:
    text = f.text
    return (
        f'<fieldset class="choices">{_radio(key, "是", text == "是", "yes")}\n    '
        f"{_radio(key, '否', text == '否', 'no')}</fieldset>"
    )


@lru_cache(maxsize=1)
def _field_search_url() -> str:
    return escape(reverse("reference:field_search"))


def _high_tech_field(f: FieldView, key: str, readonly: bool) -> str:
    return (
        f'<div class="field-picker"><input id="id_{key}" name="{key}" value="{escape(f.text)}" '
        f'autocomplete="off" class="field-picker-input" hx-get="{_field_search_url()}" '
        f'hx-trigger="input changed delay:250ms" hx-target="next .field-picker-results" '
        f'placeholder="{_word("field_hint")}">\n    '
        f'<div class="field-picker-chosen" aria-live="polite">{escape(f.path)}</div>'
        f'<ul class="field-picker-results" role="listbox"></ul></div>'
    )


def _date(f: FieldView, key: str, readonly: bool) -> str:
    return f'<input type="date" id="id_{key}" name="{key}" value="{escape(f.text)}"{_flag(readonly, "readonly")}>'


INPUT_MODES = {
    "integer": ' inputmode="decimal" class="number"',
    "decimal": ' inputmode="decimal" class="number"',
    "mobile": ' inputmode="tel"',
    "phone": ' inputmode="tel"',
    "email": ' inputmode="email"',
}


def _text_input(f: FieldView, key: str, readonly: bool) -> str:
    unit = _unit(f)
    return (
        f'<span class="{"with-unit" if unit else ""}"><input type="text" id="id_{key}" '
        f'name="{key}" value="{escape(f.text)}"{INPUT_MODES.get(f.field.type, "")} '
        f'data-max-chars="{f.field.max_chars or ""}"{_flag(readonly, "readonly")}>{unit}</span>'
    )


def _unit(f: FieldView) -> str:
    return f'<span class="unit">{escape(str(f.unit))}</span>' if f.unit else ""


INPUTS = {
    "textarea": _textarea,
    "computed": _computed,
    "choice": _choice,
    "multichoice": _multichoice,
    "yes_with_name": _yes_with_name,
    "boolean": _boolean,
    "high_tech_field": _high_tech_field,
    "date": _date,
}
