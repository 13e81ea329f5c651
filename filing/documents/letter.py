"""The recommendation letter (推荐函) an authority sends up with its recommended spaces.

Every call asks the recommending authority for a letter or a 推荐文件 (江苏 出具推荐函, 辽宁 推荐函
和汇总表, 湖南 推荐文件, 广东 推荐表 with the materials), so the wording here is one formal text
that reads right for all of them: the call and its 文号, the spaces in rank order, the authority's
responsibility for what it sends, a contact, and the seal. Where a call has the supervising
authority sign a 信用承诺书 (江苏 附件5), its text is printed on a page of its own after the letter.

Both renderers take their wording from `letter_parts`, so the PDF and the Word file say the same.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from django.template import Context
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from weasyprint import CSS, HTML

from filing.documents import layout
from filing.documents.docx import _page, _page_marks, _setup_styles
from filing.documents.fonts import font_family, symbol_font_family
from filing.documents.pdf import TEMPLATES, _engine, css_string

__all__ = [
    "LetterData",
    "LetterParts",
    "call_activity",
    "letter_parts",
    "render_letter_docx",
    "render_letter_pdf",
]

SEAL = "（盖章）"
COMMITMENT_SEAL = "（公章）"
COMMITMENT_TITLE = "信用承诺书"
CLOSING = "我单位已对上述众创空间申报材料的真实性进行审核，并对推荐材料的真实性负责。"
SIGN_OFF = "特此函告。"


@dataclass
class LetterData:
    from_authority: str
    to_authority: str
    call_title: str
    call_document_number: str
    year: int
    spaces: list[tuple[int, str, str]]  # (rank, space name, operator name)
    contact_name: str = ""
    contact_phone: str = ""
    date_text: str = ""  # "2020年8月3日"; else "2020年　　月　　日" for the authority to fill in
    draft: bool = False
    commitment_title: str = ""  # the supervising authority's 信用承诺书, when the call has one
    commitment_text: str = ""


@dataclass
class LetterParts:
    """What the letter says, in order; the renderers only lay it out."""

    title: str
    salutation: str
    opening: str
    items: list[str]  # "1. 空间名称（运营机构）", in rank order
    closing: list[str]
    contact: str
    sender: str
    date: str
    draft: bool
    commitment_title: str = ""
    commitment: list[str] = field(default_factory=list)
    commitment_seal: str = COMMITMENT_SEAL
    commitment_date: str = layout.DATE_BLANK


def call_activity(call_title: str) -> str:
    """What a space takes part in, for the letter's title, from the call's title.

    A call named after its notice ("关于开展众创空间备案工作的通知") is a notice, not an
    activity: "参加关于开展…的通知的函" does not read. The activity is what the notice 开展s
    ("众创空间备案工作"); a title that names the activity already is kept as it is.
    """
    title = call_title.strip()
    while True:
        shorter = re.sub(r"(的)?通知$", "", title)
        if shorter == title:
            break
        title = shorter
    if "开展" in title:
        title = title.rsplit("开展", 1)[1]
    elif title.startswith("关于"):
        title = title[len("关于") :]
    return title.strip() or call_title.strip()


def _spaces(data: LetterData) -> list[tuple[int, str, str]]:
    clean = layout.clean_text
    ranked = sorted(data.spaces, key=lambda space: space[0])
    return [(rank, clean(name).strip(), clean(operator).strip()) for rank, name, operator in ranked]


def letter_parts(data: LetterData) -> LetterParts:
    spaces = _spaces(data)
    if not spaces:
        raise ValueError("a recommendation letter recommends at least one space")
    clean = layout.clean_text
    call = clean(data.call_title).strip()
    activity = call_activity(call)
    if len(spaces) == 1:
        title = f"关于推荐{spaces[0][1]}参加{activity}的函"
    else:
        title = f"关于推荐{len(spaces)}家众创空间参加{activity}的函"

    number = clean(data.call_document_number).strip()
    cited = f"《{call}》" + (f"（{number}）" if number else "")
    opening = (
        f"根据{cited}要求，经审核、实地核查，现将我单位辖区内符合条件的众创空间按排名顺序推荐如下："
    )
    listed = [
        f"{rank}. {name}" + (f"（{operator}）" if operator else "")
        for rank, name, operator in spaces
    ]

    contact = ""
    if data.contact_name.strip():
        contact = f"联系人：{clean(data.contact_name).strip()}"
        if data.contact_phone.strip():
            contact += f"　联系电话：{clean(data.contact_phone).strip()}"

    commitment = layout.paragraphs(clean(data.commitment_text)) if data.commitment_text else []
    return LetterParts(
        title=title,
        salutation=f"{clean(data.to_authority).strip()}：",
        opening=opening,
        items=listed,
        closing=[CLOSING, SIGN_OFF],
        contact=contact,
        sender=f"{clean(data.from_authority).strip()}{SEAL}",
        date=clean(data.date_text).strip() or f"{data.year}{layout.DATE_BLANK}",
        draft=data.draft,
        commitment_title=(clean(data.commitment_title).strip() or COMMITMENT_TITLE)
        if commitment
        else "",
        commitment=commitment,
    )


# ----- PDF -----------------------------------------------------------------------------------


def render_letter_html(data: LetterData) -> str:
    parts = letter_parts(data)
    context = {"letter": parts, "author": data.from_authority, "draft_mark": layout.DRAFT_MARK}
    return _engine.get_template("documents/letter.html").render(Context(context))


def render_letter_css(data: LetterData) -> str:
    context = {
        "font_family": css_string(font_family()),
        "symbol_font_family": css_string(symbol_font_family()),
        "header": css_string(layout.DRAFT_HEADER if data.draft else ""),
        "draft": data.draft,
    }
    return _engine.get_template("documents/letter.css").render(Context(context))


def render_letter_pdf(data: LetterData) -> bytes:
    """The letter (and the commitment, when given) as an A4 PDF."""
    html = HTML(string=render_letter_html(data), base_url=str(TEMPLATES))
    return html.write_pdf(stylesheets=[CSS(string=render_letter_css(data))])


# ----- Word ----------------------------------------------------------------------------------

TITLE_PT = 22  # 二号
BODY_PT = 16  # 三号


def _paragraph(doc, text: str, *, size: float = BODY_PT, indent: bool = True, align=None):
    p = doc.add_paragraph()
    p.paragraph_format.line_spacing = 1.5
    if indent:
        p.paragraph_format.first_line_indent = Pt(2 * size)
    if align is not None:
        p.alignment = align
    p.add_run(text).font.size = Pt(size)
    return p


def _docx_title(doc, text: str, *, page_break: bool = False) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.page_break_before = page_break
    p.paragraph_format.space_after = Pt(BODY_PT)
    run = p.add_run(text)
    run.font.size = Pt(TITLE_PT)
    run.bold = True


def _docx_signature(doc, lines: list[str], *, space_before: float) -> None:
    for n, line in enumerate(lines):
        p = _paragraph(doc, line, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
        if n == 0:
            p.paragraph_format.space_before = Pt(space_before)


def render_letter_docx(data: LetterData) -> bytes:
    """The letter (and the commitment, when given) as an A4 Word file (.docx)."""
    parts = letter_parts(data)
    doc = Document()
    _setup_styles(doc)
    _page(doc)
    _page_marks(doc, parts.draft)
    clean = layout.clean_text
    props = doc.core_properties
    props.title = parts.title
    props.subject = clean(data.call_title)
    props.keywords = clean(data.call_document_number)
    props.author = clean(data.from_authority)
    props.last_modified_by = clean(data.from_authority)
    props.comments = ""
    props.category = layout.DRAFT_MARK if parts.draft else ""

    _docx_title(doc, parts.title)
    _paragraph(doc, parts.salutation, indent=False)
    _paragraph(doc, parts.opening)
    for text in parts.items:
        _paragraph(doc, text)
    for text in parts.closing:
        _paragraph(doc, text)
    if parts.contact:
        _paragraph(doc, parts.contact)
    _docx_signature(doc, [parts.sender, parts.date], space_before=3 * BODY_PT)

    if parts.commitment:
        _docx_title(doc, parts.commitment_title, page_break=True)
        for text in parts.commitment:
            _paragraph(doc, text)
        _docx_signature(
            doc, [parts.commitment_seal, parts.commitment_date], space_before=3 * BODY_PT
        )

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
