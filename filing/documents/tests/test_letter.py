"""The recommendation letter names the call and its 文号 and lists the spaces in rank order.

It is addressed to the receiving authority, closes with the sender's responsibility for the
materials, a contact, the sender with a seal blank and the date; a draft says 草稿 and a final
letter does not; the supervising authority's 信用承诺书, when the call has one, follows on a page
of its own with blanks for the seal and the date. The PDF and the Word file say the same.
"""

from __future__ import annotations

import io

import docx
import pytest
from pypdf import PdfReader

from filing.documents import layout
from filing.documents.fonts import missing_glyphs
from filing.documents.letter import (
    CLOSING,
    LetterData,
    call_activity,
    letter_parts,
    render_letter_docx,
    render_letter_pdf,
)
from filing.documents.tests.conftest import squeeze

# 江苏 附件5 主管部门信用承诺书, verbatim.
JIANGSU_COMMITMENT_TITLE = "主管部门信用承诺书"
JIANGSU_COMMITMENT = """按照相关要求，我们对该单位国家专业化众创空间申报材料进行了认真审查，现承诺如下：
1、该申报单位提交的国家级专业化众创空间申报资料完整齐全、真实有效，该申报单位无不良信用记录，且符合申报资格要求；
2、本主管部门在审查推荐过程中，无违规推荐、审查不严等失信行为；
3、按照相关管理规定，切实履行了主管部门管理职责，如有失实或失信行为，本部门将追究相关人员责任，并按照《江苏省科技计划项目相关责任主体信用管理办法》等相关规定，承担相关责任。"""

SPACES = [  # given out of order: the letter sorts them by rank
    (2, "南京生物医药专业化众创空间", "南京药谷生物科技有限公司"),
    (1, "智慧家庭专业化众创空间", "南京智家科技有限公司"),
    (3, "集成电路设计专业化众创空间", ""),
]


def jiangsu(*, draft: bool = False, commitment: bool = True, **changes) -> LetterData:
    data = LetterData(
        from_authority="南京市科学技术局",
        to_authority="江苏省科学技术厅",
        call_title="第四批国家专业化众创空间备案示范江苏省推荐",
        call_document_number="苏科高发〔2020〕174号",
        year=2020,
        spaces=list(SPACES),
        contact_name="张伟",
        contact_phone="025-83356789",
        date_text="2020年7月30日",
        draft=draft,
        commitment_title=JIANGSU_COMMITMENT_TITLE if commitment else "",
        commitment_text=JIANGSU_COMMITMENT if commitment else "",
    )
    for key, value in changes.items():
        setattr(data, key, value)
    return data


def pdf_pages(data: LetterData) -> list[str]:
    reader = PdfReader(io.BytesIO(render_letter_pdf(data)))
    return [page.extract_text() for page in reader.pages]


def docx_text(data: LetterData) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(render_letter_docx(data))).paragraphs]


@pytest.fixture(scope="module")
def final_pdf() -> list[str]:
    return pdf_pages(jiangsu())


@pytest.fixture(scope="module")
def draft_pdf() -> list[str]:
    return pdf_pages(jiangsu(draft=True))


@pytest.fixture(scope="module")
def final_docx() -> list[str]:
    return docx_text(jiangsu())


LISTED = [
    "1. 智慧家庭专业化众创空间（南京智家科技有限公司）",
    "2. 南京生物医药专业化众创空间（南京药谷生物科技有限公司）",
    "3. 集成电路设计专业化众创空间",
]


def test_the_letter_says_how_many_spaces_it_recommends_to_what():
    parts = letter_parts(jiangsu())
    assert parts.title == "关于推荐3家众创空间参加第四批国家专业化众创空间备案示范江苏省推荐的函"


def test_a_letter_for_one_space_names_it_in_its_title():
    parts = letter_parts(jiangsu(spaces=[SPACES[1]]))
    assert (
        parts.title
        == "关于推荐智慧家庭专业化众创空间参加第四批国家专业化众创空间备案示范江苏省推荐的函"
    )
    assert parts.items == [LISTED[0]]


def test_a_call_named_after_its_notice_is_cited_as_the_work_it_starts():
    assert call_activity("关于开展众创空间备案工作的通知") == "众创空间备案工作"
    assert (
        call_activity("关于开展2021年度省级众创空间和专业化众创空间备案工作的通知")
        == "2021年度省级众创空间和专业化众创空间备案工作"
    )
    assert (
        call_activity(
            "广东省科学技术厅关于转发科技部办公厅开展第四批国家专业化众创空间备案示范工作的通知"
        )
        == "第四批国家专业化众创空间备案示范工作"
    )
    assert call_activity("第四批国家专业化众创空间备案示范") == "第四批国家专业化众创空间备案示范"


def test_the_body_cites_the_call_by_title_and_document_number():
    parts = letter_parts(jiangsu())
    assert parts.opening.startswith(
        "根据《第四批国家专业化众创空间备案示范江苏省推荐》（苏科高发〔2020〕174号）要求，经审核、实地核查，"
    )
    assert parts.opening.endswith("现将我单位辖区内符合条件的众创空间按排名顺序推荐如下：")


def test_a_call_without_a_document_number_is_cited_by_title_alone():
    parts = letter_parts(
        jiangsu(call_title="关于开展众创空间备案工作的通知", call_document_number="")
    )
    assert parts.opening.startswith("根据《关于开展众创空间备案工作的通知》要求，")
    assert parts.title == "关于推荐3家众创空间参加众创空间备案工作的函"


def test_the_pdf_lists_the_spaces_in_rank_order(final_pdf):
    text = squeeze("".join(final_pdf))
    positions = [text.find(squeeze(line)) for line in LISTED]
    assert all(p >= 0 for p in positions)
    assert positions == sorted(positions)


def test_the_pdf_has_the_salutation_the_call_the_closing_the_contact_and_the_sender(final_pdf):
    letter = squeeze(final_pdf[0])
    assert letter.startswith(squeeze(letter_parts(jiangsu()).title))
    assert "江苏省科学技术厅：" in letter
    assert "苏科高发〔2020〕174号" in letter
    assert squeeze(CLOSING) in letter
    assert "联系人：张伟联系电话：025-83356789" in letter
    assert "南京市科学技术局（盖章）2020年7月30日" in letter


def test_the_word_file_says_what_the_pdf_says(final_docx):
    parts = letter_parts(jiangsu())
    assert final_docx[:2] == [parts.title, "江苏省科学技术厅："]
    assert final_docx[2] == parts.opening
    assert final_docx[3:6] == LISTED
    assert "联系人：张伟　联系电话：025-83356789" in final_docx
    sender = final_docx.index("南京市科学技术局（盖章）")
    assert final_docx[sender + 1] == "2020年7月30日"


def test_草稿_is_printed_only_on_a_draft(draft_pdf, final_pdf):
    assert all(layout.DRAFT_MARK in page for page in draft_pdf)
    assert all(layout.DRAFT_MARK not in page for page in final_pdf)
    draft = docx.Document(io.BytesIO(render_letter_docx(jiangsu(draft=True))))
    final = docx.Document(io.BytesIO(render_letter_docx(jiangsu())))
    assert draft.sections[0].header.paragraphs[0].text == layout.DRAFT_HEADER
    assert final.sections[0].header.paragraphs[0].text == ""


def test_the_commitment_follows_on_a_page_of_its_own_with_seal_and_date_blanks(final_pdf):
    assert len(final_pdf) == 2
    assert JIANGSU_COMMITMENT_TITLE not in final_pdf[0]
    page = squeeze(final_pdf[1])
    assert page.startswith(JIANGSU_COMMITMENT_TITLE)
    assert squeeze(JIANGSU_COMMITMENT) in page
    assert "（公章）年月日" in page


def test_the_word_commitment_starts_a_new_page(final_docx):
    document = docx.Document(io.BytesIO(render_letter_docx(jiangsu())))
    heading = next(p for p in document.paragraphs if p.text == JIANGSU_COMMITMENT_TITLE)
    assert heading.paragraph_format.page_break_before
    assert final_docx[-2:] == ["（公章）", layout.DATE_BLANK]
    for line in JIANGSU_COMMITMENT.split("\n"):
        assert line in final_docx


def test_without_a_commitment_the_letter_is_one_page():
    pages = pdf_pages(jiangsu(commitment=False, date_text=""))
    assert len(pages) == 1
    assert "信用承诺书" not in pages[0]
    # No date given: the year is printed and the month and day are left for the sender.
    assert squeeze("2020" + layout.DATE_BLANK) in squeeze(pages[0])


def test_a_missing_phone_leaves_the_contact_line_with_the_name_alone():
    assert letter_parts(jiangsu(contact_phone="")).contact == "联系人：张伟"
    assert letter_parts(jiangsu(contact_name="", contact_phone="")).contact == ""


def test_a_letter_recommending_no_space_is_refused():
    with pytest.raises(ValueError):
        letter_parts(jiangsu(spaces=[]))


def test_every_character_printed_has_a_glyph(draft_pdf, final_pdf):
    assert missing_glyphs("".join(draft_pdf + final_pdf)) == set()
    assert missing_glyphs(JIANGSU_COMMITMENT + "".join(LISTED)) == set()
