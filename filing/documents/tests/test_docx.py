"""The Word file holds what the PDF holds, in the same order, on A4 portrait, in 宋体.

Its table of contents and page numbers are fields Word fills in; a draft says 草稿 in the header
of every section, a submitted copy carries its 核验码 in the footer.
"""

from __future__ import annotations

import pytest
from docx.oxml.ns import qn
from docx.shared import Mm

from filing.documents import layout
from filing.documents.docx import TABLE_TEXT_STYLE, TOC_INSTRUCTION
from filing.documents.fonts import DOCX_EAST_ASIAN_FONT, DOCX_SYMBOL_FONT
from filing.documents.tests.conftest import printed_forms, squeeze


def _text(element) -> str:
    return squeeze("".join(t.text or "" for t in element.iter(qn("w:t"))))


def _instructions(element) -> list[str]:
    return [(i.text or "").strip() for i in element.iter(qn("w:instrText"))]


def _table_starting_with(doc, first_cells: list[str]):
    return next(t for t in doc.tables if [c.text for c in t.rows[0].cells] == first_cells)


def test_the_page_is_a4_portrait(draft_docx):
    for section in draft_docx.sections:
        assert abs(section.page_width - Mm(210)) < Mm(0.5)
        assert abs(section.page_height - Mm(297)) < Mm(0.5)


def test_the_cover_lists_its_lines_label_and_value(draft, draft_docx):
    cover = draft_docx.tables[0]
    assert [(r.cells[0].text, r.cells[1].text) for r in cover.rows] == [
        (f"{label}：", value) for label, value in draft.cover
    ]
    texts = [p.text for p in draft_docx.paragraphs[:8]]
    for line in (
        draft.call_title,
        "国家专业化众创空间备案申报书",
        "广东省科学技术厅",
        "二〇二〇年",
    ):
        assert line in texts


def test_every_field_value_is_in_the_file(draft, draft_docx):
    body = _text(draft_docx.element.body)
    for section in draft.sections:
        for field in section.fields:
            assert squeeze(field.label) in body
            for form in printed_forms(field):
                assert form in body, field.key


def test_choices_are_ticked_and_empty_boxes_in_a_symbol_font(draft_docx):
    body = _text(draft_docx.element.body)
    assert "☐国家级☑省级☐其他" in body
    assert "☑是（广州高新技术产业开发区）☐否" in body
    box_runs = [r for p in _paragraphs(draft_docx) for r in p.runs if r.text in "☑☐" and r.text]
    assert box_runs
    for run in box_runs:
        fonts = run._r.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == DOCX_SYMBOL_FONT


def _paragraphs(doc):
    yield from doc.paragraphs
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def test_each_roster_is_a_table_with_every_row(draft, draft_docx):
    for roster in draft.rosters:
        table = _table_starting_with(draft_docx, roster.columns)
        assert len(table.rows) == 1 + len(roster.rows)
        for printed, row in zip(table.rows[1:], roster.rows, strict=True):
            assert [c.text for c in printed.cells] == row


def test_the_team_roster_has_two_hundred_rows_under_a_repeating_header(draft, draft_docx):
    table = _table_starting_with(draft_docx, draft.rosters[0].columns)
    assert len(table.rows) == 201
    header = table.rows[0]._tr.trPr.find(qn("w:tblHeader"))
    assert header is not None and header.get(qn("w:val")) == "true"
    assert table.rows[1].cells[0].paragraphs[0].style.name == TABLE_TEXT_STYLE


def test_the_attachment_checklist_lists_every_item(draft, draft_docx):
    table = _table_starting_with(draft_docx, layout.ATTACHMENT_COLUMNS)
    assert [[c.text for c in r.cells] for r in table.rows[1:]] == [
        [a.number, a.label, "是" if a.required else "否", "\n".join(a.files) or layout.NO_FILE]
        for a in draft.attachments
    ]


def test_the_commitment_has_blanks_for_signature_seal_and_date(draft, submitted_docx):
    body = _text(submitted_docx.element.body)
    assert squeeze(draft.commitments[0].text) in body
    signers = [t for t in submitted_docx.tables if "单位负责人（签章）：" in _text(t._tbl)]
    assert len(signers) == 1
    assert [r.cells[1].text for r in signers[0].rows] == ["单位负责人（签章）：", "单位（签章）："]
    assert layout.DATE_BLANK in [p.text for p in submitted_docx.paragraphs]
    assert "在线确认人：梁志远　确认时间：2020-07-20 10:31" in [
        p.text for p in submitted_docx.paragraphs
    ]


def test_the_table_of_contents_is_a_field_over_heading_styles(draft, draft_docx):
    assert TOC_INSTRUCTION in _instructions(draft_docx.element.body)
    assert '\\o "1-2"' in TOC_INSTRUCTION and "\\h" in TOC_INSTRUCTION
    headings = [
        (p.text, int(p.style.name[-1]))
        for p in draft_docx.paragraphs
        if p.style.name in ("Heading 1", "Heading 2")
    ]
    assert headings == [(h.title, h.level) for h in layout.build_layout(draft).toc]


def test_word_is_asked_to_update_the_fields_on_opening(draft_docx):
    update = draft_docx.settings.element.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"


def test_every_page_footer_counts_pages_with_fields(draft_docx, submitted_docx):
    for doc in (draft_docx, submitted_docx):
        for section in doc.sections:
            footer = section.footer._element
            assert _instructions(footer) == ["PAGE", "NUMPAGES"]
            assert _text(footer).startswith("第1页共1页")


def test_a_draft_says_草稿_in_the_header_of_every_section(draft_docx):
    for section in draft_docx.sections:
        assert layout.DRAFT_MARK in _text(section.header._element)
        assert "核验码" not in _text(section.footer._element)


def test_a_submitted_copy_has_no_草稿_and_its_verification_code_in_the_footer(
    submitted, submitted_docx
):
    assert layout.DRAFT_MARK not in _text(submitted_docx.element.body)
    for section in submitted_docx.sections:
        assert layout.DRAFT_MARK not in _text(section.header._element)
        footer = _text(section.footer._element)
        assert squeeze(f"核验码 {submitted.verification_code}") in footer
        assert submitted.verify_url in footer


@pytest.mark.parametrize("style", ["Normal", "Heading 1", "Heading 2"])
def test_chinese_text_is_set_in_宋体(draft_docx, style):
    fonts = draft_docx.styles[style].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == DOCX_EAST_ASIAN_FONT
    assert fonts.get(qn("w:eastAsiaTheme")) is None


def test_the_document_defaults_are_宋体_and_chinese(draft_docx):
    defaults = draft_docx.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(".//" + qn("w:rFonts")).get(qn("w:eastAsia")) == DOCX_EAST_ASIAN_FONT
    assert defaults.find(".//" + qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"


def test_the_file_is_signed_by_the_organisation(submitted, submitted_docx):
    props = submitted_docx.core_properties
    assert props.author == submitted.organisation_name
    assert props.last_modified_by == submitted.organisation_name
    assert props.comments == ""
    assert props.title == "国家专业化众创空间备案申报书"
