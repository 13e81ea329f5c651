"""Cleaning one value of a call-definition field, shared by the web forms and the Excel upload.

Values are kept as the person typed them (strings, lists for multichoice, a small dict for
yes-with-name) so that a draft never loses input; `clean_value` turns one into a Python value or
raises ValidationError with a message in the current language.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from filing.calls.schema import FieldDef
from filing.lib.credit_code import CreditCodeError, validate_credit_code
from filing.lib.validators import mobile_validator, normalise_phone, phone_validator

UNIT_LABELS = {
    "m2": "m²",
    "wan_yuan": "万元",
    "count": "个",
    "sessions": "场",
    "persons": "人",
    "percent": "%",
    "times": "次",
    "seats": "个",
    "months": "个月",
}
YES_VALUES = {"yes", "是", "y", "true", "1", "有", "√", "✓"}
NO_VALUES = {"no", "否", "n", "false", "0", "无", "×", ""}


def is_empty(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return raw.strip() == ""
    if isinstance(raw, list):
        return len(raw) == 0
    if isinstance(raw, dict):
        return not raw.get("answer")
    return False


def char_count(text: str) -> int:
    """Characters as people count them: a Chinese character is one, line breaks are not counted."""
    return len(text.replace("\r", "").replace("\n", ""))


def clean_value(field: FieldDef, raw: Any) -> Any:
    """The typed value of raw input, None when empty; ValidationError when it is not valid."""
    if field.type == "computed":
        return None
    if is_empty(raw):
        return None
    cleaner = CLEANERS.get(field.type, _clean_text)
    return cleaner(field, raw)


def _text(raw: Any) -> str:
    return str(raw).strip() if not isinstance(raw, str) else raw.strip()


def _clean_text(field: FieldDef, raw: Any) -> str:
    text = _text(raw)
    n = char_count(text)
    if field.max_chars and n > field.max_chars:
        raise ValidationError(
            _("超出字数限制：%(limit)d 字以内，当前 %(n)d 字。")
            % {"limit": field.max_chars, "n": n}
        )
    if field.min_chars and n < field.min_chars:
        raise ValidationError(
            _("字数不足：至少 %(limit)d 字，当前 %(n)d 字。") % {"limit": field.min_chars, "n": n}
        )
    if field.pattern and not re.fullmatch(field.pattern, text):
        raise ValidationError(field.pattern_message.get(_current_language()))
    return text


def _current_language() -> str:
    from django.utils.translation import get_language

    return get_language() or "zh-hans"


def _number(field: FieldDef, raw: Any) -> Decimal:
    text = _text(raw).replace(",", "").replace("，", "").replace(" ", "")
    for suffix in (UNIT_LABELS.get(field.unit or "", ""), "平方米", "㎡", "m2"):
        if suffix and text.endswith(suffix):
            text = text[: -len(suffix)]
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise ValidationError(_("请输入数字。")) from exc
    if not value.is_finite():
        raise ValidationError(_("请输入数字。"))
    if field.min is not None and value < Decimal(str(field.min)):
        raise ValidationError(_("不能小于 %(min)s。") % {"min": _fmt(field.min)})
    if field.max is not None and value > Decimal(str(field.max)):
        raise ValidationError(_("不能大于 %(max)s。") % {"max": _fmt(field.max)})
    return value


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def _clean_integer(field: FieldDef, raw: Any) -> int:
    value = _number(field, raw)
    if value != value.to_integral_value():
        raise ValidationError(_("请输入整数。"))
    if field.min is None and value < 0:
        raise ValidationError(_("不能为负数。"))
    return int(value)


def _clean_decimal(field: FieldDef, raw: Any) -> Decimal:
    value = _number(field, raw)
    if field.min is None and value < 0:
        raise ValidationError(_("不能为负数。"))
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > max(field.decimals, 2):
        raise ValidationError(_("最多保留 %(n)d 位小数。") % {"n": max(field.decimals, 2)})
    return value


DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def parse_date(raw: Any) -> date:
    if isinstance(raw, date):
        return raw
    match = DATE_RE.match(_text(raw))
    if not match:
        raise ValidationError(_("请按 年-月-日 填写日期，如 2020-07-27。"))
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError as exc:
        raise ValidationError(_("日期不存在，请核对。")) from exc


def _clean_date(field: FieldDef, raw: Any) -> date:
    return parse_date(raw)


def _clean_choice(field: FieldDef, raw: Any) -> str:
    text = _text(raw)
    for choice in field.choices:
        if text in (choice.value, choice.label.zh, choice.label.en):
            return choice.value
    if field.other_choice and text.startswith("other:"):
        return text
    raise ValidationError(_("请从列表中选择。"))


def _clean_multichoice(field: FieldDef, raw: Any) -> list[str]:
    items = raw if isinstance(raw, list) else re.split(r"[,，、;；]", _text(raw))
    values = []
    for item in items:
        item = str(item).strip()
        if not item:
            continue
        if item.startswith("other:") and field.other_choice:
            values.append(item)
            continue
        values.append(_clean_choice(field, item))
    return values


def _clean_yes_with_name(field: FieldDef, raw: Any) -> str | bool:
    """是 with a name gives the name; 否 gives False."""
    if isinstance(raw, dict):
        answer, name = str(raw.get("answer", "")).strip().lower(), _text(raw.get("name", ""))
    else:
        text = _text(raw)
        answer, _sep, name = text.partition("：") if "：" in text else text.partition(":")
        answer, name = answer.strip().lower(), name.strip()
        if answer not in YES_VALUES | NO_VALUES:
            answer, name = "yes", text
    if answer in NO_VALUES:
        return False
    if answer not in YES_VALUES:
        raise ValidationError(_("请选择“是”或“否”。"))
    if not name:
        raise ValidationError(_("选择“是”时请填写名称。"))
    if field.max_chars and char_count(name) > field.max_chars:
        raise ValidationError(
            _("超出字数限制：%(limit)d 字以内，当前 %(n)d 字。")
            % {"limit": field.max_chars, "n": char_count(name)}
        )
    return name


def _clean_boolean(field: FieldDef, raw: Any) -> bool:
    text = _text(raw).lower()
    if text in YES_VALUES:
        return True
    if text in NO_VALUES:
        return False
    raise ValidationError(_("请填写“是”或“否”。"))


def _clean_high_tech_field(field: FieldDef, raw: Any) -> str:
    from filing.reference.models import find_high_tech_field

    item = find_high_tech_field(_text(raw))
    if item is None:
        raise ValidationError(_("未找到该领域，请输入名称的一部分后从列表中选择。"))
    if not item.is_leaf:
        raise ValidationError(
            _("“%(name)s”是上级类别，请细化至《国家重点支持的高新技术领域》三级目录中的具体领域。")
            % {"name": item.name}
        )
    return item.code


def _clean_phone(field: FieldDef, raw: Any) -> str:
    text = normalise_phone(_text(raw))
    phone_validator(text)
    return text


def _clean_mobile(field: FieldDef, raw: Any) -> str:
    text = normalise_phone(_text(raw)).replace("-", "")
    mobile_validator(text)
    return text


def _clean_email(field: FieldDef, raw: Any) -> str:
    text = _text(raw)
    try:
        validate_email(text)
    except ValidationError as exc:
        raise ValidationError(_("请输入有效的电子邮箱地址。")) from exc
    return text


def _clean_credit_code(field: FieldDef, raw: Any) -> str:
    try:
        return validate_credit_code(_text(raw))
    except CreditCodeError as exc:
        raise ValidationError(str(exc.message)) from exc


CLEANERS = {
    "text": _clean_text,
    "textarea": _clean_text,
    "integer": _clean_integer,
    "decimal": _clean_decimal,
    "date": _clean_date,
    "choice": _clean_choice,
    "multichoice": _clean_multichoice,
    "yes_with_name": _clean_yes_with_name,
    "boolean": _clean_boolean,
    "high_tech_field": _clean_high_tech_field,
    "phone": _clean_phone,
    "mobile": _clean_mobile,
    "email": _clean_email,
    "credit_code": _clean_credit_code,
}


def plausibility_warning(field: FieldDef, value: Any) -> str:
    """A warning (not an error) for a number outside the definition's plausible range."""
    if value is None or field.type not in {"integer", "decimal"}:
        return ""
    unit = UNIT_LABELS.get(field.unit or "", "")
    if field.plausible_max is not None and value > Decimal(str(field.plausible_max)):
        return _("%(value)s%(unit)s 偏大，请核对（通常不超过 %(limit)s%(unit)s）。") % {
            "value": value,
            "unit": unit,
            "limit": _fmt(field.plausible_max),
        }
    if field.plausible_min is not None and value < Decimal(str(field.plausible_min)):
        return _("%(value)s%(unit)s 偏小，请核对（通常不少于 %(limit)s%(unit)s）。") % {
            "value": value,
            "unit": unit,
            "limit": _fmt(field.plausible_min),
        }
    return ""
