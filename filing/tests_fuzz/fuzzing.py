"""Arbitrary input for every form: what hypothesis posts, and what must hold afterwards.

Each target is a page as a person would post it: the names the page's own form shows, a
baseline of sound values that reaches the deep code, and hypothesis replacing, dropping,
repeating and adding fields with hostile values (any Unicode text, huge strings, numbers out of
range, impossible dates, NUL and control characters, markup). Two things must hold for every
request: no 500 (the test client raises the view's exception), and a refused request changes
nothing: every table of the platform has as many rows as before, and the watched objects are
as they were.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.messages import constants as message_levels
from django.db import models
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "10")),
    deadline=None,
    database=None,
    # Each example is a request or more; shrinking a failure could take many minutes, so it is
    # left out unless asked for (FUZZ_SHRINK=1). The failing example is printed either way.
    phases=[Phase.explicit, Phase.generate]
    + ([Phase.shrink] if os.environ.get("FUZZ_SHRINK") else []),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
FUZZ = settings.get_profile("fuzz")


NASTY = [
    "",
    " ",
    "0",
    "-1",
    "1e309",
    "-1e309",
    "NaN",
    "inf",
    "99999999999999999999999999999999",
    "-99999999999999999999",
    "2147483648",
    "9223372036854775808",
    "1.5",
    "1,000",
    "٣٤",
    "１２",
    "0x1F",
    "2024-02-30",
    "2023-13-01",
    "0000-00-00",
    "9999-12-31",
    "0001-01-01",
    "0001-01-01T00:00:00",
    "9999-12-31T23:59:59+14:00",
    "2024-02-29T25:61:00",
    "true",
    "on",
    "None",
    "null",
    "[]",
    "{}",
    '{"a": [1, {"b": null}]}',
    "是",
    "否",
    "other:",
    "other:" + "字" * 300,
    "\x00",
    "a\x00b",
    "\u202e\u200b\ufeff",
    "\r\n\t",
    "'; DROP TABLE applications_application; --",
    "<script>alert(1)</script>",
    "{{ request }}{% debug %}",
    "%(name)s %s %d",
    "../../etc/passwd",
    "https://evil.example/",
    "//evil.example/",
    "x" * 100_000,
    "字" * 20_000,
    "😀" * 1000,
]

DATES = [
    "2024-02-30",
    "2023-13-01",
    "2023-04-31",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "0001-01-01T00:00:00",
    "9999-12-31T23:59:59+14:00",
    "2024-02-29T25:61:00",
    "2024-1-1",
    "20240101",
    "-2024-01-01",
]
NUMBERS = ["-1", "0", "1e309", "NaN", "-0.0", "99999999999999999999", "2147483648", "1.5", "٣"]

values = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=300),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.dates().map(str),
)
LOOKS_LIKE_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def hostile(sound: Any) -> st.SearchStrategy[str]:
    """Anything, and more often the wrong values of the sound value's own kind."""
    text = str(sound) if sound is not None else ""
    if LOOKS_LIKE_DATE.fullmatch(text):
        return st.one_of(st.sampled_from(DATES), values)
    if text.lstrip("-").isdigit():
        return st.one_of(st.sampled_from(NUMBERS), values)
    return values


@st.composite
def form_data(draw, names: Iterable[str], baseline: dict[str, Any] | None = None):
    """A POST body: each known field kept sound, replaced, dropped or repeated, plus extras."""
    baseline = baseline or {}
    data: dict[str, list[str]] = {}
    for name in sorted(set(names) | set(baseline) | COMMON_NAMES):
        action = draw(
            st.sampled_from(["keep", "keep", "replace", "replace", "replace", "drop", "repeat"])
        )
        sound = baseline.get(name)
        sound_list = [str(v) for v in sound] if isinstance(sound, list | tuple) else None
        if action == "keep" and sound is not None:
            data[name] = sound_list if sound_list is not None else [str(sound)]
        elif action == "drop":
            continue
        elif action == "repeat":
            data[name] = draw(st.lists(hostile(sound), min_size=2, max_size=4))
        else:
            data[name] = [draw(hostile(sound))]
    extra = draw(st.dictionaries(st.text(min_size=1, max_size=30), values, max_size=3))
    for key, value in extra.items():
        data.setdefault(key, [value])
    return data


FIELD_NAME = re.compile(r"<(?:input|select|textarea|button)\b[^>]*\bname=\"([^\"]+)\"", re.I)
IGNORED = {"csrfmiddlewaretoken", "language", "next"}
# Names many forms use, posted to every target as well: a form may read one it does not show.
COMMON_NAMES = {"reason", "decision", "comment", "next", "page", "q", "code", "checklist"}


def field_names(html: str) -> set[str]:
    """The names of the inputs a page's forms post (not the language switch's). Read once per
    test, before the first example: hypothesis needs the same strategy for every example."""
    return {name for name in FIELD_NAME.findall(html) if name not in IGNORED}


def row_counts() -> dict[str, int]:
    """Rows in each of the platform's tables (Django's own sessions and the like left out)."""
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model.__module__.startswith("filing.") and not model._meta.proxy
    }


def state_of(objects: Iterable[models.Model]) -> list[dict[str, Any]]:
    """Every concrete field of each watched object, as stored now."""
    out = []
    for obj in objects:
        fresh = type(obj)._base_manager.filter(pk=obj.pk).values().first()
        out.append(fresh or {})
    return out


def refused(response) -> bool:
    """Whether the request was turned down: an error status, an error message, or the form
    shown again instead of the redirect that follows a change."""
    if response.status_code >= 400:
        return True
    request_messages = getattr(response.wsgi_request, "_messages", None)
    queued = list(getattr(request_messages, "_queued_messages", []))
    if any(m.level >= message_levels.ERROR for m in queued):
        return True
    if any(m.level == message_levels.SUCCESS for m in queued):
        return False
    return response.status_code == 200


@dataclass
class Target:
    """One form: where it posts, and what may change when it refuses."""

    url: str
    method: str = "post"
    baseline: dict[str, Any] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)
    watched: Callable[[], list[models.Model]] = list
    # Section pages keep what was typed even when it is refused, so a draft never loses input.
    refusal_keeps_input: bool = False
    # Tables a refusal adds to by design, e.g. the audit trail of a failed login.
    refusal_records: frozenset[str] = frozenset()


def send(client, target: Target, data: dict[str, list[str]]):
    if target.method == "get":
        return client.get(target.url, data)
    return client.post(target.url, data)


def check_one(client, target: Target, data: dict[str, list[str]]) -> None:
    """Post (or get) the data; no 500, and a refusal leaves every table and object as it was."""
    before = (row_counts(), state_of(target.watched()))
    response = send(client, target, data)
    assert response.status_code != 500, response.content[:2000]
    if target.method == "get" or target.refusal_keeps_input or not refused(response):
        return
    after = (row_counts(), state_of(target.watched()))
    for label in target.refusal_records:
        before[0].pop(label), after[0].pop(label)
    assert after[0] == before[0], _difference(before[0], after[0])
    assert after[1] == before[1]


def _difference(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {k: (before.get(k, 0), v) for k, v in after.items() if before.get(k, 0) != v}


def check_each(client, data, targets: dict[str, tuple[Any, Target]], extra=()) -> None:
    """Every target once, each posted by its person (None: nobody logged in) with input of its
    own drawn from ``data``; ``extra`` names are posted to every target too."""
    for name, (person, target) in sorted(targets.items()):
        if person is None:
            client.logout()
        else:
            client.force_login(person)
        names = {*extra, *target.names, *target.baseline}
        check_one(client, target, data.draw(form_data(names, target.baseline), label=name))
