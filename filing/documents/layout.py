"""What a printed application holds, in order, shared by the PDF and the Word renderer.

Both renderers walk the same parts, so the two files cannot drift apart in content or order. The
wording is Chinese only and not translated: the documents are official forms.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from filing.applications.printable import (
    Printable,
    PrintAttachment,
    PrintCommitment,
    PrintField,
    PrintRoster,
    PrintSection,
)

BOX_CHECKED = "☑"
BOX_EMPTY = "☐"
DRAFT_MARK = "草稿"
DRAFT_HEADER = "草稿（未提交，仅供核对，不作申报材料）"
TOC_TITLE = "目　录"
ATTACHMENTS_TITLE = "附件材料清单"
ATTACHMENT_COLUMNS = ["序号", "材料名称", "是否必需", "已提供文件"]
NO_FILE = "未提供"
NO_ROWS = "（无）"
ROW_NUMBER = "序号"
DATE_BLANK = "年　　月　　日"
DEFAULT_SIGNERS = ["负责人（签字）", "单位（盖章）"]

_DIGITS = "〇一二三四五六七八九"


def chinese_year(year: int) -> str:
    """2020 → 二〇二〇年, as the issuer's line on a cover is written."""
    return "".join(_DIGITS[int(d)] for d in str(year)) + "年"


def page_footer(page: int | str, pages: int | str) -> str:
    return f"第 {page} 页 共 {pages} 页"


def verification_line(printable: Printable) -> str:
    """The line that lets a reader check a printed copy against the platform."""
    if printable.draft or not printable.verification_code:
        return ""
    line = f"核验码 {printable.verification_code}"
    if printable.verify_url:
        line += f"　核验网址 {printable.verify_url}"
    return line


@dataclass
class Heading:
    anchor: str
    title: str
    level: int  # 1 or 2, as in the table of contents


@dataclass
class Box:
    checked: bool
    label: str
    note: str = ""  # the name given with 是, the text given with 其他

    @property
    def glyph(self) -> str:
        return BOX_CHECKED if self.checked else BOX_EMPTY


@dataclass
class FieldRow:
    label: str
    value: str
    boxes: list[Box] = field(default_factory=list)
    extra: str = ""  # what of the value the boxes do not already say


@dataclass
class FieldTable:
    rows: list[FieldRow]
    kind: str = "table"


@dataclass
class Narrative:
    heading: Heading
    paragraphs: list[str]
    kind: str = "narrative"


@dataclass
class SectionPart:
    heading: Heading
    blocks: list[FieldTable | Narrative]
    kind: str = "section"


@dataclass
class RosterPart:
    heading: Heading
    columns: list[str]
    rows: list[list[str]]
    notes: list[str]
    widths: list[float] = field(default_factory=list)  # per cent of the table, per column
    kind: str = "roster"


@dataclass
class AttachmentRow:
    number: str
    label: str
    required: str
    files: list[str]


@dataclass
class AttachmentPart:
    heading: Heading
    columns: list[str]
    rows: list[AttachmentRow]
    kind: str = "attachments"


@dataclass
class CommitmentPart:
    heading: Heading
    paragraphs: list[str]
    signers: list[str]
    signer_name: str
    accepted_at: str
    date_blank: str = DATE_BLANK
    kind: str = "commitment"


Part = SectionPart | RosterPart | AttachmentPart | CommitmentPart


@dataclass
class Layout:
    call_title: str
    document_number: str
    heading: str
    cover: list[tuple[str, str]]
    issuer_name: str
    year: str
    submitted_line: str
    parts: list[Part]
    draft: bool
    verification: str

    @property
    def toc(self) -> list[Heading]:
        entries: list[Heading] = []
        for part in self.parts:
            entries.append(part.heading)
            if isinstance(part, SectionPart):
                entries += [b.heading for b in part.blocks if isinstance(b, Narrative)]
        return entries


# What neither a Word nor an Excel file can hold (XML 1.0 refuses them), and what no printed form
# should carry: control characters other than tab and line break, stray surrogates, U+FFFE/U+FFFF.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """`text` fit for a document: Windows line breaks made plain, control characters dropped."""
    if text.isprintable():  # the common case: nothing to drop, no line break to mend
        return text
    return _UNPRINTABLE.sub("", text.replace("\r\n", "\n"))


def paragraphs(text: str) -> list[str]:
    """Lines of typed text as paragraphs; blank lines are dropped."""
    return [line.strip() for line in text.replace("\r", "").split("\n") if line.strip()]


def _implied_choices(f: PrintField) -> list[Box]:
    # A yes/no field printed from an older snapshot may carry no choices: derive 是/否.
    if f.type not in {"yes_with_name", "boolean"}:
        return []
    answer = f.value.replace(":", "：").partition("：")[0].strip()
    if f.value and answer not in {"是", "否"}:
        return []
    return [Box(answer == "是", "是"), Box(answer == "否", "否")]


def _pieces(value: str) -> list[str]:
    return [p for p in re.split(r"[：:、，,；;（）()\s]+", value) if p]


def with_unit(f: PrintField) -> str:
    """The value and its unit ("3,200 m²", "42场", "84%"), unless the value already has it."""
    value = f.value.strip()
    if not value or not f.unit or value.endswith(f.unit):
        return f.value
    joined = f.unit == "%" or f.unit[0] >= "\u2e80"  # 84%, 42场; but 3,200 m²
    return value + ("" if joined else " ") + f.unit


def field_row(f: PrintField) -> FieldRow:
    """Label and value, with a box for every choice.

    The text given with a choice (是：海尔集团, 其他：社会团体) is printed beside its box; what
    the boxes cannot say is printed after them, so no typed value is lost on paper.
    """
    boxes = [Box(c.checked, c.label) for c in f.choices] or _implied_choices(f)
    if not boxes:
        return FieldRow(f.label, with_unit(f))
    value = f.value.strip()
    checked = [b for b in boxes if b.checked]
    said = "".join(b.label for b in checked)
    extra = ""
    if value and not all(piece in said for piece in _pieces(value)):
        box = next(
            (b for b in checked if value.replace(":", "：").startswith(b.label + "：")), None
        )
        if box is not None and len(checked) == 1:
            box.note = value[len(box.label) + 1 :].strip()
        else:
            extra = value
    return FieldRow(f.label, f.value, boxes, extra)


def _section(s: PrintSection, index: int) -> SectionPart:
    blocks: list[FieldTable | Narrative] = []
    for n, f in enumerate(s.fields):
        if f.long:
            heading = Heading(f"s{index}-f{n}", f.label, 2)
            blocks.append(Narrative(heading, paragraphs(f.value)))
        elif blocks and isinstance(blocks[-1], FieldTable):
            blocks[-1].rows.append(field_row(f))
        else:
            blocks.append(FieldTable([field_row(f)]))
    return SectionPart(Heading(f"s{index}", s.title, 1), blocks)


def _roster(r: PrintRoster, index: int) -> RosterPart:
    # The form numbers rows under 序号; a printable built without that column gets it here.
    if r.columns and r.columns[0] == ROW_NUMBER:
        columns, rows = list(r.columns), [list(row) for row in r.rows]
    else:
        columns = [ROW_NUMBER, *r.columns]
        rows = [[str(n), *row] for n, row in enumerate(r.rows, start=1)]
    return RosterPart(
        Heading(f"r{index}", r.title, 1), columns, rows, list(r.notes), column_widths(columns, rows)
    )


# A column is as wide as its longest cell would like, within these bounds (in half-width
# characters: a Chinese character counts two), so that a long name wraps and a short code
# does not take a third of the page.
NARROWEST, WIDEST = 4, 28
# Each cell's padding and borders, in the same units.
CELL_EDGES = 3


def _text_width(text: str) -> float:
    # Digits and Latin letters of the form's font are a little over half a Chinese character.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1.2 for ch in text)


def column_widths(columns: list[str], rows: list[list[str]]) -> list[float]:
    """Each column's share of the table, from its header and cells.

    A long roster is laid out with fixed column widths: letting the PDF engine size the columns
    itself means laying out every cell twice, which for hundreds of rows is most of the time a
    申报书 takes. The shares follow the content much as the engine's own sizing would.
    """
    wants = []
    for i, header in enumerate(columns):
        longest = max((_text_width(row[i]) for row in rows if i < len(row)), default=0)
        # A header wraps onto two or three lines before a column grows for it.
        wants.append(max(NARROWEST, min(WIDEST, longest), _text_width(header) / 3) + CELL_EDGES)
    total = sum(wants) or 1
    return [round(100 * w / total, 2) for w in wants]


def _attachments(items: list[PrintAttachment]) -> AttachmentPart:
    rows = [
        AttachmentRow(a.number, a.label, "是" if a.required else "否", list(a.files)) for a in items
    ]
    return AttachmentPart(Heading("a", ATTACHMENTS_TITLE, 1), ATTACHMENT_COLUMNS, rows)


def _commitment(c: PrintCommitment, index: int) -> CommitmentPart:
    signers = [s.strip() for s in c.signer_label.replace(";", "；").split("；") if s.strip()]
    return CommitmentPart(
        Heading(f"c{index}", c.title, 1),
        paragraphs(c.text),
        signers or list(DEFAULT_SIGNERS),
        c.signer_name,
        c.accepted_at,
    )


def _only_cover(section: PrintSection, cover: list[tuple[str, str]]) -> bool:
    """Whether every field of the section is already a line of the cover (same label and value).

    Such a section exists only to collect a cover line the form's tables lack (广东 所属地市);
    printing it again would add a page that repeats the cover.
    """
    lines = {tuple(line) for line in cover}
    return bool(section.fields) and all((f.label, f.value) in lines for f in section.fields)


def build_layout(printable: Printable) -> Layout:
    sections = [s for s in printable.sections if not _only_cover(s, printable.cover)]
    parts: list[Part] = [_section(s, n) for n, s in enumerate(sections, start=1)]
    parts += [_roster(r, n) for n, r in enumerate(printable.rosters, start=1)]
    if printable.attachments:
        parts.append(_attachments(printable.attachments))
    parts += [_commitment(c, n) for n, c in enumerate(printable.commitments, start=1)]
    submitted_line = ""
    if not printable.draft and printable.submitted_at:
        submitted_line = f"提交时间：{printable.submitted_at}"
        if printable.version:
            submitted_line += f"　版本：第 {printable.version} 版"
    return Layout(
        call_title=printable.call_title,
        document_number=printable.document_number,
        # 国家专业化众创空间备案申报书; plain 备案申报书 when the printable names no track.
        heading=f"{printable.track_title}备案申报书",
        cover=[(label, value) for label, value in printable.cover],
        issuer_name=printable.issuer_name,
        year=chinese_year(printable.year),
        submitted_line=submitted_line,
        parts=parts,
        draft=printable.draft,
        verification=verification_line(printable),
    )
