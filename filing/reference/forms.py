"""The high-tech field picker: type part of a name, pick a leaf of the catalogue."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from filing.reference.models import HighTechField


class FieldPickerWidget(forms.TextInput):
    template_name = "reference/field_picker.html"

    def __init__(self, attrs: dict[str, Any] | None = None):
        base = {"autocomplete": "off", "class": "field-picker-input"}
        super().__init__({**base, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["search_url"] = reverse_lazy("reference:field_search")
        chosen = None
        if isinstance(value, HighTechField):
            chosen = value
        elif value:
            chosen = HighTechField.objects.filter(code=str(value).split(" ", 1)[0]).first()
        if chosen is not None:
            context["widget"]["value"] = chosen.code
            context["chosen"] = chosen
        return context


class HighTechFieldChoice(forms.Field):
    """Accepts a leaf item's code (``1.1.2``) or its exact name; refuses first/second levels."""

    widget = FieldPickerWidget
    default_error_messages = {
        "unknown": _("未找到该领域，请输入名称的一部分后从列表中选择。"),
        "not_leaf": _(
            "“%(name)s”是上级类别，请细化至《国家重点支持的高新技术领域》三级目录中的具体领域。"
        ),
    }

    def __init__(self, *, catalogue: str = "2016", **kwargs: Any):
        self.catalogue = catalogue
        kwargs.setdefault("help_text", _("输入领域名称中的字词，从列表中选择三级目录条目。"))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> HighTechField | None:
        if value in self.empty_values:
            return None
        if isinstance(value, HighTechField):
            item = value
        else:
            text = str(value).strip()
            code = text.split(" ", 1)[0]
            qs = HighTechField.objects.filter(catalogue=self.catalogue)
            item = qs.filter(code=code).first() or qs.filter(name=text).first()
        if item is None:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown")
        if not item.is_leaf:
            raise forms.ValidationError(
                self.error_messages["not_leaf"], code="not_leaf", params={"name": item.name}
            )
        return item

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, HighTechField):
            return value.code
        return value
