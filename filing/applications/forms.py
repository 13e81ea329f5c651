"""Reading and presenting the inputs of a definition's section.

The pages render each field from its definition (see widgets.py) and
read back exactly what was typed; checking happens in fields.clean_value, so a draft can be
saved whatever state it is in and nothing typed is lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from filing.applications.fields import UNIT_LABELS, char_count, clean_value, plausibility_warning
from filing.calls.schema import FieldDef
from filing.reference.models import leaf_paths

MAX_INPUT_CHARS = 20000


def raw_from_post(fields: list[FieldDef], data: QueryDict) -> dict[str, Any]:
    """The section's values as typed; unknown keys in the POST are ignored."""
    out: dict[str, Any] = {}
    for f in fields:
        if f.type == "computed":
            continue
        if f.type == "yes_with_name":
            out[f.key] = {
                "answer": data.get(f"{f.key}__answer", "")[:5],
                "name": data.get(f"{f.key}__name", "")[:MAX_INPUT_CHARS],
            }
        elif f.type == "multichoice":
            values = [v for v in data.getlist(f.key) if any(c.value == v for c in f.choices)]
            other = data.get(f"{f.key}__other", "").strip()
            if other and f.other_choice:
                values.append(f"other:{other[:200]}")
            out[f.key] = values
        elif f.type == "choice" and f.other_choice and data.get(f.key) == "other":
            out[f.key] = f"other:{data.get(f'{f.key}__other', '').strip()[:200]}"
        else:
            out[f.key] = data.get(f.key, "")[:MAX_INPUT_CHARS]
    return out


@dataclass
class FieldView:
    """One field as the page shows it: definition, what was typed, and what is wrong."""

    field: FieldDef
    raw: Any
    error: str = ""
    warning: str = ""
    computed: Any = None
    conflict: Any = None
    path: str = ""

    @property
    def key(self) -> str:
        return self.field.key

    @property
    def label(self) -> str:
        return self.field.label.get(get_language())

    @property
    def help(self) -> str:
        return self.field.help.get(get_language()) if self.field.help else ""

    @property
    def unit(self) -> str:
        return UNIT_LABELS.get(self.field.unit or "", "")

    @property
    def text(self) -> str:
        return self.raw if isinstance(self.raw, str) else ""

    @property
    def chars(self) -> int:
        return char_count(self.text)

    @property
    def answer(self) -> str:
        return (self.raw or {}).get("answer", "") if isinstance(self.raw, dict) else ""

    @property
    def name(self) -> str:
        return (self.raw or {}).get("name", "") if isinstance(self.raw, dict) else ""

    @property
    def chosen(self) -> list[str]:
        if isinstance(self.raw, list):
            return self.raw
        return [self.raw] if isinstance(self.raw, str) else []

    @property
    def other(self) -> str:
        for value in self.chosen:
            if value.startswith("other:"):
                return value.removeprefix("other:")
        return ""

    @property
    def choices(self) -> list[tuple[str, str]]:
        return [(c.value, c.label.get(get_language())) for c in self.field.choices]


def field_views(
    fields: list[FieldDef], raw: dict[str, Any], typed: dict[str, Any], *, show_errors: bool
) -> list[FieldView]:
    views = []
    for f in fields:
        view = FieldView(field=f, raw=raw.get(f.key))
        if f.type == "computed":
            view.computed = typed.get(f.key)
        else:
            try:
                value = clean_value(f, raw.get(f.key))
            except ValidationError as exc:
                if show_errors:
                    view.error = " ".join(exc.messages)
            else:
                view.warning = plausibility_warning(f, value)
                if f.type == "high_tech_field" and value:
                    view.path = leaf_paths().get(value, "")  # a valid value is a leaf
        views.append(view)
    return views


class StartForm(forms.Form):
    space_name = forms.CharField(label=_("众创空间名称"), max_length=100)
    track = forms.ChoiceField(label=_("申报类别"))

    def __init__(self, *args, tracks: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["track"].choices = tracks
        if len(tracks) == 1:
            self.fields["track"].initial = tracks[0][0]
            self.fields["track"].widget = forms.HiddenInput()


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("退回意见"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("撤回原因"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class CommitmentForm(forms.Form):
    signer_name = forms.CharField(label=_("法定代表人姓名"), max_length=50)
    confirm = forms.BooleanField(label=_("本人已阅读并同意以上承诺"))


class FileForm(forms.Form):
    file = forms.FileField(label=_("选择文件"))


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("核验码"), max_length=20)
