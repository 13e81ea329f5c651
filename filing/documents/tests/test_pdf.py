"""The PDF prints everything in the printable, on A4, every page numbered "第 N 页 共 M 页".

Its table of contents gives the pages the parts really start on; a draft says 草稿 on every
page and a submitted copy carries its 核验码 on every page instead; every character has a glyph.
"""

from __future__ import annotations

import gc
import re
from typing import Any

import pytest

from filing.documents import layout
from filing.documents.fonts import (
    FontNotInstalled,
    font_family,
    font_file,
    missing_glyphs,
    symbol_font_family,
)
from filing.documents.pdf import render_css, render_pdf
from filing.documents.tests.conftest import printed_forms, squeeze
from filing.documents.tests.sample import sample_printable, team_name


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def _toc_page(pdf) -> int:
    return next(n for n, text in enumerate(pdf.pages) if squeeze(layout.TOC_TITLE) in squeeze(text))


def test_every_page_is_a4_portrait(draft_pdf):
    for page in draft_pdf.reader.pages:
        assert float(page.mediabox.width) == pytest.approx(595, abs=1)
        assert float(page.mediabox.height) == pytest.approx(842, abs=1)


def test_every_page_says_which_page_it_is_of_how_many(draft_pdf, submitted_pdf):
    for pdf in (draft_pdf, submitted_pdf):
        total = len(pdf.pages)
        for n, text in enumerate(pdf.pages, start=1):
            assert layout.page_footer(n, total) in text


def test_the_cover_has_the_call_the_heading_the_lines_the_issuer_and_the_year(draft, draft_pdf):
    cover = squeeze(draft_pdf.pages[0])
    assert draft.call_title in cover
    assert "国家专业化众创空间备案申报书" in cover
    for label, value in draft.cover:
        assert f"{label}：{value}" in cover
    assert "广东省科学技术厅二〇二〇年" in cover


def test_every_field_value_is_printed(draft, draft_pdf):
    for section in draft.sections:
        for field in section.fields:
            assert squeeze(field.label) in draft_pdf.text
            for form in printed_forms(field):
                assert form in draft_pdf.text, field.key


def test_numbers_are_printed_with_their_units(draft_pdf):
    for printed in ("3,200m²", "2,650.5m²", "42场", "200个", "84%"):
        assert printed in draft_pdf.text


def test_choices_are_printed_as_ticked_and_empty_boxes(draft_pdf):
    assert "☐国家级☑省级☐其他" in draft_pdf.text
    assert "☐事业单位☐国有企业☑民营企业☐其他" in draft_pdf.text
    assert "☑是（广州高新技术产业开发区）☐否" in draft_pdf.text


def test_a_section_that_only_repeats_the_cover_is_not_printed_again(draft, draft_pdf):
    assert draft.sections[0].title == "封面"
    for text in draft_pdf.pages:
        assert "封面" not in text


def test_a_narrative_is_a_headed_block_of_its_own(draft, draft_pdf):
    outline = next(s for s in draft.sections if s.key == "outline")
    for field in outline.fields:
        heading_pages = [n for n, text in enumerate(draft_pdf.pages) if field.label in text]
        assert any(
            squeeze(field.label + field.value) in squeeze(draft_pdf.pages[n]) for n in heading_pages
        )


def test_every_roster_row_is_printed_whole_and_in_order(draft, draft_pdf):
    for roster in draft.rosters:
        position = 0
        for n, row in enumerate(roster.rows, start=1):
            assert row[0] == str(n)
            found = draft_pdf.text.find(squeeze("".join(row)), position)
            assert found > position, f"{roster.title} row {n}"
            position = found


def test_all_two_hundred_teams_are_printed(draft, draft_pdf):
    teams = draft.rosters[0]
    assert len(teams.rows) == 200
    for n in range(200):
        assert team_name(n) in draft_pdf.text


def test_the_roster_header_row_repeats_on_every_page_the_roster_spans(draft_pdf):
    team_pages = [text for text in draft_pdf.pages if "1390200" in text]  # the teams' phones
    assert len(team_pages) > 1
    for text in team_pages:
        assert "是否拥有有效知识产权" in squeeze(text)


def test_the_table_of_contents_gives_the_page_each_part_starts_on(draft, draft_pdf):
    toc = _toc_page(draft_pdf)
    toc_text = draft_pdf.pages[toc]
    entries = layout.build_layout(draft).toc
    assert len(entries) == 12
    for entry in entries:
        listed = re.search(re.escape(entry.title) + r"[\s.]*?(\d+)\s*$", toc_text, re.MULTILINE)
        assert listed, entry.title
        starts_on = next(
            n
            for n, text in enumerate(draft_pdf.pages)
            if n > toc and entry.title in [line.strip() for line in text.splitlines()]
        )
        assert int(listed.group(1)) == starts_on + 1, entry.title


def test_the_attachment_checklist_gives_number_label_requirement_and_files(draft, draft_pdf):
    position = 0
    for item in draft.attachments:
        files = "".join(item.files) or layout.NO_FILE
        row = squeeze(item.number + item.label + ("是" if item.required else "否") + files)
        found = draft_pdf.text.find(row, position)
        assert found > position, item.number
        position = found


def test_the_commitment_has_its_text_and_blanks_for_signature_seal_and_date(draft, draft_pdf):
    commitment = draft.commitments[0]
    page = next(text for text in draft_pdf.pages if commitment.text in text)
    assert squeeze(commitment.title) in squeeze(page)
    assert "单位负责人（签章）：" in page
    assert "单位（签章）：" in page
    assert squeeze(layout.DATE_BLANK) == "年月日"
    assert "年月日" in squeeze(page)
    assert "在线确认人" not in page


def test_a_submitted_commitment_names_who_accepted_it_and_when(submitted_pdf):
    assert "在线确认人：梁志远" in submitted_pdf.text
    assert "确认时间：2020-07-2010:31" in submitted_pdf.text


def test_a_draft_says_草稿_on_every_page(draft_pdf):
    for text in draft_pdf.pages:
        assert layout.DRAFT_MARK in text
        assert "核验码" not in text


def test_a_submitted_copy_carries_its_verification_code_on_every_page(submitted, submitted_pdf):
    for text in submitted_pdf.pages:
        assert layout.DRAFT_MARK not in text
        assert f"核验码 {submitted.verification_code}" in text
        assert submitted.verify_url in text
    assert "提交时间：2020-07-2010:32" in squeeze(submitted_pdf.pages[0])


def test_every_character_of_the_printable_has_a_glyph_in_the_document_font(draft):
    text = "".join(_strings(draft.to_dict()))
    assert missing_glyphs(text) == set()


def test_every_character_printed_has_a_glyph(draft_pdf, submitted_pdf):
    boxes = {layout.BOX_CHECKED, layout.BOX_EMPTY}
    for pdf in (draft_pdf, submitted_pdf):
        assert missing_glyphs("".join(pdf.pages)) - boxes == set()


def test_the_boxes_are_drawn_in_the_symbol_font_because_the_body_font_lacks_them():
    boxes = layout.BOX_CHECKED + layout.BOX_EMPTY
    assert missing_glyphs(boxes) == set(boxes)
    assert missing_glyphs(boxes, symbol_font_family()) == set()


def test_only_the_configured_fonts_are_embedded(draft_pdf):
    names = set()
    for page in draft_pdf.reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert names
    allowed = (font_family(), symbol_font_family())
    for name in names:
        assert any(name.replace("-", " ").startswith(family) for family in allowed), name


def test_missing_glyphs_names_what_the_font_cannot_draw_and_ignores_line_breaks():
    assert missing_glyphs("申报书\n二〇二〇年 m² ☑") == {"☑"}


def test_a_font_family_that_is_not_installed_is_refused():
    with pytest.raises(FontNotInstalled):
        font_file("No Such Family For Filing")


def test_the_font_is_named_in_one_setting(settings, draft):
    settings.DOCUMENT_FONT_FAMILY = "DejaVu Sans"
    assert 'font-family: "DejaVu Sans";' in render_css(draft)
    assert font_family() == "DejaVu Sans"


def test_printing_leaves_the_garbage_collector_on():
    # render_pdf pauses it while WeasyPrint lays out (filing/lib/collector.py), then restores it.
    gc.enable()
    assert render_pdf(sample_printable(team_rows=2)).startswith(b"%PDF")
    assert gc.isenabled()
