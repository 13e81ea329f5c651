"""The order of a batch from its label (首批 = 1, 第四批 = 4, 2016年度第二批 = 2).

Batch labels are Chinese ordinals, which do not sort as text (第三批 would come before 第二批),
so each entry keeps the number as well. Framework-free: the data migration uses it too.
"""

from __future__ import annotations

import re

DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}
ORDINAL_RE = re.compile(r"第([〇零一二两三四五六七八九十百\d]+)批")


def chinese_number(text: str) -> int | None:
    """A number written in digits or in Chinese numerals up to 999 (十二, 二十, 一百零五)."""
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for char in text:
        if char in DIGITS:
            current = DIGITS[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def batch_number(label: str) -> int | None:
    """The batch's place in its year's order, or None when the label does not say."""
    label = label.strip()
    if not label:
        return None
    if "首批" in label:
        return 1
    match = ORDINAL_RE.search(label)
    return chinese_number(match.group(1)) if match else None
