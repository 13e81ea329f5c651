"""Filling a whole application in the browser, for any call definition.

What filing/applications/tests/filling.py (`WebFiller`) posts through the test client, typed
here into the pages: every field of every section (chosen from its definition, the same
values), each roster through its Excel template (downloaded, filled with openpyxl, uploaded),
the evidence each roster row needs, one file for every checklist item that asks for one, and
the commitment signed.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import openpyxl
from playwright.sync_api import Locator, expect

from filing.applications.tests.filling import PDF_BYTES, post_value, text_value
from filing.calls.schema import FieldDef, Roster
from filing.tests_browser.people import Person

ROWS = 2  # per roster, the first claiming intellectual property (its certificate then needed)
FIELD_NAME = "嵌入式软件"  # typed into the field picker; the catalogue's 1.1.2
FIELD_CODE = "1.1.2"


class Files:
    """Small valid PDFs, each with different bytes (identical files in one application would
    be flagged to reviewers as 相同证明文件)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.count = 0

    def pdf(self, name: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:03d}-{name}.pdf"
        body = PDF_BYTES.replace(b"trailer", f"% file {self.count}\ntrailer".encode())
        path.write_bytes(body)
        return path


@dataclass
class Plan:
    """The parts of the application's definition that apply to its track."""

    space_name: str
    call_title: str
    levels: list[set[str]]  # each route level's tasks
    sections: list[tuple[str, list[FieldDef]]]
    rosters: list[tuple[Roster, list[FieldDef]]]
    has_attachments: bool
    has_commitment: bool
    legal_representative: str

    @classmethod
    def of(cls, application) -> Plan:
        from filing.applications.evaluation import Context

        ctx = Context.of(application)
        return cls(
            space_name=application.space_name,
            call_title=application.call.title,
            levels=[set(level.tasks) for level in ctx.definition.route],
            sections=[(s.key, fields) for s, fields in ctx.sections()],
            rosters=[(r, ctx.columns(r)) for r in ctx.rosters()],
            has_attachments=bool(ctx.attachments()),
            has_commitment=any(c.by == "applicant" for c in ctx.definition.commitments),
            legal_representative=application.organisation.legal_representative,
        )

    def counts(self) -> dict[str, int]:
        return {r.count_field: ROWS for r, _c in self.rosters if r.count_field}


class BrowserFiller:
    """The filler at work on one application, starting from any of its pages."""

    def __init__(self, person: Person, app_pk: int, plan: Plan, files: Files):
        self.person = person
        self.pk = app_pk
        self.plan = plan
        self.files = files

    @property
    def index(self) -> Locator:
        return self.person.page.locator("nav.side-index")

    def open(self, href_end: str) -> None:
        """Follow a link of the application's side index."""
        self.person.follow(self.index.locator(f"a[href$='{href_end}']"))

    # ----- sections ----------------------------------------------------------------------

    def fill_sections(self) -> None:
        counts = self.plan.counts()
        for key, fields in self.plan.sections:
            self.open(f"/section/{key}/")
            form = self.person.main.locator("form.section-form")
            for f in fields:
                if f.type == "computed":
                    continue
                entries = post_value(f, str(self.pk), counts)
                if f.key == "space_name" and (
                    not f.pattern or re.fullmatch(f.pattern, self.plan.space_name)
                ):
                    entries = {"space_name": self.plan.space_name}
                self.type_in(form, f, entries)
            self.save_section(form, key)

    def save_section(self, form: Locator, key: str) -> None:
        self.person.follow(form.get_by_role("button", name="保存", exact=True))
        self.person.told("已保存。")
        errors = self.person.main.locator(".form-row.has-error")
        assert errors.count() == 0, (key, errors.all_inner_texts())
        self.person.shot(f"section-{key}")

    def type_in(self, form: Locator, f: FieldDef, entries: dict) -> None:
        key, t = f.key, f.type
        if t == "choice":
            form.locator(f"#id_{key}").select_option(entries[key])
        elif t == "multichoice":
            for value in entries[key]:
                form.locator(f"input[name='{key}'][value='{value}']").check()
        elif t == "yes_with_name":
            form.locator(f"input[name='{key}__answer'][value='yes']").check()
            form.locator(f"#id_{key}").fill(entries[f"{key}__name"])
        elif t == "boolean":
            form.locator(f"input[name='{key}'][value='{entries[key]}']").check()
        elif t == "high_tech_field":
            self.pick_field(form, key)
        elif key in entries:
            form.locator(f"#id_{key}").fill(str(entries[key]))

    def pick_field(self, form: Locator, key: str) -> None:
        """Type part of the field's name, then click the catalogue item offered."""
        form.locator(f"#id_{key}").fill(FIELD_NAME)
        form.locator(f"#field-{key} .field-option[data-code='{FIELD_CODE}']").click()
        expect(form.locator(f"#id_{key}")).to_have_value(FIELD_CODE)

    def revise(self) -> None:
        """After a return for revision: rewrite the first long text of the application."""
        for key, fields in self.plan.sections:
            long = next((f for f in fields if f.type == "textarea"), None)
            if long is None:
                continue
            self.open(f"/section/{key}/")
            form = self.person.main.locator("form.section-form")
            form.locator(f"#id_{long.key}").fill(text_value(long, "（已按审核意见修改）"))
            self.save_section(form, f"{key}-revised")
            return
        raise AssertionError("the call has no long text to revise")

    # ----- rosters -----------------------------------------------------------------------

    def fill_rosters(self, folder: Path) -> None:
        for roster, columns in self.plan.rosters:
            self.open(f"/roster/{roster.key}/")
            self.roster_by_excel(roster, columns, folder)
            self.upload_evidence(roster)

    def roster_by_excel(self, roster: Roster, columns: list[FieldDef], folder: Path) -> None:
        person = self.person
        name, content = person.download(person.link("下载 Excel 模板（含已填内容）"))
        assert name.endswith(".xlsx"), name
        book = openpyxl.load_workbook(io.BytesIO(content))
        sheet = book.worksheets[0]
        assert [c.value for c in sheet[1]] == [c.label.zh for c in columns]
        for i in range(ROWS):
            for index, col in enumerate(columns, start=1):
                sheet.cell(row=2 + i, column=index, value=excel_value(col, roster, i, self.pk))
        path = folder / f"{roster.key}.xlsx"
        book.save(path)
        person.upload(person.main.locator("#roster-file"), [path], person.button("导入"))
        person.told(f"已导入 {ROWS} 行")
        expect(person.main.locator("table.roster-table tbody tr")).to_have_count(ROWS)
        person.shot(f"roster-{roster.key}-imported")

    def upload_evidence(self, roster: Roster) -> None:
        """Upload files for each row's evidence shown as missing, until none is."""
        person = self.person
        needs = {ev.key: ev.min_files for ev in roster.evidence}
        missing = person.main.locator("td.evidence div.missing")
        for _turn in range(ROWS * len(roster.evidence) + 1):
            if missing.count() == 0:
                break
            form = missing.first.locator("form")
            evidence = form.get_attribute("action").rstrip("/").split("/")[-1]
            files = [self.files.pdf(evidence) for _n in range(needs[evidence])]
            person.upload(form.locator("input[type=file]"), files, form.locator("button"))
            person.told("已上传")
        assert missing.count() == 0, missing.all_inner_texts()
        person.shot(f"roster-{roster.key}-evidence")

    # ----- attachments, commitment, check ------------------------------------------------

    def upload_attachments(self) -> None:
        """One file for every checklist item that needs one (required, or required by what
        the application says), until none is missing."""
        if not self.plan.has_attachments:
            return
        person = self.person
        self.open("/attachments/")
        missing = person.main.locator("ol.checklist > li.missing")
        for _turn in range(60):
            if missing.count() == 0:
                break
            item = missing.first
            number = item.locator("strong").first.inner_text()
            person.upload(
                item.locator("input[type=file]"),
                [self.files.pdf(f"附件{number}")],
                item.get_by_role("button", name="上传"),
            )
            person.told("已上传")
        assert missing.count() == 0
        person.shot("attachments")

    def sign(self) -> None:
        if not self.plan.has_commitment:
            return
        person = self.person
        self.open("/commitment/")
        person.main.locator("#id_signer_name").fill(self.plan.legal_representative)
        person.main.locator("#id_confirm").check()
        person.follow(person.button("签署承诺"))
        person.told("信用承诺已签署。")

    def check(self) -> None:
        """The check before submission lists nothing missing."""
        person = self.person
        self.open("/check/")
        person.sees("必填内容、名单和附件均已齐全。")
        expect(person.main.locator("p.missing")).to_have_count(0)
        person.shot("check")

    def print_pdf(self) -> bytes:
        """The 申报书 as PDF from the side index."""
        name, content = self.person.download(self.index.get_by_role("link", name="PDF"))
        assert name.endswith(".pdf") and self.plan.space_name in name, name
        return content

    def fill_everything(self, folder: Path) -> None:
        self.fill_sections()
        self.fill_rosters(folder)
        self.upload_attachments()
        self.sign()
        self.check()


def excel_value(col: FieldDef, roster: Roster, i: int, pk: int):
    """What a person types into the template's cell: labels from the dropdowns, 是/否, dates."""
    if col.key == "name":
        return f"{roster.title.zh[:6]}第{i + 1}名{pk}"
    if col.type == "boolean":
        claims_ip = i == 0 and col.key in {"has_patent_application", "has_valid_ip"}
        return "是" if claims_ip else "否"
    entries = post_value(col, f"{roster.key}{i}", {})
    raw = entries.get(col.key)
    if col.type == "choice":
        return next(c.label.zh for c in col.choices if c.value == raw)
    if col.type == "multichoice":
        return "、".join(c.label.zh for c in col.choices if c.value in raw)
    if col.type == "yes_with_name":
        return f"是：{entries[f'{col.key}__name']}"
    if col.type == "integer":
        return int(raw)
    if col.type == "date":
        return date.fromisoformat(raw)
    return raw
