"""The recommendation summary table (推荐汇总表) as Excel and Word, on A4 landscape.

A recommending authority stamps the table and sends it with its applications: 广东 附件1, 辽宁
附件7, 湖南 附件3. The columns are the annex's, in its order and under its labels ("表格不得自行
添加"), so a column is never added, dropped or renamed here; the rows come in rank order.

The Excel file is written in openpyxl's write-only mode: rows stream to disk as they are written,
and every cell of a kind points at one shared named style, so a table of ten thousand rows costs
little time and memory. Its header row is repeated on every printed page.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator
from copy import deepcopy
from dataclasses import dataclass, field
from itertools import islice

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from filing.calls.schema import SummaryTable
from filing.documents import layout
from filing.documents.docx import (
    CHAR_MM,
    _centered,
    _display_width,
    _grid,
    _page_marks,
    _setup_styles,
    _widths,
    column_widths,
)
from filing.documents.fonts import DOCX_EAST_ASIAN_FONT

__all__ = ["SummaryData", "columns_of", "render_summary_docx", "render_summary_xlsx"]

SEAL = "（盖章）"
NOTES_LEAD = "注："
LANDSCAPE_WIDTH_MM = 257  # A4 landscape less 20 mm margins either side

# Excel measures a column in widths of the digit 0 of the default font; a Chinese character of
# 10 pt 宋体 takes about two of them.
XLSX_UNITS_PER_CHAR = 2.1
XLSX_UNITS_PADDING = 1.0
XLSX_WIDTH_SAMPLE = 2000  # rows looked at to size the columns
XLSX_LINE_HEIGHT = 15.0  # points
XLSX_CELL_LIMIT = 32767  # characters Excel holds in a cell
XLSX_SHEET_NAME_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})

# The shared styles, by name; each is registered with the workbook once.
STYLE_DRAFT = "汇总表草稿"
STYLE_TITLE = "汇总表标题"
STYLE_SIGNER = "汇总表落款"
STYLE_DATE = "汇总表日期"
STYLE_HEADER = "汇总表表头"
STYLE_BODY = "汇总表正文"
STYLE_NOTE = "汇总表注释"


@dataclass
class SummaryData:
    """One authority's summary table, ready to print: labels and values are final text."""

    title: str
    authority_name: str
    call_title: str
    document_number: str
    columns: list[str]
    rows: list[list[str]]  # in rank order, one value per column
    notes: list[str] = field(default_factory=list)
    date_text: str = ""  # "2020年8月3日"; left blank for the authority to write in
    draft: bool = False


def columns_of(table: SummaryTable) -> list[str]:
    """The column labels of a call's summary table, as its annex prints them."""
    return [column.label.zh for column in table.columns]


def _columns(data: SummaryData) -> list[str]:
    if not data.columns:
        raise ValueError("a summary table needs at least one column")
    return [layout.clean_text(c) for c in data.columns]


def _rows(data: SummaryData) -> Iterator[list[str]]:
    """The rows as clean text, each as wide as the header: a value without a column is refused.

    One row at a time, so that the Excel file holds no second copy of a long table.
    """
    width = len(data.columns)
    for n, row in enumerate(data.rows, start=1):
        if len(row) > width:
            raise ValueError(f"row {n} has {len(row)} values for {width} columns")
        values = [layout.clean_text("" if v is None else str(v)) for v in row]
        yield values + [""] * (width - len(values))


def _signer_line(data: SummaryData) -> str:
    return f"{layout.clean_text(data.authority_name)}{SEAL}"


def _date(data: SummaryData) -> str:
    return layout.clean_text(data.date_text) or layout.DATE_BLANK


def _notes(data: SummaryData) -> list[str]:
    """The notes as printed under the table, the first led by 注：."""
    notes = [layout.clean_text(n) for n in data.notes if n.strip()]
    if notes and not notes[0].startswith("注"):
        notes[0] = NOTES_LEAD + notes[0]
    return notes


# ----- Excel ---------------------------------------------------------------------------------


def _xlsx_styles(wb: Workbook) -> dict[str, NamedStyle]:
    thin = Side(style="thin", color="000000")
    grid = Border(left=thin, right=thin, top=thin, bottom=thin)

    def font(size: float, *, bold: bool = False, color: str = "000000") -> Font:
        return Font(name=DOCX_EAST_ASIAN_FONT, charset=134, size=size, bold=bold, color=color)

    def align(horizontal: str, vertical: str = "center") -> Alignment:
        return Alignment(horizontal=horizontal, vertical=vertical, wrap_text=True)

    styles = [
        NamedStyle(STYLE_DRAFT, font=font(10, color="B00000"), alignment=align("center")),
        NamedStyle(STYLE_TITLE, font=font(16, bold=True), alignment=align("center")),
        NamedStyle(STYLE_SIGNER, font=font(11), alignment=align("left")),
        NamedStyle(STYLE_DATE, font=font(11), alignment=align("right")),
        NamedStyle(STYLE_HEADER, font=font(10, bold=True), alignment=align("center"), border=grid),
        NamedStyle(STYLE_BODY, font=font(10), alignment=align("center"), border=grid),
        NamedStyle(STYLE_NOTE, font=font(10), alignment=align("left", "top")),
    ]
    for style in styles:
        wb.add_named_style(style)
    return {style.name: style for style in styles}


def _cells_of_row(cells: list[WriteOnlyCell | None], row_idx: int) -> Iterator[WriteOnlyCell]:
    """Every value appended to the sheet is a styled cell made by _Sheet.cell (or None for the
    cells a merge covers). openpyxl's write-only sheet first tries each value as a plain one and
    takes a cell only from the error that fails with, whose message renders the cell: for a long
    table that was a third of the whole. This places the cells directly instead."""
    for col_idx, cell in enumerate(cells, 1):
        if cell is not None:
            cell.column, cell.row = col_idx, row_idx
            yield cell


class _Sheet:
    """Appends rows of styled cells to a write-only sheet and remembers where it is."""

    def __init__(self, wb: Workbook, title: str, width: int) -> None:
        name = (title.translate(XLSX_SHEET_NAME_FORBIDDEN).strip("'") or "Sheet")[:31]
        self.ws = wb.create_sheet(name)
        self.width = width
        self.row = 0
        # A cell's style is an array of indexes into the workbook's shared fonts, borders and
        # alignments; cells of one kind share one array (openpyxl copies it per cell otherwise).
        self.arrays = {name: style.as_tuple() for name, style in _xlsx_styles(wb).items()}
        self.ws._values_to_row = _cells_of_row

    def cell(self, value: str, style: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.ws)
        # Text as typed, clean already (layout.clean_text): "=1+1" is not a formula nor "#N/A"
        # an error. Set directly, since openpyxl's setter would make the first a formula.
        cell._value = value[:XLSX_CELL_LIMIT]
        cell.data_type = "s"
        cell._style = self.arrays[style]
        return cell

    def append(self, cells: list[WriteOnlyCell], *, height: float | None = None) -> int:
        self.row += 1
        if height:
            self.ws.row_dimensions[self.row].height = height
        self.ws.append(cells)
        return self.row

    def merge(self, first: int, last: int) -> None:
        if last > first:
            self.ws.merged_cells.add(
                CellRange(min_col=first, max_col=last, min_row=self.row, max_row=self.row)
            )

    def line(self, text: str, style: str, *, height: float | None = None) -> None:
        """A row of one text across the whole table."""
        self.append([self.cell(text, style)], height=height)
        self.merge(1, self.width)


def _xlsx_widths(columns: list[str], rows: list[list[str]]) -> list[float]:
    """Column widths in Excel's units, shared out as in the Word table (by content)."""
    widths_mm = column_widths(columns, rows, LANDSCAPE_WIDTH_MM)
    return [round(w / CHAR_MM * XLSX_UNITS_PER_CHAR + XLSX_UNITS_PADDING, 1) for w in widths_mm]


def _lines(text: str, units: float) -> int:
    """How many lines `text` takes in a merged row `units` wide."""
    per_line = max(units / XLSX_UNITS_PER_CHAR, 1.0)
    return sum(max(1, math.ceil(_display_width(part) / per_line)) for part in text.split("\n"))


def _xlsx_page(ws, data: SummaryData, header_row: int) -> None:
    setup = ws.page_setup
    setup.orientation = "landscape"
    setup.paperSize = Worksheet.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0  # as many pages as the rows need
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.6, right=0.6, top=0.8, bottom=0.8, header=0.4, footer=0.4)
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.freeze_panes = f"A{header_row + 1}"
    if data.draft:
        ws.oddHeader.center.text = layout.DRAFT_HEADER
        ws.oddHeader.center.color = "B00000"
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"


def _xlsx_properties(wb: Workbook, data: SummaryData) -> None:
    clean = layout.clean_text
    props = wb.properties
    props.title = clean(data.title)
    props.subject = clean(data.call_title)
    props.keywords = clean(data.document_number)
    props.creator = clean(data.authority_name)
    props.lastModifiedBy = clean(data.authority_name)
    props.category = layout.DRAFT_MARK if data.draft else None


def render_summary_xlsx(data: SummaryData) -> bytes:
    """The summary table as an Excel workbook (.xlsx) of one sheet, printed on A4 landscape."""
    columns = _columns(data)
    wb = Workbook(write_only=True)
    sheet = _Sheet(wb, data.title, len(columns))
    ws = sheet.ws

    widths = _xlsx_widths(columns, list(islice(_rows(data), XLSX_WIDTH_SAMPLE)))
    for n, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(n)].width = width
    total = sum(widths)
    # What the sheet writes before its first row (views, sheet properties) is set first.
    header_row = 4 if data.draft else 3
    _xlsx_page(ws, data, header_row)

    if data.draft:
        sheet.line(layout.DRAFT_HEADER, STYLE_DRAFT)
    sheet.line(layout.clean_text(data.title), STYLE_TITLE, height=32)

    # "<authority>（盖章）" on the left, the date on the right, as the annexes put them.
    signer, date = _signer_line(data), _date(data)
    if len(columns) == 1:
        sheet.append([sheet.cell(f"{signer}　{date}", STYLE_SIGNER)], height=24)
    else:
        split = len(columns) - min(3, len(columns) // 2)  # the date takes up to 3 columns
        sheet.append(
            [sheet.cell(signer, STYLE_SIGNER)]
            + [None] * (split - 1)
            + [sheet.cell(date, STYLE_DATE)],
            height=24,
        )
        sheet.merge(1, split)
        sheet.merge(split + 1, len(columns))

    sheet.append([sheet.cell(c, STYLE_HEADER) for c in columns])
    assert sheet.row == header_row

    cell = sheet.cell
    for values in _rows(data):
        ws.append([cell(v, STYLE_BODY) for v in values])
        sheet.row += 1
    if sheet.row == header_row:
        sheet.line(layout.NO_ROWS, STYLE_BODY)

    for note in _notes(data):
        sheet.line(note, STYLE_NOTE, height=XLSX_LINE_HEIGHT * _lines(note, total))

    _xlsx_properties(wb, data)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ----- Word ----------------------------------------------------------------------------------

_W_TC, _W_P, _W_R, _W_T, _W_BR = (qn(f"w:{tag}") for tag in ("tc", "p", "r", "t", "br"))
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _fill(tr, values: list[str]) -> None:
    """Put `values` into the cells of a row copied from the template row.

    Each row is a copy of one row built by python-docx (borders, widths, cell style, no split),
    with only its text replaced: building each of thousands of rows through python-docx's
    objects takes milliseconds a row.
    """
    for tc, value in zip(tr.iterchildren(_W_TC), values, strict=True):
        p = tc.find(_W_P)
        for run in p.findall(_W_R):
            p.remove(run)
        if not value:
            continue
        run = etree.SubElement(p, _W_R)
        for n, line in enumerate(value.split("\n")):
            if n:
                etree.SubElement(run, _W_BR)
            t = etree.SubElement(run, _W_T)
            t.text = line
            if line != line.strip():
                t.set(_XML_SPACE, "preserve")


def _docx_table(doc, columns: list[str], rows: list[list[str]]) -> None:
    blank = [""] * len(columns)
    table = _grid(doc, columns, [blank], width=LANDSCAPE_WIDTH_MM)
    _widths(table, column_widths(columns, rows, LANDSCAPE_WIDTH_MM))
    template = table.rows[1]._tr
    tbl = table._tbl
    for values in rows:
        tr = deepcopy(template)
        _fill(tr, values)
        tbl.append(tr)
    if rows:
        tbl.remove(template)
    else:
        _fill(template, [layout.NO_ROWS, *blank[1:]])


def _docx_page(doc, data: SummaryData) -> None:
    for section in doc.sections:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin, section.bottom_margin = Mm(20), Mm(18)
        section.left_margin, section.right_margin = Mm(20), Mm(20)
        section.header_distance, section.footer_distance = Mm(10), Mm(10)
    _page_marks(doc, data.draft)


def _docx_properties(doc, data: SummaryData) -> None:
    clean = layout.clean_text
    props = doc.core_properties
    props.title = clean(data.title)
    props.subject = clean(data.call_title)
    props.keywords = clean(data.document_number)
    props.author = clean(data.authority_name)
    props.last_modified_by = clean(data.authority_name)
    props.comments = ""
    props.category = layout.DRAFT_MARK if data.draft else ""


def render_summary_docx(data: SummaryData) -> bytes:
    """The summary table as a Word file (.docx) on A4 landscape, its header row on every page."""
    columns = _columns(data)
    rows = list(_rows(data))
    doc = Document()
    _setup_styles(doc)
    _docx_page(doc, data)
    _docx_properties(doc, data)

    title = _centered(doc, layout.clean_text(data.title), 16, bold=True)
    title.paragraph_format.space_after = Pt(10)
    signer = doc.add_paragraph()
    signer.paragraph_format.tab_stops.add_tab_stop(Mm(LANDSCAPE_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT)
    signer.paragraph_format.space_after = Pt(6)
    signer.add_run(f"{_signer_line(data)}\t{_date(data)}").font.size = Pt(12)

    _docx_table(doc, columns, rows)

    for n, note in enumerate(_notes(data)):
        p = doc.add_paragraph(note)
        p.runs[0].font.size = Pt(9)
        if n == 0:
            p.paragraph_format.space_before = Pt(6)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
