"""What identifies a roster row across applications, read from the call definition alone.

The roster's `kind` says what its rows are and the columns' types say how a row is known:

- a row of a `companies` or `residents` roster with a value in a `credit_code` column is a
  resident company, known by the code (upper case, without spaces);
- any other row of a `teams` or `residents` roster is a team, and a row of a `mentors` roster a
  mentor, known by the `name` column together with the first `mobile` or `phone` column that
  has a value. Common names (张伟) are common: a name alone would tie strangers together, so a
  row that gives a number matches only rows with the same number. A row without one matches
  only other rows without one, by name (shown to reviewers as such);
- rows of other rosters (activities: two spaces may well hold a joint roadshow) are not compared.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, NamedTuple

from filing.calls.schema import Roster
from filing.integrity.constants import SignalKind

COMPANY_ROSTERS = {"companies", "residents"}
TEAM_ROSTERS = {"teams", "residents"}
MENTOR_ROSTERS = {"mentors"}


class Identity(NamedTuple):
    kind: str
    key: str
    label: str  # the name as typed, for people to read


def normalise_text(value: Any) -> str:
    """Full-width and half-width alike, no spaces, case folded: 'ＡＢ 团队' == 'ab团队'."""
    text = unicodedata.normalize("NFKC", str(value or ""))
    return re.sub(r"\s+", "", text).casefold()


def normalise_code(value: Any) -> str:
    return normalise_text(value).upper()


def normalise_number(value: Any) -> str:
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", str(value or "")))
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return digits


def row_identity(roster: Roster, values: dict[str, Any]) -> Identity | None:
    """The identity of one row of the roster, or None where rows of its kind are not compared."""
    name = str(values.get("name") or "").strip()[:200]
    if roster.kind in COMPANY_ROSTERS:
        for col in roster.columns:
            if col.type == "credit_code" and (code := normalise_code(values.get(col.key))):
                return Identity(SignalKind.SHARED_COMPANY, code, name or code)
    if roster.kind in TEAM_ROSTERS:
        kind = SignalKind.SHARED_TEAM
    elif roster.kind in MENTOR_ROSTERS:
        kind = SignalKind.SHARED_MENTOR
    else:
        return None
    normal = normalise_text(name)
    if not normal:
        return None
    number = next(
        (
            n
            for col in roster.columns
            if col.type in {"mobile", "phone"}
            if (n := normalise_number(values.get(col.key)))
        ),
        "",
    )
    return Identity(kind, f"{normal}|{number}"[:300], name)
