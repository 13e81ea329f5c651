"""Form validators for the identifiers the notices ask for, with messages in Chinese and English."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from filing.lib.credit_code import CreditCodeError, validate_credit_code

MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")
LANDLINE_RE = re.compile(r"^0[0-9]{2,3}-?[0-9]{7,8}(-[0-9]{1,6})?$")
SERVICE_RE = re.compile(r"^[48]00-?[0-9]{3}-?[0-9]{4}$")


def normalise_phone(value: str) -> str:
    text = re.sub(r"[\s\u3000]", "", value or "")
    for prefix in ("+86", "0086"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    if len(text) == 13 and text.startswith("86"):
        text = text[2:]
    return text


def credit_code_validator(value: str) -> None:
    try:
        validate_credit_code(value)
    except CreditCodeError as exc:
        raise ValidationError(exc.message, code=f"credit_code_{exc.code}") from exc


def mobile_validator(value: str) -> None:
    if not MOBILE_RE.match(normalise_phone(value).replace("-", "")):
        raise ValidationError(_("请输入11位手机号码，如 13812345678。"), code="mobile")


def phone_validator(value: str) -> None:
    """A mobile, a landline with area code (020-83163286) or a 400/800 number."""
    text = normalise_phone(value)
    if MOBILE_RE.match(text.replace("-", "")) or LANDLINE_RE.match(text) or SERVICE_RE.match(text):
        return
    raise ValidationError(
        _("请输入手机号码或带区号的固定电话，如 13812345678 或 020-83163286。"), code="phone"
    )
