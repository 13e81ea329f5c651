"""The unified social credit code (GB 32100-2015): check character, length, character set."""

import pytest
from django.utils import translation

from filing.lib.credit_code import CreditCodeError, validate_credit_code

VALID = [
    "91350100M000100Y43",
    "914403001922038216",
    "91440300708461136T",
    "91330100716105852F",
    "91110000802100433B",
    "12100000400000624D",
    "91440101MA5F00050G",
    "91440101MA5F0000X5",
    "91210100MA5F000770",
    "52430100MA5F00050Y",
]


@pytest.mark.parametrize("code", VALID)
def test_it_accepts_the_verified_examples(code):
    assert validate_credit_code(code) == code


def test_it_normalises_lowercase_spaces_and_hyphens():
    assert validate_credit_code(" 91440101-ma5f 00050g ") == "91440101MA5F00050G"


def test_it_refuses_a_wrong_check_character_and_names_the_right_one():
    with pytest.raises(CreditCodeError) as exc:
        validate_credit_code("91440101MA5F00050H")
    assert exc.value.code == "check"
    assert "G" in str(exc.value)


def test_it_refuses_seventeen_characters():
    with pytest.raises(CreditCodeError) as exc:
        validate_credit_code("9144010MA5F00050G")
    assert exc.value.code == "length"
    assert "17" in str(exc.value)


def test_it_refuses_letters_outside_the_alphabet():
    with pytest.raises(CreditCodeError) as exc:
        validate_credit_code("91440101MA5F0005OG")
    assert exc.value.code == "characters"
    assert "O" in str(exc.value)


def test_it_refuses_letters_in_the_region_digits():
    with pytest.raises(CreditCodeError) as exc:
        validate_credit_code("9144A101MA5F00050G")
    assert exc.value.code in {"format", "check"}


def test_the_messages_come_in_chinese_and_english():
    with translation.override("zh-hans"), pytest.raises(CreditCodeError) as zh:
        validate_credit_code("91440101MA5F00050H")
    with translation.override("en"), pytest.raises(CreditCodeError) as en:
        validate_credit_code("91440101MA5F00050H")
    assert "校验位" in str(zh.value)
    assert "check character" in str(en.value)
