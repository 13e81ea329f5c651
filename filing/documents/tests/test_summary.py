"""The summary table prints the annex's columns exactly, the rows in rank order, and its notes.

Above the table stand the title and "<authority>（盖章）" with the date; the header row repeats
on every printed page of A4 landscape. Nothing is added to the annex's columns (表格不得自行添加),
and a table of ten thousand rows comes out whole.
"""

from __future__ import annotations

import io

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm
from openpyxl import load_workbook

from filing.calls.schema import SummaryColumn, SummaryTable, Text
from filing.documents import layout
from filing.documents.fonts import DOCX_EAST_ASIAN_FONT
from filing.documents.summary import (
    SummaryData,
    columns_of,
    render_summary_docx,
    render_summary_xlsx,
)

# 湖南 附件3 申请备案的众创空间信息汇总表, as the notice prints it.
HUNAN_COLUMNS = [
    "众创空间名称",
    "运营管理主体",
    "地址",
    "成立时间",
    "机构性质（事业、国有企业、民营企业等）",
    "负责人",
    "联系人",
    "办公电话",
    "手机",
    "传真",
    "电子邮件",
    "是否在国家高新区（请注明所在高新区名称）",
    "是否在国家级科技企业孵化器或大学科技园（请注明所在机构名称）",
]

# 广东 附件1 注.
GUANGDONG_NOTES = [
    "1.“运营机构名称”以营业执照或“三证合一”的名称为准；",
    "2.“专业领域”请细化至《国家重点支持的高新技术领域》三级目录；",
    "3.表格不得自行添加；",
    "4.实地核查情况请填写：已核查或未核查；",
    "5.各地市科技管理部门汇总确认后加盖公章，同时将word文件及盖章后的汇总表彩色扫描后发至skjt_fhyc@gd.gov.cn。",
]


def hunan_row(n: int) -> list[str]:
    return [
        f"麓谷第{n}号众创空间",
        f"湖南麓谷第{n}创业服务有限公司",
        f"长沙市岳麓区麓谷大道{n}号",
        "2015-06-01",
        "民营企业",
        "王建国",
        "李晓梅",
        "0731-88988998",
        f"139{n:08d}",
        "0731-88988999",
        f"space{n}@example.com",
        "是（长沙高新技术产业开发区）",
        "否",
    ]


def hunan(rows: int = 3, *, draft: bool = False) -> SummaryData:
    return SummaryData(
        title="申请备案的众创空间信息汇总表",
        authority_name="长沙市科学技术局",
        call_title="关于开展众创空间备案工作的通知",
        document_number="",
        columns=list(HUNAN_COLUMNS),
        rows=[hunan_row(n) for n in range(1, rows + 1)],
        notes=["行的顺序即推荐顺序。"],
        date_text="2016年4月12日",
        draft=draft,
    )


def guangdong() -> SummaryData:
    columns = [
        "序号",
        "众创空间名称",
        "运营机构名称",
        "依托主体",
        "专业领域",
        "联系人",
        "联系电话",
        "实地核查情况",
    ]
    rows = [
        [
            "1",
            "智慧家庭专业化众创空间",
            "广州智家科技有限公司",
            "广州智家集团",
            "电子信息",
            "梁志远",
            "13902000001",
            "已核查",
        ],
        [
            "2",
            "海洋生物专业化众创空间",
            "湛江海生科技有限公司",
            "",
            "生物与新医药",
            "陈海",
            "13902000002",
            "未核查",
        ],
    ]
    return SummaryData(
        title="国家专业化众创空间备案申报单位推荐汇总表",
        authority_name="广州市科学技术局",
        call_title="第四批国家专业化众创空间备案示范广东省申报推荐",
        document_number="粤科函高字〔2020〕394号",
        columns=columns,
        rows=rows,
        notes=list(GUANGDONG_NOTES),
        date_text="",
        draft=False,
    )


def sheet_rows(data: bytes) -> list[list[str]]:
    ws = load_workbook(io.BytesIO(data)).active
    return [["" if v is None else v for v in row] for row in ws.iter_rows(values_only=True)]


def header_index(rows: list[list[str]], columns: list[str]) -> int:
    return next(n for n, row in enumerate(rows) if row[: len(columns)] == columns)


@pytest.fixture(scope="module")
def hunan_xlsx() -> bytes:
    return render_summary_xlsx(hunan())


@pytest.fixture(scope="module")
def hunan_docx():
    return docx.Document(io.BytesIO(render_summary_docx(hunan())))


def test_the_excel_header_is_the_annexs_thirteen_columns_in_order(hunan_xlsx):
    rows = sheet_rows(hunan_xlsx)
    header = rows[header_index(rows, HUNAN_COLUMNS)]
    assert header == HUNAN_COLUMNS


def test_the_excel_rows_follow_the_header_in_rank_order(hunan_xlsx):
    rows = sheet_rows(hunan_xlsx)
    start = header_index(rows, HUNAN_COLUMNS) + 1
    assert rows[start : start + 3] == [hunan_row(1), hunan_row(2), hunan_row(3)]


def test_the_title_and_the_sealed_authority_line_with_the_date_stand_above_the_table(hunan_xlsx):
    rows = sheet_rows(hunan_xlsx)
    above = [value for row in rows[: header_index(rows, HUNAN_COLUMNS)] for value in row if value]
    assert above == ["申请备案的众创空间信息汇总表", "长沙市科学技术局（盖章）", "2016年4月12日"]


def test_the_notes_follow_the_rows(hunan_xlsx):
    rows = sheet_rows(hunan_xlsx)
    assert rows[-1][0] == "注：行的顺序即推荐顺序。"


def test_every_note_of_the_annex_is_printed_in_order_and_nothing_is_added_to_the_columns():
    data = guangdong()
    rows = sheet_rows(render_summary_xlsx(data))
    start = header_index(rows, data.columns)
    assert all(len([v for v in row if v != ""]) <= len(data.columns) for row in rows)
    assert rows[start + 1 : start + 3] == data.rows
    notes = [row[0] for row in rows[start + 3 :]]
    assert notes == ["注：" + GUANGDONG_NOTES[0], *GUANGDONG_NOTES[1:]]
    assert "注：3.表格不得自行添加；" not in notes  # only the first note is led by 注：


def test_without_a_date_the_authority_writes_it_in():
    rows = sheet_rows(render_summary_xlsx(guangdong()))
    assert layout.DATE_BLANK in [v for row in rows[:3] for v in row]


def test_the_sheet_prints_on_a4_landscape_with_the_header_row_on_every_page(hunan_xlsx):
    ws = load_workbook(io.BytesIO(hunan_xlsx)).active
    rows = sheet_rows(hunan_xlsx)
    header_row = header_index(rows, HUNAN_COLUMNS) + 1
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == f"${header_row}:${header_row}"
    assert ws.freeze_panes == f"A{header_row + 1}"


def test_columns_are_sized_by_content(hunan_xlsx):
    ws = load_workbook(io.BytesIO(hunan_xlsx)).active
    widths = {letter: dim.width for letter, dim in ws.column_dimensions.items()}
    assert len(widths) == len(HUNAN_COLUMNS)
    assert all(6 <= w <= 40 for w in widths.values())
    assert widths["K"] > widths["F"]  # an e-mail address is wider than a name


def test_cells_share_a_few_named_styles_in_the_chinese_font(hunan_xlsx):
    wb = load_workbook(io.BytesIO(hunan_xlsx))
    ws = wb.active
    start = header_index(sheet_rows(hunan_xlsx), HUNAN_COLUMNS) + 1
    assert ws.cell(start, 1).style == "汇总表表头"
    assert ws.cell(start + 1, 1).style == "汇总表正文"
    assert ws.cell(start + 1, 1).font.name == DOCX_EAST_ASIAN_FONT
    assert ws.cell(start + 1, 1).border.left.style == "thin"
    assert len(wb._cell_styles) <= 10


def test_ten_thousand_rows_come_out_whole():
    data = hunan(10_000)
    ws = load_workbook(io.BytesIO(render_summary_xlsx(data)), read_only=True).active
    rows = [list(row) for row in ws.iter_rows(values_only=True)]
    start = header_index(rows, HUNAN_COLUMNS) + 1
    body = rows[start : start + 10_000]
    assert len(body) == 10_000
    assert body[0] == hunan_row(1)
    assert body[-1] == hunan_row(10_000)
    assert rows[start + 10_000][0] == "注：行的顺序即推荐顺序。"


def test_values_are_kept_as_typed_text_never_formulas():
    data = hunan(1)
    data.rows[0][0] = '=HYPERLINK("http://example.com")'
    data.rows[0][5] = "#N/A"
    data.rows[0][7] = "0731-88988998"
    ws = load_workbook(io.BytesIO(render_summary_xlsx(data))).active
    start = header_index(sheet_rows(render_summary_xlsx(data)), HUNAN_COLUMNS) + 2
    assert ws.cell(start, 1).value == data.rows[0][0]
    assert ws.cell(start, 1).data_type == "s"
    assert ws.cell(start, 6).value == "#N/A"
    assert ws.cell(start, 8).value == "0731-88988998"


def test_control_characters_are_dropped_and_line_breaks_kept():
    data = hunan(1)
    data.rows[0][2] = "长沙市\x07岳麓区\r\n麓谷大道1号\x00"
    rows = sheet_rows(render_summary_xlsx(data))
    assert rows[header_index(rows, HUNAN_COLUMNS) + 1][2] == "长沙市岳麓区\n麓谷大道1号"


def test_a_short_row_is_padded_and_a_row_longer_than_the_header_is_refused():
    data = hunan(1)
    data.rows = [hunan_row(1)[:2]]
    rows = sheet_rows(render_summary_xlsx(data))
    assert rows[header_index(rows, HUNAN_COLUMNS) + 1][:3] == hunan_row(1)[:2] + [""]
    data.rows = [[*hunan_row(1), "多余"]]
    with pytest.raises(ValueError):
        render_summary_xlsx(data)
    with pytest.raises(ValueError):
        render_summary_docx(data)


def test_a_draft_says_so_above_the_table_and_on_every_page():
    draft = render_summary_xlsx(hunan(draft=True))
    assert sheet_rows(draft)[0][0] == layout.DRAFT_HEADER
    assert load_workbook(io.BytesIO(draft)).active.oddHeader.center.text == layout.DRAFT_HEADER
    final = render_summary_xlsx(hunan())
    assert all(layout.DRAFT_MARK not in str(v) for row in sheet_rows(final) for v in row)


def test_the_columns_of_a_calls_summary_table_are_its_chinese_labels():
    table = SummaryTable(
        title=Text(zh="申请备案的众创空间信息汇总表", en="Summary"),
        level="city",
        columns=[
            SummaryColumn(
                key="space_name", label=Text(zh="众创空间名称", en="Name"), value="space_name"
            ),
            SummaryColumn(key="fax", label=Text(zh="传真", en="Fax"), value="fax"),
        ],
    )
    assert columns_of(table) == ["众创空间名称", "传真"]


# ----- Word ----------------------------------------------------------------------------------


def test_the_word_table_has_the_same_header_and_rows(hunan_docx):
    table = hunan_docx.tables[0]
    assert [c.text for c in table.rows[0].cells] == HUNAN_COLUMNS
    assert [[c.text for c in row.cells] for row in table.rows[1:]] == [
        hunan_row(n) for n in (1, 2, 3)
    ]


def test_the_word_header_row_repeats_and_rows_do_not_split(hunan_docx):
    rows = hunan_docx.tables[0].rows
    assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in rows[1:])


def test_the_word_file_is_a4_landscape_in_宋体(hunan_docx):
    for section in hunan_docx.sections:
        assert abs(section.page_width - Mm(297)) < Mm(0.5)
        assert abs(section.page_height - Mm(210)) < Mm(0.5)
    fonts = hunan_docx.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == DOCX_EAST_ASIAN_FONT


def test_the_word_file_has_the_title_the_sealed_authority_line_and_the_notes(hunan_docx):
    texts = [p.text for p in hunan_docx.paragraphs]
    assert texts[0] == "申请备案的众创空间信息汇总表"
    assert texts[1] == "长沙市科学技术局（盖章）\t2016年4月12日"
    assert texts[-1] == "注：行的顺序即推荐顺序。"


def test_word_keeps_line_breaks_and_leading_spaces_of_a_value():
    data = hunan(2)
    data.rows[1][2] = "长沙市岳麓区\n麓谷大道2号"
    data.rows[1][5] = ""
    table = docx.Document(io.BytesIO(render_summary_docx(data))).tables[0]
    assert table.rows[2].cells[2].text == "长沙市岳麓区\n麓谷大道2号"
    assert table.rows[2].cells[5].text == ""
    assert table.rows[1].cells[5].text == "王建国"


def test_an_empty_table_says_so():
    data = hunan(0)
    table = docx.Document(io.BytesIO(render_summary_docx(data))).tables[0]
    assert [c.text for c in table.rows[1].cells][0] == layout.NO_ROWS
    rows = sheet_rows(render_summary_xlsx(data))
    assert rows[header_index(rows, HUNAN_COLUMNS) + 1][0] == layout.NO_ROWS


def test_a_draft_word_file_says_草稿_in_its_header():
    draft = docx.Document(io.BytesIO(render_summary_docx(hunan(draft=True))))
    assert draft.sections[0].header.paragraphs[0].text == layout.DRAFT_HEADER
    final = docx.Document(io.BytesIO(render_summary_docx(hunan())))
    assert final.sections[0].header.paragraphs[0].text == ""
