"""Unified social credit code (统一社会信用代码, GB 32100-2015).

The check arithmetic is python-stdnum's; this module turns its exceptions into the three
reasons an applicant can act on (length, characters, check character) in Chinese and English.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_exc
from stdnum.cn import uscc

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@dataclass(frozen=True)
class CreditCodeError(Exception):
    code: str
    message: str

    def __str__(self) -> str:
        return str(self.message)


def normalise(value: str) -> str:
    """Upper-case and strip spaces and hyphens, as people paste codes with them."""
    return value.replace(" ", "").replace("-", "").replace("\u3000", "").strip().upper()


def validate_credit_code(value: str) -> str:
    """Return the normalised code or raise CreditCodeError with a reason."""
    code = normalise(value)
    if len(code) != 18:
        raise CreditCodeError(
            "length",
            _("统一社会信用代码应为18位，当前为%(n)d位。") % {"n": len(code)},
        )
    bad = sorted({ch for ch in code if ch not in ALPHABET})
    if bad:
        raise CreditCodeError(
            "characters",
            _("统一社会信用代码含有不允许的字符：%(chars)s（不使用 I、O、S、V、Z）。")
            % {"chars": "、".join(bad)},
        )
    try:
        uscc.validate(code)
    except stdnum_exc.InvalidChecksum as exc:
        raise CreditCodeError(
            "check",
            _("统一社会信用代码校验位错误：第18位应为 %(expected)s，请核对营业执照。")
            % {"expected": uscc.calc_check_digit(code[:17])},
        ) from exc
    except stdnum_exc.ValidationError as exc:
        raise CreditCodeError(
            "format",
            _("统一社会信用代码格式不正确：第3至8位应为行政区划数字。"),
        ) from exc
    return code
