"""Each sample is rendered once per test run: a 200-row roster takes seconds to lay out."""

from __future__ import annotations

import io
from dataclasses import dataclass

import docx
import pytest
from pypdf import PdfReader

from filing.applications.printable import Printable
from filing.documents.docx import render_docx
from filing.documents.pdf import render_pdf
from filing.documents.tests.sample import sample_printable


def squeeze(text: str) -> str:
    """Text without whitespace: PDF lines break inside values, Word splits them into runs."""
    return "".join(text.split())


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
