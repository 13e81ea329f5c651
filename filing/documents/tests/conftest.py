"""Each sample is rendered once per test run: a 200-row roster takes seconds to lay out."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import docx
import pytest
from pypdf import PdfReader

from filing.applications.printable import Printable, PrintField
from filing.documents import layout
from filing.documents.docx import render_docx
from filing.documents.pdf import render_pdf
from filing.documents.tests.sample import sample_printable


def squeeze(text: str) -> str:
    """Text without whitespace: PDF lines break inside values, Word splits them into runs."""
    return "".join(text.split())


def printed_forms(field: PrintField) -> list[str]:
    """What must be found on paper for a field: its value with its unit, or its boxes and the
    pieces of its value (是（海尔集团） prints the 是：海尔集团 typed)."""
    if not field.choices:
        return [squeeze(layout.with_unit(field))]
    boxes = "".join(
        (layout.BOX_CHECKED if c.checked else layout.BOX_EMPTY) + c.label for c in field.choices
    )
    pieces = [p for p in re.split(r"[：、（）]", field.value) if p]
    return [squeeze(boxes), *map(squeeze, pieces)]


@dataclass
class RenderedPdf:
    data: bytes
    reader: PdfReader
    pages: list[str]  # the extracted text of each page

    @property
    def text(self) -> str:
        return squeeze("".join(self.pages))


def _pdf(printable: Printable) -> RenderedPdf:
    data = render_pdf(printable)
    reader = PdfReader(io.BytesIO(data))
    return RenderedPdf(data, reader, [page.extract_text() for page in reader.pages])


@pytest.fixture(scope="session")
def draft() -> Printable:
    return sample_printable(draft=True)


@pytest.fixture(scope="session")
def submitted() -> Printable:
    return sample_printable(draft=False)


@pytest.fixture(scope="session")
def draft_pdf(draft) -> RenderedPdf:
    return _pdf(draft)


@pytest.fixture(scope="session")
def submitted_pdf(submitted) -> RenderedPdf:
    return _pdf(submitted)


@pytest.fixture(scope="session")
def draft_docx(draft):
    return docx.Document(io.BytesIO(render_docx(draft)))


@pytest.fixture(scope="session")
def submitted_docx(submitted):
    return docx.Document(io.BytesIO(render_docx(submitted)))
