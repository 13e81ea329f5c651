"""The fonts documents are printed in, named in one place.

The PDF body font is the setting DOCUMENT_FONT_FAMILY (default WenQuanYi Zen Hei, Debian's
fonts-wqy-zenhei). That font has no ballot boxes, so ☑ and ☐ are drawn in a second font,
DOCUMENT_SYMBOL_FONT_FAMILY (default DejaVu Sans). Word files name the fonts Chinese Windows has.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from fontTools.ttLib import TTFont

DEFAULT_FONT_FAMILY = "WenQuanYi Zen Hei"
DEFAULT_SYMBOL_FONT_FAMILY = "DejaVu Sans"

# Word: 宋体 (SimSun) for Chinese, Times New Roman for Latin, and a symbol font for the boxes
# (宋体 has no ☑; Segoe UI Symbol ships with Windows).
DOCX_EAST_ASIAN_FONT = "宋体"
DOCX_LATIN_FONT = "Times New Roman"
DOCX_SYMBOL_FONT = "Segoe UI Symbol"


class FontNotInstalled(ImproperlyConfigured):
    pass


def font_family() -> str:
    return getattr(settings, "DOCUMENT_FONT_FAMILY", DEFAULT_FONT_FAMILY)


def symbol_font_family() -> str:
    return getattr(settings, "DOCUMENT_SYMBOL_FONT_FAMILY", DEFAULT_SYMBOL_FONT_FAMILY)


@lru_cache(maxsize=8)
def font_file(family: str) -> tuple[str, int]:
    """The file (and index in a collection) fontconfig draws `family` from.

    fontconfig answers every request with some font; a family it does not know is refused here,
    because a substitute would print boxes or blanks in place of Chinese characters.
    """
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        raise FontNotInstalled("fc-match (fontconfig) is not installed")
    out = subprocess.run(  # noqa: S603 - fixed program, the family is passed as one argument
        [fc_match, "-f", "%{file}\n%{index}\n%{family}", family],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    path, index, families = (out.split("\n") + ["", "", ""])[:3]
    known = {name.strip().casefold() for name in families.split(",")}
    if family.casefold() not in known:
        raise FontNotInstalled(f"font {family!r} is not installed (fontconfig offers {families!r})")
    return path, int(index or 0)


@lru_cache(maxsize=8)
def _codepoints(family: str) -> frozenset[int]:
    path, index = font_file(family)
    font = TTFont(path, fontNumber=index, lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


def missing_glyphs(text: str, family: str | None = None) -> set[str]:
    """Characters of `text` the font cannot draw (control characters such as line breaks aside)."""
    codepoints = _codepoints(family or font_family())
    return {ch for ch in text if ord(ch) not in codepoints and unicodedata.category(ch) != "Cc"}
