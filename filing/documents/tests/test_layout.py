"""Both documents print the same parts in the same order, and print a choice as its boxes.

A box carries the name given with 是 or the text given with 其他; what the boxes cannot say is
printed beside them, so no typed value is lost on paper.
"""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from filing.applications.printable import PrintChoice, PrintField, PrintRoster
from filing.documents import layout
from filing.documents.pdf import render_pdf
from filing.documents.tests.conftest import squeeze
from filing.documents.tests.sample import sample_printable


def _printed(row: layout.FieldRow) -> str:
    boxes = "".join(b.glyph + b.label + (f"：{b.note}" if b.note else "") for b in row.boxes)
    return boxes + row.extra


def test_the_year_is_written_in_chinese_numerals():
    assert layout.chinese_year(2020) == "二〇二〇年"
    assert layout.chinese_year(2016) == "二〇一六年"


def test_one_ticked_choice_prints_its_box_and_nothing_more():
    field = PrintField(
        key="level",
        label="级别",
        value="省级",
        type="choice",
        choices=[
            PrintChoice("国家级", False),
            PrintChoice("省级", True),
            PrintChoice("其他", False),
        ],
    )
    assert _printed(layout.field_row(field)) == "☐国家级☑省级☐其他"


def test_the_text_given_with_a_choice_is_printed_beside_its_box():
    field = PrintField(
        key="nature",
        label="机构性质",
        value="其他：社会团体",
        type="choice",
        choices=[PrintChoice("民营企业", False), PrintChoice("其他", True)],
    )
    assert _printed(layout.field_row(field)) == "☐民营企业☑其他：社会团体"


def test_several_ticked_choices_print_their_boxes():
    field = PrintField(
        key="services",
        label="服务",
        value="路演、培训",
        type="multichoice",
        choices=[PrintChoice("路演", True), PrintChoice("培训", True), PrintChoice("沙龙", False)],
    )
    assert _printed(layout.field_row(field)) == "☑路演☑培训☐沙龙"


def test_a_value_the_boxes_cannot_say_is_printed_beside_them():
    field = PrintField(
        key="services",
        label="服务",
        value="路演、培训（每月）",
        type="multichoice",
        choices=[PrintChoice("路演", True), PrintChoice("培训", True)],
    )
    assert _printed(layout.field_row(field)) == "☑路演☑培训路演、培训（每月）"


def test_a_yes_with_name_without_choices_gets_yes_and_no_boxes():
    field = PrintField(
        key="zone", label="是否在国家高新区", value="是：长沙高新区", type="yes_with_name"
    )
    assert _printed(layout.field_row(field)) == "☑是：长沙高新区☐否"
    field.value = "否"
    assert _printed(layout.field_row(field)) == "☐是☑否"
    field.value = ""
    assert _printed(layout.field_row(field)) == "☐是☐否"


def test_a_name_already_in_the_box_label_is_not_printed_twice():
    field = PrintField(
        key="lead",
        label="是否由龙头骨干企业牵头建设（请注明企业名称）",
        value="是：海尔集团",
        type="yes_with_name",
        choices=[PrintChoice("是（海尔集团）", True), PrintChoice("否", False)],
    )
    assert _printed(layout.field_row(field)) == "☑是（海尔集团）☐否"


def test_a_value_with_no_box_of_its_own_is_printed_after_the_boxes():
    field = PrintField(
        key="nature",
        label="机构性质",
        value="社会团体",
        type="choice",
        choices=[PrintChoice("事业单位", False), PrintChoice("民营企业", False)],
    )
    assert _printed(layout.field_row(field)) == "☐事业单位☐民营企业社会团体"


def test_a_number_is_printed_with_its_unit_once():
    def shown(value: str, unit: str) -> str:
        return layout.field_row(PrintField(key="n", label="n", value=value, unit=unit)).value

    assert shown("3,200", "m²") == "3,200 m²"
    assert shown("42", "场") == "42场"
    assert shown("84.5", "%") == "84.5%"
    assert shown("1,200 m²", "m²") == "1,200 m²"
    assert shown("", "个") == ""


def test_a_section_is_left_off_only_when_the_cover_already_prints_all_of_it():
    printable = sample_printable(team_rows=0)
    titles = [p.heading.title for p in layout.build_layout(printable).parts]
    assert "封面" not in titles
    printable.sections[0].fields[0].value = "深圳市"  # no longer what the cover says
    titles = [p.heading.title for p in layout.build_layout(printable).parts]
    assert "封面" in titles


def test_rows_are_numbered_unless_the_roster_numbers_them_itself():
    plain = PrintRoster(key="t", title="名单", columns=["名称"], rows=[["甲"], ["乙"]])
    assert layout._roster(plain, 1).rows == [["1", "甲"], ["2", "乙"]]
    numbered = PrintRoster(key="t", title="名单", columns=["序号", "名称"], rows=[["01", "甲"]])
    assert layout._roster(numbered, 1).columns == ["序号", "名称"]
    assert layout._roster(numbered, 1).rows == [["01", "甲"]]


def test_parts_come_in_the_order_of_the_form():
    doc = layout.build_layout(sample_printable(team_rows=2))
    assert [p.kind for p in doc.parts] == [
        "section",
        "section",
        "roster",
        "roster",
        "roster",
        "attachments",
        "commitment",
    ]
    assert len({h.anchor for h in doc.toc}) == len(doc.toc)


def test_a_commitment_without_signer_label_still_has_signature_and_seal_blanks():
    printable = sample_printable(team_rows=0)
    printable.commitments[0].signer_label = ""
    part = layout.build_layout(printable).parts[-1]
    assert part.signers == ["负责人（签字）", "单位（盖章）"]


def test_an_empty_roster_prints_as_none():
    printable = sample_printable(team_rows=0)
    reader = PdfReader(io.BytesIO(render_pdf(printable)))
    text = squeeze("".join(page.extract_text() for page in reader.pages))
    assert squeeze("入驻创业团队名单序号名称") in text
    assert layout.NO_ROWS in text


def test_roster_columns_are_as_wide_as_their_content_asks():
    columns = ["序号", "名称", "手机", "是否已申请专利"]
    rows = [[str(n), f"微光视觉算法团队{n}", "13902000000", "是"] for n in range(1, 201)]
    widths = layout.column_widths(columns, rows)
    assert sum(widths) == pytest.approx(100, abs=0.1)
    number, name, phone, patent = widths
    # A mobile number is not split over two lines, and a yes/no column stays narrow.
    assert phone > patent and phone > number
    assert name > phone
    # However long a cell, one column does not take the page.
    long_rows = [[*row[:3], "很长的说明" * 40] for row in rows]
    assert layout.column_widths(columns, long_rows)[3] < 50


def test_a_roster_without_rows_still_gets_widths_from_its_headers():
    widths = layout.column_widths(["序号", "名称"], [])
    assert len(widths) == 2 and sum(widths) == pytest.approx(100, abs=0.1)
