"""The application as it is printed: a plain, JSON-able structure.

Word and PDF documents are rendered from a Printable, never from models, so that a submitted
version prints exactly as frozen: Submission.content holds ``Printable.to_dict()``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class PrintChoice:
    label: str
    checked: bool


@dataclass
class PrintField:
    key: str
    label: str
    value: str  # as shown, without the unit: "1,200", "2020-07-27", "是：海尔集团", "" when empty
    type: str = "text"
    unit: str = ""
    choices: list[PrintChoice] = field(default_factory=list)  # for ☑/☐ boxes
    long: bool = False  # narrative text, printed as its own block


@dataclass
class PrintSection:
    key: str
    title: str
    fields: list[PrintField]


@dataclass
class PrintRoster:
    key: str
    title: str
    columns: list[str]
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)


@dataclass
class PrintAttachment:
    number: str
    label: str
    required: bool
    files: list[str]


@dataclass
class PrintCommitment:
    title: str
    text: str
    signer_label: str
    signer_name: str = ""
    accepted_at: str = ""


@dataclass
class Printable:
    call_title: str
    document_number: str
    issuer_name: str
    year: int
    track_title: str
    space_name: str
    organisation_name: str
    cover: list[tuple[str, str]]
    sections: list[PrintSection]
    rosters: list[PrintRoster]
    attachments: list[PrintAttachment]
    commitments: list[PrintCommitment]
    draft: bool = True
    verification_code: str = ""
    submitted_at: str = ""
    version: int = 0
    verify_url: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Printable:
        data = dict(data)
        data["cover"] = [tuple(pair) for pair in data["cover"]]
        data["sections"] = [
            PrintSection(
                key=s["key"],
                title=s["title"],
                fields=[
                    PrintField(**{**f, "choices": [PrintChoice(**c) for c in f["choices"]]})
                    for f in s["fields"]
                ],
            )
            for s in data["sections"]
        ]
        data["rosters"] = [PrintRoster(**r) for r in data["rosters"]]
        data["attachments"] = [PrintAttachment(**a) for a in data["attachments"]]
        data["commitments"] = [PrintCommitment(**c) for c in data["commitments"]]
        return cls(**data)
