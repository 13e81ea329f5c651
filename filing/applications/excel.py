"""Rosters as Excel files: a template to fill, and the upload that reads it back.

A roster (入驻企业名单, 创业导师名单 …) can run to hundreds of rows, so applicants fill it in Excel.
The template's first row is exactly the columns' Chinese labels in definition order; the upload
accepts that header (or the English labels, in the same order) and nothing else, so a column can
never be read into the wrong field. Every cell is checked with the same `clean_value` as the web
form. The upload is all or nothing: one problem anywhere and `RosterUploadError` lists every
problem found, with its Excel row number, and no row is returned.

Rows are returned in the form the web form stores (the raw-string form): dates ISO, booleans
是/否, a choice's value, a high-tech field's catalogue code, numbers as plain digits.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from filing.applications import uploads
from filing.applications.fields import UNIT_LABELS, clean_value, is_empty
from filing.calls.schema import CallDefinition, FieldDef, Roster

DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"
YES, NO = "是", "否"
VALUE_SHOWN = 50  # characters of a cell's content quoted back in a problem
SHEET_TITLE_MAX = 31
SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")
INSTRUCTIONS_SHEET = "填写说明"
CATALOGUE_SHEET = "领域目录"
LISTS_SHEET = "下拉选项"
INLINE_LIST_MAX = 250  # Excel refuses an inline list formula over 255 characters
# Columns typed as text so Excel does not turn 1.1.2 into a date or a credit code into 9.1E+17.
TEXT_TYPES = {"text", "phone", "mobile", "email", "credit_code", "high_tech_field", "yes_with_name"}
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


@dataclass(frozen=True)
class RowProblem:
    """One reason an upload was refused: where (Excel row, header = 1; 0 for the whole file)."""

    row: int
    column: str
    reason: str
    value: str = ""

    def __str__(self) -> str:
        if self.row == 0:
            return self.reason
        if self.column:
            return _("第 %(row)d 行“%(column)s”：%(reason)s") % {
                "row": self.row,
                "column": self.column,
                "reason": self.reason,
            }
        return _("第 %(row)d 行：%(reason)s") % {"row": self.row, "reason": self.reason}


class RosterUploadError(Exception):
    """The uploaded file was refused; nothing from it may be saved."""

    def __init__(self, problems: list[RowProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


# ----- columns -------------------------------------------------------------------------------


def get_roster(definition: CallDefinition, roster_key: str) -> Roster:
    for roster in definition.rosters:
        if roster.key == roster_key:
            return roster
    raise KeyError(f"call {definition.code} has no roster {roster_key!r}")


def roster_columns(definition: CallDefinition, roster_key: str, track: str) -> list[FieldDef]:
    """The roster's columns that apply to the track (a column without tracks applies to all)."""
    roster = get_roster(definition, roster_key)
    return [c for c in roster.columns if not c.tracks or track in c.tracks]


def sheet_title(roster: Roster) -> str:
    """The roster's Chinese title as an Excel sheet name: ≤ 31 characters, none of []:*?/\\."""
    title = SHEET_TITLE_BAD.sub("", roster.title.zh).strip().strip("'")
    return title[:SHEET_TITLE_MAX] or roster.key[:SHEET_TITLE_MAX]


# ----- the template --------------------------------------------------------------------------


def roster_template(
    definition: CallDefinition,
    roster_key: str,
    track: str,
    rows: list[dict[str, Any]] | None = None,
) -> bytes:
    """An .xlsx to fill the roster in, with the given stored rows written below the header."""
    roster = get_roster(definition, roster_key)
    columns = roster_columns(definition, roster_key, track)
    rows = rows or []
    catalogue = _catalogue() if any(c.type == "high_tech_field" for c in columns) else None

    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(roster)
    last_row = max(roster.max_rows, len(rows)) + 1

    for index, col in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = ws.cell(row=1, column=index, value=col.label.zh)
        cell.font = Font(bold=col.required)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if col.required:
            note = _("必填。")
            if col.help:
                note = f"{note}{col.help.zh}"
            cell.comment = Comment(note, _("众创空间备案平台"), width=240, height=90)
        dimension = ws.column_dimensions[letter]
        dimension.width = _column_width(col)
        if col.type == "date":
            dimension.number_format = DATE_FORMAT
        elif col.type in TEXT_TYPES:
            dimension.number_format = TEXT_FORMAT
        validation = _validation(wb, col, catalogue)
        validation.add(f"{letter}2:{letter}{last_row}")
        ws.add_data_validation(validation)

    for row_number, stored in enumerate(rows, start=2):
        for index, col in enumerate(columns, start=1):
            value = _display(col, stored.get(col.key), catalogue)
            if value is None:
                continue
            cell = ws.cell(row=row_number, column=index, value=value)
            if col.type == "date" and isinstance(value, date):
                cell.number_format = DATE_FORMAT
            elif isinstance(value, str):
                cell.number_format = TEXT_FORMAT

    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 36
    ws.print_title_rows = "1:1"

    _instructions(wb.create_sheet(INSTRUCTIONS_SHEET), roster, columns)
    if catalogue is not None:
        _catalogue_sheet(wb, catalogue)
    wb.active = 0

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _catalogue() -> list[tuple[str, str]]:
    from filing.reference.models import HighTechField

    return list(HighTechField.objects.selectable().values_list("code", "path"))


def _catalogue_sheet(wb: Workbook, catalogue: list[tuple[str, str]]) -> None:
    ws = (
        wb[CATALOGUE_SHEET]
        if CATALOGUE_SHEET in wb.sheetnames
        else wb.create_sheet(CATALOGUE_SHEET)
    )
    ws.append([_("编号"), _("领域"), _("下拉选项")])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for code, path in catalogue:
        ws.append([code, path, f"{code} {path}"])
    for row in ws.iter_rows(min_row=2, max_col=1):
        row[0].number_format = TEXT_FORMAT
    ws.column_dimensions["A"].width = 10
    ws.column_dimensions["B"].width = 60
    ws.column_dimensions["C"].width = 70
    ws.freeze_panes = "A2"


def _catalogue_range(catalogue: list[tuple[str, str]]) -> str:
    return f"'{CATALOGUE_SHEET}'!$C$2:$C${max(len(catalogue), 1) + 1}"


def _list_formula(wb: Workbook, col: FieldDef, items: list[str]) -> str:
    """An inline list when Excel allows one, else a range on a hidden sheet."""
    inline = ",".join(items)
    if len(inline) <= INLINE_LIST_MAX and not any("," in i or '"' in i for i in items):
        return f'"{inline}"'
    if LISTS_SHEET in wb.sheetnames:
        ws = wb[LISTS_SHEET]
    else:
        ws = wb.create_sheet(LISTS_SHEET)
        ws.sheet_state = "hidden"
    index = (ws.max_column + 1) if ws.max_row > 1 or ws["A1"].value else 1
    letter = get_column_letter(index)
    ws.cell(row=1, column=index, value=col.label.zh)
    for row, item in enumerate(items, start=2):
        ws.cell(row=row, column=index, value=item)
    return f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(items) + 1}"


def _validation(
    wb: Workbook, col: FieldDef, catalogue: list[tuple[str, str]] | None
) -> DataValidation:
    """The column's input message, with a dropdown for choices, booleans and fields."""
    prompt = _prompt(col)
    options: dict[str, Any] = {
        "showInputMessage": True,
        "promptTitle": col.label.zh[:32],
        "prompt": prompt[:255],
        "allow_blank": True,
    }
    if col.type == "choice":
        labels = [c.label.zh for c in col.choices]
        return DataValidation(
            type="list",
            formula1=_list_formula(wb, col, labels),
            showErrorMessage=not col.other_choice,
            errorTitle=col.label.zh[:32],
            error=_("请从下拉列表中选择。"),
            **options,
        )
    if col.type == "boolean":
        return DataValidation(
            type="list",
            formula1=f'"{YES},{NO}"',
            showErrorMessage=True,
            errorTitle=col.label.zh[:32],
            error=_("请填写“是”或“否”。"),
            **options,
        )
    if col.type == "high_tech_field" and catalogue is not None:
        # Typing the code alone must stay possible, so a value off the list is not refused.
        return DataValidation(
            type="list", formula1=_catalogue_range(catalogue), showErrorMessage=False, **options
        )
    return DataValidation(type=None, **options)


def _prompt(col: FieldDef) -> str:
    parts = [_("必填") if col.required else _("选填"), _type_text(col)]
    if col.max_chars:
        parts.append(_("不超过 %(n)d 字") % {"n": col.max_chars})
    if col.unit:
        parts.append(_("单位：%(unit)s") % {"unit": UNIT_LABELS.get(col.unit, col.unit)})
    return "；".join(parts) + "。"


def _type_text(col: FieldDef) -> str:
    """What a column takes, in words, for the input message and the instructions sheet."""
    t = col.type
    if t == "integer":
        text = _("整数")
    elif t == "decimal":
        text = _("数字，最多 %(n)d 位小数") % {"n": max(col.decimals, 2)}
    elif t == "date":
        text = _("日期，格式如 2021-03-01")
    elif t == "choice":
        labels = "、".join(c.label.zh for c in col.choices)
        text = _("从下拉列表中选择：%(choices)s") % {"choices": labels}
    elif t == "boolean":
        text = _("填写“是”或“否”")
    elif t == "high_tech_field":
        text = _(
            "《国家重点支持的高新技术领域》三级目录编号，如 1.1.2"
            "（见“%(sheet)s”表，也可从下拉列表选择）"
        ) % {"sheet": CATALOGUE_SHEET}
    elif t == "phone":
        text = _("电话号码：手机号码或带区号的固定电话，如 020-83163286")
    elif t == "mobile":
        text = _("11位手机号码")
    elif t == "email":
        text = _("电子邮箱地址")
    elif t == "credit_code":
        text = _("18位统一社会信用代码")
    elif t == "yes_with_name":
        text = _("“否”，或“是：名称”")
    else:
        text = _("文字")
    if t in {"integer", "decimal"}:
        if col.min is not None and col.max is not None:
            text += _("，%(min)s 至 %(max)s") % {"min": _fmt(col.min), "max": _fmt(col.max)}
        elif col.min is not None:
            text += _("，不小于 %(min)s") % {"min": _fmt(col.min)}
        elif col.max is not None:
            text += _("，不大于 %(max)s") % {"max": _fmt(col.max)}
    return text


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def _text_width(text: str) -> int:
    """Width in Excel's character units: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _column_width(col: FieldDef) -> float:
    by_type = {
        "date": 13,
        "mobile": 15,
        "phone": 17,
        "credit_code": 22,
        "email": 26,
        "high_tech_field": 40,
        "boolean": 10,
        "integer": 12,
        "decimal": 14,
    }
    if col.type == "choice":
        wanted = max(_text_width(c.label.zh) for c in col.choices) + 4
    elif col.type in {"text", "yes_with_name"}:
        wanted = min(50, max(16, (col.max_chars or 40) // 2))
    else:
        wanted = by_type.get(col.type, 16)
    return float(min(50, max(wanted, min(_text_width(col.label.zh) + 2, 30))))


def _instructions(ws: Worksheet, roster: Roster, columns: list[FieldDef]) -> None:
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["C"].width = 8
    ws.column_dimensions["D"].width = 48
    ws.column_dimensions["E"].width = 10
    ws.column_dimensions["F"].width = 8
    ws.column_dimensions["G"].width = 50
    title = ws.cell(row=1, column=1, value=_("《%(title)s》填写说明") % {"title": roster.title.zh})
    title.font = Font(bold=True, size=14)
    notes = [
        _("一、在“%(sheet)s”表中每行填写一条，从第 2 行开始，最多 %(n)d 行。")
        % {"sheet": sheet_title(roster), "n": roster.max_rows},
        _("二、请勿修改、删除、增加或调换第一行表头的列；表头加粗的列为必填。"),
        _("三、日期请填写为 2021-03-01 的格式；有下拉列表的列请从列表中选择。"),
        _(
            "四、上传时整张表一并检查：有任何错误时不会保存任何一行，请按提示的行号和列名修改后重新上传。"
        ),
    ]
    if any(c.type == "high_tech_field" for c in columns):
        notes.append(
            _(
                "五、领域请填写《国家重点支持的高新技术领域》三级目录编号，"
                "如 1.1.2，见“%(sheet)s”表。"
            )
            % {"sheet": CATALOGUE_SHEET}
        )
    if roster.help:
        notes.append(roster.help.zh)
    row = 3
    for note in notes:
        cell = ws.cell(row=row, column=1, value=note)
        cell.alignment = Alignment(wrap_text=False)
        row += 1
    row += 1
    headings = [
        _("列"),
        _("列名"),
        _("是否必填"),
        _("类型与格式"),
        _("字数上限"),
        _("单位"),
        _("说明"),
    ]
    for index, heading in enumerate(headings, start=1):
        cell = ws.cell(row=row, column=index, value=heading)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for index, col in enumerate(columns, start=1):
        row += 1
        values = [
            get_column_letter(index),
            f"{col.label.zh}（{col.label.en}）",
            _("必填") if col.required else _("选填"),
            _type_text(col),
            col.max_chars or "",
            UNIT_LABELS.get(col.unit, col.unit) if col.unit else "",
            col.help.zh if col.help else "",
        ]
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=column, value=value)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if column == 2 and col.required:
                cell.font = Font(bold=True)


def _display(col: FieldDef, raw: Any, catalogue: list[tuple[str, str]] | None) -> Any:
    """A stored value as a person reads it in Excel; a value that does not clean is shown as is."""
    if is_empty(raw):
        return None
    if col.type == "high_tech_field":
        code = str(raw).strip().split(" ", 1)[0]
        paths = dict(catalogue or [])
        return f"{code} {paths[code]}" if code in paths else str(raw).strip()
    try:
        value = clean_value(col, raw)
    except ValidationError:
        return raw if isinstance(raw, str) else str(raw)
    if col.type == "boolean":
        return YES if value else NO
    if col.type == "choice":
        if value.startswith("other:"):
            return value.removeprefix("other:")
        return next(c.label.zh for c in col.choices if c.value == value)
    if col.type == "yes_with_name":
        return NO if value is False else f"{YES}：{value}"
    return value


# ----- reading an upload -----------------------------------------------------------------------


class _Unreadable(Exception):
    pass


def parse_roster(
    definition: CallDefinition,
    roster_key: str,
    track: str,
    fileobj: IO[bytes] | bytes,
    *,
    max_rows: int | None = None,
) -> list[dict[str, str]]:
    """The roster rows in an uploaded .xlsx, or RosterUploadError listing every problem."""
    roster = get_roster(definition, roster_key)
    columns = roster_columns(definition, roster_key, track)
    limit = roster.max_rows if max_rows is None else max_rows
    source = io.BytesIO(fileobj) if isinstance(fileobj, bytes | bytearray) else fileobj
    _refuse_oversized_or_bomb(source)
    try:
        workbook = load_workbook(source, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises a zoo of errors on files that are not .xlsx
        raise RosterUploadError([_unreadable()]) from exc
    try:
        return _read(workbook, roster, columns, limit)
    except _Unreadable as exc:
        raise RosterUploadError([_unreadable()]) from exc
    finally:
        workbook.close()


def _refuse_oversized_or_bomb(source: IO[bytes]) -> None:
    """The upload's size limit and ZIP-bomb check, before openpyxl inflates anything."""
    name = uploads.safe_name(getattr(source, "name", "") or "roster.xlsx")
    source.seek(0, io.SEEK_END)
    size = source.tell()
    source.seek(0)
    try:
        uploads.refuse_oversized(name, size)
        infos = uploads.archive_entries(source)
        if infos is None:
            raise RosterUploadError([_unreadable()])
        uploads.refuse_archive_bomb(infos, name)
    except uploads.UploadRefused as exc:
        raise RosterUploadError([RowProblem(0, "", exc.message)]) from exc


def _unreadable() -> RowProblem:
    return RowProblem(
        0,
        "",
        _(
            "文件不是有效的 Excel（.xlsx）文件，无法读取。请用下载的模板填写，"
            "另存为 Excel 工作簿（.xlsx）后再上传；不支持 .xls、.csv、.et 格式或加密的文件。"
        ),
    )


# Bounds on what an upload makes the importer read, whatever the sheet claims.
EXTRA_COLUMNS_READ = 50  # columns right of the header that are read, and refused when filled
SPARE_STORED_ROWS = 2000  # stored rows (even empty ones) allowed beyond the roster's limit
MAX_PROBLEMS = 300  # problems listed before the rest are summed up


def _sheet_rows(workbook: Any, title: str) -> Iterator[tuple[int, dict[int, Any]]]:
    """(row number, {column number: value}) for each row the sheet stores, gaps skipped.

    A sheet may claim a far corner (dimension A1:XFD1048576) or hold one cell at row 1,000,000;
    openpyxl's ``iter_rows`` would then hand out every empty row in between, a million of them.
    Its row parser (what ``iter_rows`` itself uses; openpyxl is pinned) gives only the rows the
    file holds, so the work stays proportional to the file, whose size ``uploads`` bounds.
    _Unreadable when the sheet is broken.
    """
    try:
        ws = workbook[title] if title in workbook.sheetnames else workbook.worksheets[0]
        with ws._get_source() as src:
            parser = WorkSheetParser(
                src,
                ws._shared_strings,
                data_only=True,
                epoch=workbook.epoch,
                date_formats=workbook._date_formats,
                timedelta_formats=workbook._timedelta_formats,
            )
            for number, cells in parser.parse():
                yield number, {c["column"]: c["value"] for c in cells if c["value"] is not None}
    except Exception as exc:  # a damaged sheet inside a sound zip
        raise _Unreadable from exc


def _too_many(row_number: int, limit: int) -> RosterUploadError:
    return RosterUploadError(
        [
            RowProblem(
                row_number,
                "",
                _("本名单最多 %(n)d 行，文件中超过了 %(n)d 行。请删减后再上传。") % {"n": limit},
            )
        ]
    )


def _read(
    workbook: Any, roster: Roster, columns: list[FieldDef], limit: int
) -> list[dict[str, str]]:
    width = len(columns)
    read_width = width + EXTRA_COLUMNS_READ
    rows = _sheet_rows(workbook, sheet_title(roster))
    first = next(rows, None)
    header_cells = first[1] if first and first[0] == 1 else {}
    header = [
        header_cells.get(n) for n in range(1, min(max(header_cells, default=0), read_width) + 1)
    ]
    header_problem = _check_header(header, columns)
    if header_problem is None and max(header_cells, default=0) > read_width:
        header_problem = RowProblem(1, "", _("表头以外的列不能填写内容。"))
    if header_problem:
        raise RosterUploadError([header_problem])

    problems: list[RowProblem] = []
    out: list[dict[str, str]] = []
    cache: dict[tuple[str, str], tuple[str, str | None]] = {}
    for stored_rows, (row_number, cells) in enumerate(rows, start=1):
        if stored_rows > limit + SPARE_STORED_ROWS:
            raise _too_many(row_number, limit)
        texts = [_cell_text(cells.get(n)) for n in range(1, width + 1)]
        extra = [(n, _cell_text(v)) for n, v in sorted(cells.items()) if n > width]
        extra = [(n, text) for n, text in extra if text]
        if not any(texts) and not extra:
            continue
        if len(out) >= limit:
            raise _too_many(row_number, limit)
        for n, text in extra:
            problems.append(
                RowProblem(
                    row_number, get_column_letter(n), _("表头以外的列不能填写内容。"), _shown(text)
                )
            )
        stored_row: dict[str, str] = {}
        for col, text in zip(columns, texts, strict=True):
            stored, reason = _clean_cell(col, text, cache)
            if reason:
                problems.append(RowProblem(row_number, col.label.zh, reason, _shown(text)))
            stored_row[col.key] = stored
        out.append(stored_row)
        if len(problems) > MAX_PROBLEMS:
            raise RosterUploadError([*problems[:MAX_PROBLEMS], _more_problems(row_number)])
    if problems:
        raise RosterUploadError(problems)
    return out


def _more_problems(row_number: int) -> RowProblem:
    return RowProblem(
        row_number,
        "",
        _("问题过多，只列出前 %(n)d 处，其后的行未检查。请修改后重新上传。") % {"n": MAX_PROBLEMS},
    )


def _clean_cell(
    col: FieldDef, text: str, cache: dict[tuple[str, str], tuple[str, str | None]]
) -> tuple[str, str | None]:
    """The stored form of one cell and the reason it is refused (None when it is sound)."""
    if not text:
        return "", (_("必填，不能为空。") if col.required else None)
    if (
        col.type == "choice"
        and col.other_choice
        and not text.startswith("other:")
        and not any(text in (c.value, c.label.zh, c.label.en) for c in col.choices)
    ):
        # The web form stores a free answer to a choice with "other" as other:<text>.
        text = f"other:{text}"
    if col.type == "high_tech_field" and (col.key, text) in cache:
        # The same field code recurs down a roster; look it up in the catalogue once.
        return cache[(col.key, text)]
    try:
        result: tuple[str, str | None] = (_stored(col, clean_value(col, text)), None)
    except ValidationError as exc:
        result = ("", " ".join(exc.messages))
    if col.type == "high_tech_field":
        cache[(col.key, text)] = result
    return result


def _stored(col: FieldDef, value: Any) -> str:
    """A cleaned value back in the raw-string form the web form stores."""
    if value is None:
        return ""
    if col.type == "boolean":
        return YES if value else NO
    if col.type == "yes_with_name":
        return NO if value is False else f"{YES}：{value}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return _plain(value)
    return str(value)


def _plain(number: Decimal) -> str:
    """1200.50 -> '1200.5', 1E+3 -> '1000': digits without exponent or trailing zeros."""
    text = format(number.normalize(), "f")
    return "0" if text in {"-0", "0"} else text


def _cell_text(value: Any) -> str:
    """A cell's value as the text a person typed: 1200.0 -> '1200', a date -> '2021-03-01'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return _plain(Decimal(repr(value)))
    if isinstance(value, Decimal):
        return _plain(value)
    return str(value).strip()


def _shown(text: str) -> str:
    return text if len(text) <= VALUE_SHOWN else text[: VALUE_SHOWN - 1] + "…"


# ----- the header ------------------------------------------------------------------------------


def _norm(label: Any) -> str:
    return " ".join(_cell_text(label).split()).casefold()


def _check_header(header: list[Any], columns: list[FieldDef]) -> RowProblem | None:
    """None when row 1 is the columns' labels in order, else the first difference, explained."""
    found = [_norm(v) for v in header]
    shown = [_cell_text(v) for v in header]
    while found and not found[-1]:
        found.pop()
    if not found:
        return RowProblem(1, "", _header_hint(_("第一行是空的，应为表头。")))

    names: dict[str, int] = {}
    for index, col in enumerate(columns):
        names.setdefault(_norm(col.label.zh), index)
        names.setdefault(_norm(col.label.en), index)

    def where(text: str) -> int | None:
        return names.get(text) if text else None

    positions = [where(text) for text in found]
    if positions == list(range(len(columns))):
        return None

    for i in range(max(len(found), len(columns))):
        got = found[i] if i < len(found) else ""
        got_shown = shown[i] if i < len(found) else ""
        got_at = where(got)
        if i < len(columns) and got_at == i:
            continue
        place = {"n": i + 1, "letter": get_column_letter(i + 1)}
        if i >= len(columns):
            reason = _("第 %(n)d 列（%(letter)s 列）“%(found)s”不是本名单的列。") % {
                **place,
                "found": got_shown,
            }
            return RowProblem(1, got_shown, _header_hint(reason), _shown(got_shown))
        expected = columns[i].label.zh
        elsewhere = i in positions
        if elsewhere:
            if got and got_at is None:
                reason = _("第 %(n)d 列（%(letter)s 列）“%(found)s”不是本名单的列。") % {
                    **place,
                    "found": got_shown,
                }
                return RowProblem(1, got_shown, _header_hint(reason), _shown(got_shown))
            reason = _(
                "“%(label)s”列的位置不对：应为第 %(n)d 列（%(letter)s 列），文件中在第 %(m)d 列。"
            ) % {**place, "label": expected, "m": positions.index(i) + 1}
            return RowProblem(1, expected, _header_hint(reason), _shown(got_shown))
        if got and got_at is None:
            reason = _("第 %(n)d 列（%(letter)s 列）应为“%(label)s”，文件中是“%(found)s”。") % {
                **place,
                "label": expected,
                "found": got_shown,
            }
            return RowProblem(1, expected, _header_hint(reason), _shown(got_shown))
        reason = _("缺少“%(label)s”列，它应是第 %(n)d 列（%(letter)s 列）。") % {
            **place,
            "label": expected,
        }
        return RowProblem(1, expected, _header_hint(reason), _shown(got_shown))
    return None  # pragma: no cover - the loop always finds the difference


def _header_hint(reason: str) -> str:
    return reason + _("请使用下载的模板，不要改动第一行表头。")
