"""What a file in definitions/registry/ may say: one published filed list.

Unknown keys are errors, as in the call definitions, so a misspelt key is never silently lost.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from filing.calls.schema import Text


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Entry(Strict):
    position: int = Field(ge=1)
    name: str = Field(min_length=1, max_length=200)
    hosts: list[str] = []
    operator: str = ""


class FiledList(Strict):
    schema_version: Literal[1] = Field(alias="schema")
    document: str = Field(min_length=1, max_length=60)
    title: str
    authority: str | None = None
    level: Literal["national", "provincial"]
    track_kind: Literal["maker_space", "professional_maker_space"]
    year: int = Field(ge=2000, le=2100)
    batch: Text | None = None
    filed_on: date | None = None
    entries: list[Entry] = Field(min_length=1)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _positions_unique(self) -> FiledList:
        positions = [e.position for e in self.entries]
        if len(positions) != len(set(positions)):
            raise ValueError("two entries share one position (序号)")
        return self
