"""A roster travels as an .xlsx whose first row is exactly its columns' labels in order. An upload
is read back with the web form's own checks and is all or nothing: any problem refuses the whole
file, naming the Excel row, the column and the reason, and no row is returned."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from django.conf import settings
from openpyxl import Workbook, load_workbook
from stdnum.cn import uscc

from filing.applications.excel import (
    CATALOGUE_SHEET,
    INSTRUCTIONS_SHEET,
    RosterUploadError,
    parse_roster,
    roster_columns,
    roster_template,
    sheet_title,
)
from filing.calls.loading import check_file, definition_files

DIR = Path(settings.CALL_DEFINITIONS_DIR)
DEFINITIONS = {p.stem: check_file(p).definition for p in definition_files(DIR)}
LIAONING = DEFINITIONS["liaoning-2021"]
HUNAN = DEFINITIONS["hunan-2016-2"]
UNREADABLE = "文件不是有效的 Excel（.xlsx）文件"


def credit_code(n: int) -> str:
    body = f"91440101MA{n:07d}"
    return body + uscc.calc_check_digit(body)


def _every_roster():
    for stem, definition in DEFINITIONS.items():
        for roster in definition.rosters:
            for track in definition.tracks:
                if roster.tracks and track.key not in roster.tracks:
                    continue
                columns = roster_columns(definition, roster.key, track.key)
                needs_db = any(c.type == "high_tech_field" for c in columns)
                yield pytest.param(
                    stem,
                    roster.key,
                    track.key,
                    id=f"{stem}-{roster.key}-{track.key}",
                    marks=[pytest.mark.django_db] if needs_db else [],
                )


EVERY_ROSTER = list(_every_roster())


def typed(column, n: int):
    """What a person types into the cell for row n, and what the upload should store."""
    t = column.type
    if t == "text":
        return f"{column.label.zh[:6]}{n}", f"{column.label.zh[:6]}{n}"
    if t == "integer":
        return 100 + n, str(100 + n)
    if t == "decimal":
        return (1200.0, "1200") if n == 0 else (35.5 + n, str(35.5 + n))
    if t == "date":
        return date(2021, 3, n + 1), f"2021-03-{n + 1:02d}"
    if t == "choice":
        choice = column.choices[n % len(column.choices)]
        return choice.label.zh, choice.value
    if t == "boolean":
        return [("是", "是"), ("否", "否"), (True, "是")][n % 3]
    if t == "high_tech_field":
        return ["1.1.2", "1.1.1", "1.1.2"][n % 3], ["1.1.2", "1.1.1", "1.1.2"][n % 3]
    if t == "mobile":
        return (13812345678, "13812345678") if n == 0 else (f"1390000000{n}", f"1390000000{n}")
    if t == "phone":
        return "020-83163286", "020-83163286"
    if t == "email":
        return f"contact{n}@example.com", f"contact{n}@example.com"
    if t == "credit_code":
        return credit_code(n), credit_code(n)
    raise AssertionError(f"no sample for {t}")


def sample(columns, count: int = 3):
    """Rows to type and the rows expected back; row 2 (n = 1) leaves optional cells empty."""
    cells, expected = [], []
    for n in range(count):
        row_cells, row_expected = [], {}
        for column in columns:
            if n == 1 and not column.required:
                row_cells.append(None)
                row_expected[column.key] = ""
                continue
            value, stored = typed(column, n)
            row_cells.append(value)
            row_expected[column.key] = stored
        cells.append(row_cells)
        expected.append(row_expected)
    return cells, expected


def fill(template: bytes, rows: list[list]) -> bytes:
    wb = load_workbook(io.BytesIO(template))
    ws = wb.worksheets[0]
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx(header: list, rows: list[list] = ()) -> bytes:
    """A workbook typed from scratch, not from the template."""
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ----- a roster without a field column: Liaoning's companies for a general maker space -------

COMPANY_COLUMNS = roster_columns(LIAONING, "companies", "maker_space")
COMPANY_HEADER = [c.label.zh for c in COMPANY_COLUMNS]


def company(n: int, **changes) -> list:
    row = {
        "name": f"示范科技{n}有限公司",
        "credit_code": credit_code(n),
        "professional_field": None,
        "leader": "张三",
        "mobile": "13812345678",
        "registered_on": date(2020, 1, 1),
        "entered_on": date(2021, 3, 1),
        "has_patent_application": "是",
        "has_valid_ip": "否",
        "has_financing": None,
    }
    row.update(changes)
    return [row[c.key] for c in COMPANY_COLUMNS]


def parse_companies(data: bytes, **kwargs):
    return parse_roster(LIAONING, "companies", "maker_space", io.BytesIO(data), **kwargs)


def problems_of(data: bytes, **kwargs):
    with pytest.raises(RosterUploadError) as exc:
        parse_companies(data, **kwargs)
    return exc.value.problems


# ----- every shipped roster -----------------------------------------------------------------


@pytest.mark.parametrize(("stem", "roster_key", "track"), EVERY_ROSTER)
def test_the_template_header_is_the_columns_labels_in_definition_order(stem, roster_key, track):
    definition = DEFINITIONS[stem]
    ws = load_workbook(io.BytesIO(roster_template(definition, roster_key, track))).worksheets[0]
    header = [cell.value for cell in ws[1]]
    assert header == [c.label.zh for c in roster_columns(definition, roster_key, track)]


@pytest.mark.parametrize(("stem", "roster_key", "track"), EVERY_ROSTER)
def test_a_filled_template_reads_back_as_the_rows_typed(stem, roster_key, track):
    definition = DEFINITIONS[stem]
    columns = roster_columns(definition, roster_key, track)
    cells, expected = sample(columns)
    data = fill(roster_template(definition, roster_key, track), cells)
    assert parse_roster(definition, roster_key, track, io.BytesIO(data)) == expected


@pytest.mark.parametrize(("stem", "roster_key", "track"), EVERY_ROSTER)
def test_a_downloaded_roster_uploads_back_unchanged(stem, roster_key, track):
    definition = DEFINITIONS[stem]
    _cells, stored = sample(roster_columns(definition, roster_key, track))
    data = roster_template(definition, roster_key, track, rows=stored)
    assert parse_roster(definition, roster_key, track, io.BytesIO(data)) == stored


def test_a_column_for_one_track_is_left_out_of_the_others():
    general = [c.key for c in roster_columns(LIAONING, "teams", "maker_space")]
    professional = [c.key for c in roster_columns(LIAONING, "teams", "professional")]
    assert "in_field" not in general
    assert professional == [c.key for c in LIAONING.rosters[0].columns]


# ----- what the template offers -------------------------------------------------------------


def test_required_columns_are_bold_with_a_comment_and_labels_are_kept_exact():
    ws = load_workbook(io.BytesIO(roster_template(HUNAN, "mentors", "maker_space"))).worksheets[0]
    by_label = {cell.value: cell for cell in ws[1]}
    assert by_label["姓名"].font.bold and by_label["姓名"].comment is not None
    assert not by_label["擅长领域"].font.bold and by_label["擅长领域"].comment is None
    assert not any("*" in str(label) for label in by_label)
    assert ws.freeze_panes == "A2"
    assert ws.title == "创业导师名单"


def test_choices_and_booleans_have_dropdowns_and_dates_are_formatted():
    data = roster_template(LIAONING, "activities", "professional")
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    columns = roster_columns(LIAONING, "activities", "professional")
    letters = {c.key: chr(ord("A") + i) for i, c in enumerate(columns)}
    lists = {
        str(v.sqref).split(":")[0][0]: v.formula1
        for v in ws.data_validations.dataValidation
        if v.type == "list"
    }
    assert lists[letters["activity_kind"]] == '"创业沙龙,路演,创业大赛,创业教育培训,其他"'
    assert lists[letters["in_field"]] == '"是,否"'
    assert ws.column_dimensions[letters["held_on"]].number_format == "yyyy-mm-dd"
    assert ws.column_dimensions[letters["name"]].width >= 16


@pytest.mark.django_db
def test_the_instructions_sheet_explains_each_column_with_its_english_label():
    wb = load_workbook(io.BytesIO(roster_template(LIAONING, "companies", "maker_space")))
    assert wb.sheetnames[1] == INSTRUCTIONS_SHEET
    text = "\n".join(
        str(v) for row in wb[INSTRUCTIONS_SHEET].iter_rows(values_only=True) for v in row if v
    )
    assert "企业名称（Company name）" in text
    assert "统一社会信用代码（Unified social credit code）" in text
    assert "请勿修改" in text and "每行填写一条" in text
    assert "必填" in text and "选填" in text and "100" in text


@pytest.mark.django_db
def test_a_roster_with_a_field_column_lists_the_catalogue_and_asks_for_the_code():
    wb = load_workbook(io.BytesIO(roster_template(LIAONING, "teams", "maker_space")))
    catalogue = list(wb[CATALOGUE_SHEET].iter_rows(min_row=2, values_only=True))
    assert len(catalogue) == 257
    assert ("1.1.2", "电子信息 / 软件 / 嵌入式软件") in [row[:2] for row in catalogue]
    ws = wb.worksheets[0]
    prompts = [
        v.prompt for v in ws.data_validations.dataValidation if v.sqref and "B2" in str(v.sqref)
    ]
    assert any("1.1.2" in p for p in prompts)


def test_a_roster_without_a_field_column_has_no_catalogue_sheet():
    wb = load_workbook(io.BytesIO(roster_template(HUNAN, "mentors", "maker_space")))
    assert CATALOGUE_SHEET not in wb.sheetnames


def test_a_sheet_name_drops_the_characters_excel_forbids_and_fits_31_characters():
    roster = HUNAN.rosters[0]
    renamed = roster.model_copy(
        update={"title": roster.title.model_copy(update={"zh": "名单[一]:甲/乙\\丙*?" + "长" * 40})}
    )
    title = sheet_title(renamed)
    assert len(title) <= 31
    assert not set("[]:*?/\\") & set(title)
    assert title.startswith("名单一甲乙丙")


# ----- reading cells ------------------------------------------------------------------------


def test_cells_become_the_strings_the_web_form_stores():
    columns = roster_columns(HUNAN, "residents", "maker_space")
    header = [c.label.zh for c in columns]
    data = xlsx(
        header,
        [
            ["  甲公司  ", "企业", datetime(2021, 3, 1), 1200.0, None, credit_code(1)],
            ["乙团队", "Start-up team", "2021/3/2", "35.50", None, None],
            ["丙公司", "company", "2021年3月3日", 8, None, credit_code(2).lower()],
        ],
    )
    rows = parse_roster(HUNAN, "residents", "maker_space", io.BytesIO(data))
    assert rows == [
        {
            "name": "甲公司",
            "resident_kind": "company",
            "entered_on": "2021-03-01",
            "registered_capital": "1200",
            "professional_field": "",
            "credit_code": credit_code(1),
        },
        {
            "name": "乙团队",
            "resident_kind": "team",
            "entered_on": "2021-03-02",
            "registered_capital": "35.5",
            "professional_field": "",
            "credit_code": "",
        },
        {
            "name": "丙公司",
            "resident_kind": "company",
            "entered_on": "2021-03-03",
            "registered_capital": "8",
            "professional_field": "",
            "credit_code": credit_code(2),
        },
    ]


def test_booleans_and_numbers_typed_as_such_become_yes_no_and_plain_digits():
    data = xlsx(
        COMPANY_HEADER, [company(1, has_financing=True, has_valid_ip=False, mobile=13812345678)]
    )
    (row,) = parse_companies(data)
    assert (row["has_financing"], row["has_valid_ip"], row["mobile"]) == ("是", "否", "13812345678")


@pytest.mark.django_db
def test_a_field_is_stored_as_its_code_whether_typed_as_code_or_picked_with_its_path():
    columns = roster_columns(LIAONING, "teams", "maker_space")
    header = [c.label.zh for c in columns]
    base = ["团队", None, "李四", "13812345678", date(2021, 3, 1), None, None, None]
    picked = ["团队", "1.1.2 电子信息 / 软件 / 嵌入式软件", *base[2:]]
    typed_code = ["团队", "1.1.1", *base[2:]]
    rows = parse_roster(
        LIAONING, "teams", "maker_space", io.BytesIO(xlsx(header, [picked, typed_code]))
    )
    assert [r["professional_field"] for r in rows] == ["1.1.2", "1.1.1"]


@pytest.mark.django_db
def test_a_field_above_the_third_level_is_refused():
    columns = roster_columns(LIAONING, "teams", "maker_space")
    header = [c.label.zh for c in columns]
    row = ["团队", "1.1", "李四", "13812345678", date(2021, 3, 1), None, None, None]
    with pytest.raises(RosterUploadError) as exc:
        parse_roster(LIAONING, "teams", "maker_space", io.BytesIO(xlsx(header, [row])))
    (problem,) = exc.value.problems
    assert (problem.row, problem.column) == (2, "专业领域")
    assert "上级类别" in problem.reason


def test_blank_rows_are_ignored_and_row_numbers_stay_those_of_the_sheet():
    empty = [None] * len(COMPANY_HEADER)
    spaces = ["  "] + [None] * (len(COMPANY_HEADER) - 1)
    data = xlsx(COMPANY_HEADER, [company(1), empty, company(2, leader=None), spaces, empty])
    (problem,) = problems_of(data)
    assert problem.row == 4
    assert len(parse_companies(xlsx(COMPANY_HEADER, [company(1), empty, company(2), empty]))) == 2


def test_a_template_with_no_rows_reads_as_an_empty_roster():
    assert parse_companies(xlsx(COMPANY_HEADER)) == []


def test_the_english_labels_are_accepted_as_the_header():
    header = [c.label.en for c in COMPANY_COLUMNS]
    rows = parse_companies(xlsx(header, [company(1)]))
    assert rows[0]["credit_code"] == credit_code(1)


# ----- refused uploads ----------------------------------------------------------------------


def test_a_bad_credit_code_in_row_5_is_named_with_its_row_column_and_reason():
    bad = "91440101MA5F00050H"
    data = xlsx(COMPANY_HEADER, [company(1), company(2), company(3), company(4, credit_code=bad)])
    with pytest.raises(RosterUploadError) as exc:  # so no row comes back to be saved
        parse_companies(data)
    (problem,) = exc.value.problems
    assert (problem.row, problem.column, problem.value) == (5, "统一社会信用代码", bad)
    assert "校验位错误" in problem.reason and "G" in problem.reason


def test_every_problem_in_the_file_is_listed_not_only_the_first():
    data = xlsx(
        COMPANY_HEADER,
        [company(1, leader=None), company(2), company(3, mobile="12345")],
    )
    problems = problems_of(data)
    assert [(p.row, p.column) for p in problems] == [(2, "负责人"), (4, "手机")]


def test_an_over_long_text_is_refused_and_quoted_back_shortened():
    name = "很长的企业名称" * 15  # 105 characters, the limit is 100
    (problem,) = problems_of(xlsx(COMPANY_HEADER, [company(1, name=name)]))
    assert (problem.row, problem.column) == (2, "企业名称")
    assert "超出字数限制" in problem.reason and "105" in problem.reason
    assert len(problem.value) == 50 and problem.value.endswith("…")


def test_a_date_that_does_not_exist_is_refused():
    (problem,) = problems_of(xlsx(COMPANY_HEADER, [company(1, entered_on="2021-02-30")]))
    assert (problem.row, problem.column, problem.value) == (2, "入驻时间", "2021-02-30")
    assert "日期不存在" in problem.reason


def test_an_empty_required_cell_is_refused():
    (problem,) = problems_of(xlsx(COMPANY_HEADER, [company(1, leader="   ")]))
    assert (problem.row, problem.column) == (2, "负责人")
    assert "必填" in problem.reason


def test_content_beyond_the_header_columns_is_refused():
    data = xlsx(COMPANY_HEADER, [[*company(1), "备注内容"]])
    (problem,) = problems_of(data)
    assert problem.row == 2 and problem.value == "备注内容"


def test_a_renamed_column_is_named_with_what_was_expected_and_what_was_found():
    header = ["联系人" if label == "负责人" else label for label in COMPANY_HEADER]
    (problem,) = problems_of(xlsx(header, [company(1)]))
    assert (problem.row, problem.column) == (1, "负责人")
    assert "联系人" in problem.reason and "第 4 列" in problem.reason


def test_a_removed_column_is_named_as_missing():
    header = [label for label in COMPANY_HEADER if label != "手机"]
    (problem,) = problems_of(xlsx(header, [company(1)]))
    assert (problem.row, problem.column) == (1, "手机")
    assert "缺少" in problem.reason


def test_swapped_columns_are_named_as_misplaced():
    header = list(COMPANY_HEADER)
    header[3], header[4] = header[4], header[3]
    (problem,) = problems_of(xlsx(header, [company(1)]))
    assert (problem.row, problem.column) == (1, "负责人")
    assert "位置不对" in problem.reason


def test_an_added_column_is_named_as_not_belonging():
    (problem,) = problems_of(xlsx([*COMPANY_HEADER, "备注"], [company(1)]))
    assert (problem.row, problem.column) == (1, "备注")
    assert "不是本名单的列" in problem.reason


def test_a_template_for_another_track_is_refused_by_its_extra_column():
    header = [c.label.zh for c in roster_columns(LIAONING, "companies", "professional")]
    (problem,) = problems_of(xlsx(header))
    assert problem.column == "属于本空间聚焦的细分产业领域"


def test_a_sheet_without_a_header_is_refused():
    (problem,) = problems_of(xlsx([]))
    assert problem.row == 1 and "表头" in problem.reason


def _not_xlsx_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    return out.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n", id="pdf-renamed"),
        pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, id="old-xls"),
        pytest.param(b"", id="empty-file"),
        pytest.param(xlsx(["名称"])[:700], id="truncated-zip"),
        pytest.param(_not_xlsx_zip(), id="zip-of-something-else"),
    ],
)
def test_a_file_that_is_not_a_readable_xlsx_is_refused_as_a_whole(content):
    (problem,) = problems_of(content)
    assert problem.row == 0
    assert problem.reason.startswith(UNREADABLE)


def test_more_rows_than_the_limit_are_refused():
    data = xlsx(COMPANY_HEADER, [company(n) for n in range(4)])
    (problem,) = problems_of(data, max_rows=3)
    assert problem.row == 5 and "3" in problem.reason
    assert len(parse_companies(data, max_rows=4)) == 4


def test_the_limit_is_the_rosters_max_rows_unless_set():
    roster = next(r for r in LIAONING.rosters if r.key == "companies")
    small = LIAONING.model_copy(
        update={
            "rosters": [
                roster.model_copy(update={"max_rows": 2}) if r.key == "companies" else r
                for r in LIAONING.rosters
            ]
        }
    )
    data = xlsx(COMPANY_HEADER, [company(n) for n in range(3)])
    with pytest.raises(RosterUploadError) as exc:
        parse_roster(small, "companies", "maker_space", io.BytesIO(data))
    assert [p.row for p in exc.value.problems] == [4]
