"""Filling a whole application through the web pages, for any call definition.

Tests use this to act as a filler and an organisation admin would: every section posted as a
form, roster rows added one by one, files uploaded, the commitment signed, then submitted.
Values are chosen from each field's definition (type, limits, pattern, choices).
"""

from __future__ import annotations

import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from stdnum.cn import uscc

from filing.applications.evaluation import Context
from filing.applications.models import Application
from filing.calls.schema import FieldDef

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

PATTERN_CANDIDATES = ["智能制造专业化众创空间", "测试众创空间", "测试"]


def credit_code(n: int) -> str:
    body = f"91440101MA{n:07d}"
    return body + uscc.calc_check_digit(body)


def text_value(field: FieldDef, seed: str) -> str:
    if field.pattern:
        return next(c for c in PATTERN_CANDIDATES if re.fullmatch(field.pattern, c))
    base = f"{field.label.zh}{seed}"
    limit = field.max_chars or 60
    if field.type == "textarea":
        base = (f"{field.label.zh}：本空间{seed}的情况说明。" * 20)[: min(limit, 300)]
    return base[:limit]


def post_value(field: FieldDef, seed: str, counts: dict[str, int]) -> dict[str, object]:
    """The POST entries that fill one field with a valid value."""
    key, t = field.key, field.type
    if key in counts:
        return {key: str(counts[key])}
    if t in {"text", "textarea"}:
        return {key: text_value(field, seed)}
    if t == "integer":
        low = int(field.min) if field.min is not None else 0
        return {key: str(max(low, 20))}
    if t == "decimal":
        return {key: "1200"}
    if t == "date":
        return {key: "2019-01-15"}
    if t == "choice":
        return {key: field.choices[0].value}
    if t == "multichoice":
        return {key: [field.choices[0].value]}
    if t == "yes_with_name":
        return {f"{key}__answer": "yes", f"{key}__name": f"测试依托单位{seed}"}
    if t == "boolean":
        return {key: "否"}
    if t == "high_tech_field":
        return {key: "1.1.2"}
    if t == "phone":
        return {key: "020-83163286"}
    if t == "mobile":
        return {key: "13812345678"}
    if t == "email":
        return {key: f"contact{seed}@example.cn"}
    if t == "credit_code":
        return {key: credit_code(abs(hash(seed)) % 9_000_000)}
    return {}


class WebFiller:
    """Drives the pages with a logged-in test client."""

    ROWS = 2

    def __init__(self, client, application: Application):
        self.client = client
        self.app = application

    def ctx(self) -> Context:
        self.app.refresh_from_db()
        return Context.of(self.app)

    def counts(self) -> dict[str, int]:
        ctx = self.ctx()
        return {r.count_field: self.ROWS for r in ctx.rosters() if r.count_field}

    def fill_sections(self) -> dict[str, str]:
        """Post every section; returns the text values posted, to look for in documents."""
        posted_text: dict[str, str] = {}
        counts = self.counts()
        ctx = self.ctx()
        for section, fields in ctx.sections():
            url = reverse("applications:section", args=[self.app.pk, section.key])
            page = self.client.get(url)
            assert page.status_code == 200
            data = {"_revision": page.context["revision"], "_base": page.context["base_json"]}
            for f in fields:
                if f.type == "computed":
                    continue
                entries = post_value(f, str(self.app.pk), counts)
                if f.key == "space_name" and (
                    not f.pattern or re.fullmatch(f.pattern, self.app.space_name)
                ):
                    entries = {"space_name": self.app.space_name}
                data.update(entries)
                if f.type in {"text", "textarea"}:
                    posted_text[f.key] = str(entries[f.key])
            response = self.client.post(url, data)
            assert response.status_code == 302, (section.key, _errors(response))
        return posted_text

    def fill_rosters(self, with_ip: bool = True) -> list[str]:
        """Add ROWS rows to every roster, the first claiming IP; returns the row names."""
        names = []
        ctx = self.ctx()
        for roster in ctx.rosters():
            url = reverse("applications:roster", args=[self.app.pk, roster.key])
            for i in range(self.ROWS):
                data: dict[str, object] = {}
                for col in ctx.columns(roster):
                    entries = post_value(col, f"{roster.key}{i}", {})
                    if col.key == "name":
                        entries = {"name": f"{roster.title.zh[:6]}第{i + 1}名{self.app.pk}"}
                        names.append(str(entries["name"]))
                    if (
                        col.type == "boolean"
                        and with_ip
                        and i == 0
                        and col.key in {"has_patent_application", "has_valid_ip"}
                    ):
                        entries = {col.key: "是"}
                    data.update(entries)
                response = self.client.post(url, data)
                assert response.status_code == 302, (roster.key, _errors(response))
        return names

    def upload_evidence(self) -> None:
        """Upload files for every row's evidence the row needs (as many as required)."""
        ctx = self.ctx()
        for roster in ctx.rosters():
            for row in self.app.rows.filter(roster=roster.key):
                for ev in roster.evidence:
                    for n in range(ev.min_files):
                        url = reverse(
                            "applications:row_file_upload",
                            args=[self.app.pk, roster.key, row.pk, ev.key],
                        )
                        upload = SimpleUploadedFile(
                            f"{ev.key}-{row.position}-{n}.pdf", PDF_BYTES, "application/pdf"
                        )
                        assert self.client.post(url, {"file": upload}).status_code == 302

    def upload_attachments(self) -> None:
        ctx = self.ctx()
        for item in ctx.attachments():
            url = reverse("applications:attachment_upload", args=[self.app.pk, item.key])
            upload = SimpleUploadedFile(f"附件{item.number}.pdf", PDF_BYTES, "application/pdf")
            assert self.client.post(url, {"file": upload}).status_code == 302

    def sign(self) -> None:
        if not any(c.by == "applicant" for c in self.app.definition.commitments):
            return
        response = self.client.post(
            reverse("applications:commitment", args=[self.app.pk]),
            {"signer_name": self.app.organisation.legal_representative, "confirm": "on"},
        )
        assert response.status_code == 302, _errors(response)

    def fill_everything(self) -> tuple[dict[str, str], list[str]]:
        texts = self.fill_sections()
        names = self.fill_rosters()
        self.upload_evidence()
        self.upload_attachments()
        self.sign()
        return texts, names


def _errors(response) -> str:
    body = response.content.decode()
    found = re.findall(r'class="error"[^>]*>([^<]+)<', body)
    messages = re.findall(r'<li class="msg-[a-z]+">([^<]+)</li>', body)
    return f"{response.status_code} {found[:10]} {messages[:5]}"


def start(client, call_code: str, track: str, space_name: str) -> Application:
    response = client.post(
        reverse("applications:start", args=[call_code]), {"space_name": space_name, "track": track}
    )
    assert response.status_code == 302, _errors(response)
    return Application.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def pdf_text(content: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages]


def docx_text(content: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in document.sections:
        parts.extend(p.text for p in section.header.paragraphs)
        parts.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(parts)
