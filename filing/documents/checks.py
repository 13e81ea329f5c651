"""`manage.py check` warns when the document fonts are missing, before a PDF prints blank."""

from __future__ import annotations

from django.core.checks import Warning, register

from filing.documents.fonts import (
    FontNotInstalled,
    font_family,
    missing_glyphs,
    symbol_font_family,
)
from filing.documents.layout import BOX_CHECKED, BOX_EMPTY


@register("documents")
def check_fonts(app_configs, **kwargs) -> list[Warning]:
    problems: list[Warning] = []
    try:
        if missing_glyphs("申报书承诺核验码", font_family()):
            problems.append(
                Warning(
                    f"{font_family()} cannot draw Chinese.",
                    hint="Set DOCUMENT_FONT_FAMILY to a Chinese font.",
                    id="documents.W002",
                )
            )
        if missing_glyphs(BOX_CHECKED + BOX_EMPTY, symbol_font_family()):
            problems.append(
                Warning(
                    f"{symbol_font_family()} cannot draw ☑ and ☐.",
                    hint="Set DOCUMENT_SYMBOL_FONT_FAMILY to a font that has them.",
                    id="documents.W003",
                )
            )
    except FontNotInstalled as exc:
        problems.append(
            Warning(
                str(exc),
                hint="Install fonts-wqy-zenhei and fonts-dejavu-core, or set "
                "DOCUMENT_FONT_FAMILY / DOCUMENT_SYMBOL_FONT_FAMILY.",
                id="documents.W001",
            )
        )
    return problems
