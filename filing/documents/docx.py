"""The application as a Word file, for offices that fill in, stamp and file paper.

Same parts in the same order as the PDF (both walk filing.documents.layout). Word cannot count
pages before it lays the file out, so the table of contents and the page numbers are fields that
Word fills in when the file is opened (the file asks Word to update its fields).
"""

from __future__ import annotations

import io
import re

from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from filing.applications.printable import Printable
from filing.documents import layout
from filing.documents.fonts import DOCX_EAST_ASIAN_FONT, DOCX_LATIN_FONT, DOCX_SYMBOL_FONT

__all__ = ["TOC_INSTRUCTION", "render_docx"]

TOC_INSTRUCTION = 'TOC \\o "1-2" \\h \\z \\u'
TOC_PLACEHOLDER = "（目录页码在 Word 中打开本文件并更新域后生成。）"
TABLE_TEXT_STYLE = "表格文字"
BLACK = RGBColor(0, 0, 0)
DRAFT_RED = RGBColor(0xB0, 0, 0)
CONTENT_WIDTH_MM = 170  # A4 less 20 mm margins either side
CHAR_MM = 3.2  # one Chinese character at 9 pt
CELL_PADDING_MM = 4.0


def _set_fonts(r_pr, latin: str, east_asian: str) -> None:
    """Name the fonts on an rPr, dropping theme fonts (they would win over the names)."""
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:cs"), latin)


def _setup_styles(doc) -> None:
    styles = doc.styles
    defaults = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(defaults, DOCX_LATIN_FONT, DOCX_EAST_ASIAN_FONT)
    lang = defaults.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")

    normal = styles["Normal"]
    normal.font.size = Pt(10.5)  # 五号
    _set_fonts(normal.element.get_or_add_rPr(), DOCX_LATIN_FONT, DOCX_EAST_ASIAN_FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.25

    for name, size, before, after in (("Heading 1", 16, 0, 12), ("Heading 2", 12, 10, 4)):
        style = styles[name]
        _set_fonts(style.element.get_or_add_rPr(), DOCX_LATIN_FONT, DOCX_EAST_ASIAN_FONT)
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = BLACK
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)

    table_text = styles.add_style(TABLE_TEXT_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = normal
    table_text.font.size = Pt(9)  # 小五
    table_text.paragraph_format.line_spacing = 1.0


def _ask_word_to_update_fields(doc) -> None:
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    # CT_Settings is a sequence: updateFields comes before these.
    later = ("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars")
    anchor = next((el for tag in later if (el := settings.find(qn(tag))) is not None), None)
    if anchor is not None:
        anchor.addprevious(update)
    else:
        settings.append(update)
    font_lang = settings.find(qn("w:themeFontLang"))
    if font_lang is not None:
        font_lang.set(qn("w:eastAsia"), "zh-CN")


def _fld_char(paragraph: Paragraph, kind: str) -> None:
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    paragraph.add_run()._r.append(char)


def _instruction(paragraph: Paragraph, instruction: str) -> None:
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)


def _field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A field (PAGE, NUMPAGES) whose `shown` text Word replaces with the value."""
    _fld_char(paragraph, "begin")
    _instruction(paragraph, instruction)
    _fld_char(paragraph, "separate")
    paragraph.add_run(shown)
    _fld_char(paragraph, "end")


def _page(doc) -> None:
    for section in doc.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(24), Mm(22)
        section.left_margin, section.right_margin = Mm(20), Mm(20)
        section.header_distance, section.footer_distance = Mm(12), Mm(12)


def _page_marks(doc, draft: bool) -> None:
    """草稿 in the header of a draft, "第 N 页 共 M 页" in the footer, in every section."""
    for section in doc.sections:
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if draft:
            run = header.add_run(layout.DRAFT_HEADER)
            run.font.size = Pt(9)
            run.font.color.rgb = DRAFT_RED
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run("第 ")
        _field(footer, "PAGE", "1")
        footer.add_run(" 页 共 ")
        _field(footer, "NUMPAGES", "1")
        footer.add_run(" 页")


def _header_footer(doc, printable: Printable) -> None:
    _page_marks(doc, printable.draft)
    verification = layout.verification_line(printable)
    for section in doc.sections:
        if verification:
            line = section.footer.add_paragraph(verification)
            line.alignment = WD_ALIGN_PARAGRAPH.CENTER
            line.runs[0].font.size = Pt(8)


def _centered(doc, text: str, size: float, *, bold: bool = False, before: float = 0) -> Paragraph:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_before = Pt(before)
    run = p.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    return p


def _border(cell: _Cell, **edges: str) -> None:
    """Set cell borders, e.g. bottom="single", top="nil"."""
    tc_pr = cell._tc.get_or_add_tcPr()
    borders = tc_pr.find(qn("w:tcBorders"))
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        tc_pr.append(borders)
    for edge in ("top", "left", "bottom", "right"):
        value = edges.get(edge, "nil")
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), value)
        if value != "nil":
            el.set(qn("w:sz"), "6")
            el.set(qn("w:color"), "000000")
        borders.append(el)


def _widths(table: Table, widths_mm: list[float]) -> None:
    """Column widths, both on the grid (LibreOffice reads it) and on each cell (Word does)."""
    table.autofit = False
    for col, width in zip(table._tbl.tblGrid.gridCol_lst, widths_mm, strict=False):
        col.w = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=False):
            cell.width = Mm(width)


def _cover(doc, doc_layout: layout.Layout) -> None:
    _centered(doc, doc_layout.call_title, 14, before=60)
    if doc_layout.document_number:
        _centered(doc, f"（{doc_layout.document_number}）", 11, before=4)
    _centered(doc, doc_layout.heading, 26, bold=True, before=60).paragraph_format.space_after = Pt(
        60
    )
    table = doc.add_table(rows=0, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for label, value in doc_layout.cover:
        cells = table.add_row().cells
        cells[0].text = f"{label}："
        cells[1].text = value
        cells[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _border(cells[0])
        _border(cells[1], bottom="single")
        for cell in cells:
            cell.paragraphs[0].paragraph_format.space_before = Pt(10)
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(14)
    _widths(table, [48, 92])
    _centered(doc, doc_layout.issuer_name, 15, before=90)
    _centered(doc, doc_layout.year, 15, before=6)
    if doc_layout.submitted_line:
        _centered(doc, doc_layout.submitted_line, 9, before=24)


def _toc(doc, doc_layout: layout.Layout) -> None:
    title = _centered(doc, layout.TOC_TITLE, 18, bold=True)
    title.paragraph_format.page_break_before = True
    title.paragraph_format.space_after = Pt(18)
    # The field's result until Word updates it: the entries without page numbers.
    entries = [(TOC_PLACEHOLDER, 1)] + [(h.title, h.level) for h in doc_layout.toc]
    for n, (text, level) in enumerate(entries):
        p = doc.add_paragraph()
        p.paragraph_format.left_indent = Pt(21 * (level - 1))
        p.paragraph_format.space_after = Pt(6)
        if n == 0:  # one field over all the entries' paragraphs
            _fld_char(p, "begin")
            _instruction(p, TOC_INSTRUCTION)
            _fld_char(p, "separate")
        p.add_run(text)
        if n == len(entries) - 1:
            _fld_char(p, "end")


def _heading(doc, heading: layout.Heading) -> None:
    p = doc.add_heading(heading.title, level=heading.level)
    if heading.level == 1:
        p.paragraph_format.page_break_before = True


def _cell_text(cell: _Cell, text: str, *, style_id: str = "", bold: bool = False) -> None:
    p = cell.paragraphs[0]
    if style_id:
        # By id: python-docx's lookup by name scans every style, for each of thousands of cells.
        p._p.style = style_id
    if text:
        p.add_run(text).bold = bold


def _boxes(cell: _Cell, row: layout.FieldRow) -> None:
    p = cell.paragraphs[0]
    for n, box in enumerate(row.boxes):
        if n:
            p.add_run("　　")
        glyph = p.add_run(box.glyph)
        _set_fonts(glyph._r.get_or_add_rPr(), DOCX_SYMBOL_FONT, DOCX_SYMBOL_FONT)
        p.add_run(box.label + (f"：{box.note}" if box.note else ""))
    if row.extra:
        p.add_run(f"　{row.extra}")


def _fields_table(doc, block: layout.FieldTable) -> None:
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for row in block.rows:
        cells = table.add_row().cells
        _cell_text(cells[0], row.label)
        if row.boxes:
            _boxes(cells[1], row)
        else:
            _cell_text(cells[1], row.value)
    _widths(table, [0.38 * CONTENT_WIDTH_MM, 0.62 * CONTENT_WIDTH_MM])
    doc.add_paragraph()


def _text_paragraphs(doc, paragraphs: list[str], size: float | None = None) -> None:
    for text in paragraphs:
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(2 * (size or 10.5))
        p.paragraph_format.line_spacing = 1.5
        run = p.add_run(text)
        if size:
            run.font.size = Pt(size)


def _repeat_header(table: Table) -> None:
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _display_width(text: str) -> float:
    """Width in Chinese characters: Latin letters and digits take about half of one."""
    return sum(1.0 if ord(ch) >= 0x2E80 else 0.55 for ch in text)


def _unbreakable(text: str) -> float:
    """The widest run of Latin letters and digits (a phone number, a date): it cannot wrap."""
    return max((_display_width(run) for run in re.findall(r"[\x21-\x7e]+", text)), default=0.0)


def column_widths(columns: list[str], rows: list[list[str]], total: float) -> list[float]:
    """Widths in mm shared out by content; Word would give every column the same.

    Every column first gets what it needs to show four characters, its longest phone number or
    date, and its header on three lines; what is left goes to the columns with longer text.
    """
    natural, floor = [], []
    for n, title in enumerate(columns):
        cells = [row[n] for row in rows if n < len(row)]
        widest = max(map(_display_width, cells), default=0.0)
        chars = max(widest, _display_width(title) / 3)
        fixed = max(map(_unbreakable, [title, *cells]))
        natural.append(max(min(chars, 14.0), fixed) * CHAR_MM + CELL_PADDING_MM)
        floor.append(max(min(chars, 4.0), fixed) * CHAR_MM + CELL_PADDING_MM)
    if sum(natural) <= total or sum(floor) >= total:
        widths = natural if sum(natural) <= total else floor
        return [w * total / sum(widths) for w in widths]
    spare = total - sum(floor)
    stretch = [n - f for n, f in zip(natural, floor, strict=True)]
    return [f + s * spare / sum(stretch) for f, s in zip(floor, stretch, strict=True)]


def _grid(doc, columns: list[str], rows: list[list[str]], width: float = CONTENT_WIDTH_MM) -> Table:
    """A bordered table whose header row repeats on every page and whose rows do not split.

    `width` is the width in mm the columns share: the portrait page's by default.
    """
    style_id = doc.styles[TABLE_TEXT_STYLE].style_id
    table = doc.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, columns, strict=True):
        _cell_text(cell, title, style_id=style_id, bold=True)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _repeat_header(table)
    for values in rows:
        row = table.add_row()
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for cell, value in zip(row.cells, values, strict=False):
            _cell_text(cell, value, style_id=style_id)
    _widths(table, column_widths(columns, rows, width))
    return table


def _roster(doc, part: layout.RosterPart) -> None:
    rows = part.rows or [[layout.NO_ROWS] + [""] * (len(part.columns) - 1)]
    _grid(doc, part.columns, rows)
    for note in part.notes:
        p = doc.add_paragraph(note)
        p.runs[0].font.size = Pt(9)


def _attachments(doc, part: layout.AttachmentPart) -> None:
    rows = [
        [row.number, row.label, row.required, "\n".join(row.files) or layout.NO_FILE]
        for row in part.rows
    ]
    table = _grid(doc, part.columns, rows)
    _widths(table, [16, 94, 16, 44])


def _commitment(doc, part: layout.CommitmentPart) -> None:
    _text_paragraphs(doc, part.paragraphs, size=12)
    doc.add_paragraph().paragraph_format.space_after = Pt(24)
    table = doc.add_table(rows=0, cols=3)
    for signer in part.signers:
        cells = table.add_row().cells
        _border(cells[0])
        _border(cells[1])
        _border(cells[2], bottom="single")
        _cell_text(cells[1], f"{signer}：")
        for cell in cells:
            cell.paragraphs[0].paragraph_format.space_before = Pt(24)
    _widths(table, [68, 52, 50])
    date = doc.add_paragraph(part.date_blank)
    date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    date.paragraph_format.space_before = Pt(30)
    accepted = []
    if part.signer_name:
        accepted.append(f"在线确认人：{part.signer_name}")
    if part.accepted_at:
        accepted.append(f"确认时间：{part.accepted_at}")
    if accepted:
        p = doc.add_paragraph("　".join(accepted))
        p.paragraph_format.space_before = Pt(24)
        p.runs[0].font.size = Pt(9)


def _properties(doc, printable: Printable, doc_layout: layout.Layout) -> None:
    props = doc.core_properties
    now = timezone.now()
    props.title = doc_layout.heading
    props.subject = printable.call_title
    props.author = printable.organisation_name
    props.last_modified_by = printable.organisation_name
    props.comments = ""
    props.keywords = ""
    props.category = layout.DRAFT_MARK if printable.draft else ""
    props.created = now
    props.modified = now
    props.revision = max(printable.version, 1)


def render_docx(printable: Printable) -> bytes:
    """The printable as an A4 Word file (.docx)."""
    doc_layout = layout.build_layout(printable)
    doc = Document()
    _setup_styles(doc)
    _ask_word_to_update_fields(doc)
    _page(doc)
    _header_footer(doc, printable)
    _properties(doc, printable, doc_layout)

    _cover(doc, doc_layout)
    _toc(doc, doc_layout)
    for part in doc_layout.parts:
        _heading(doc, part.heading)
        if isinstance(part, layout.SectionPart):
            for block in part.blocks:
                if isinstance(block, layout.FieldTable):
                    _fields_table(doc, block)
                else:
                    _heading(doc, block.heading)
                    _text_paragraphs(doc, block.paragraphs)
        elif isinstance(part, layout.RosterPart):
            _roster(doc, part)
        elif isinstance(part, layout.AttachmentPart):
            _attachments(doc, part)
        else:
            _commitment(doc, part)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
