"""`manage.py check` warns when a document font is missing, instead of printing blank PDFs."""

from __future__ import annotations

from filing.documents.checks import check_fonts


def test_the_installed_fonts_pass(settings):
    assert check_fonts(None) == []


def test_a_font_that_is_not_installed_is_named(settings):
    settings.DOCUMENT_FONT_FAMILY = "No Such Family For Filing"
    assert [w.id for w in check_fonts(None)] == ["documents.W001"]


def test_a_font_without_chinese_is_named(settings):
    settings.DOCUMENT_FONT_FAMILY = "DejaVu Sans"
    assert [w.id for w in check_fonts(None)] == ["documents.W002"]


def test_a_symbol_font_without_the_boxes_is_named(settings):
    settings.DOCUMENT_SYMBOL_FONT_FAMILY = "WenQuanYi Zen Hei"
    assert [w.id for w in check_fonts(None)] == ["documents.W003"]
