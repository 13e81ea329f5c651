"""The filter form of the public list: one search box and a select or a box per filter."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from filing.reference.models import HighTechField, Region
from filing.registry.constants import Level, TrackKind
from filing.registry.models import FiledSpace, FiledSpaceQuerySet


class RegistryFilterForm(forms.Form):
    """Every filter is optional; an invalid one is shown as an error and left out."""

    q = forms.CharField(
        label=_("查找"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("众创空间、依托主体或运营机构名称")}),
    )
    province = forms.ModelChoiceField(
        label=_("省份"),
        queryset=Region.objects.filter(level=Region.Level.PROVINCE),
        required=False,
        empty_label=_("全部省份"),
    )
    year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int, empty_value=None)
    batch = forms.ChoiceField(label=_("批次"), required=False)
    field = forms.ChoiceField(label=_("专业领域"), required=False)
    host = forms.CharField(label=_("依托主体"), required=False, max_length=100)
    track_kind = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部类别")), *TrackKind.choices]
    )
    level = forms.ChoiceField(
        label=_("级别"), required=False, choices=[("", _("全部级别")), *Level.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        spaces = FiledSpace.objects.listed()
        years = spaces.order_by("-year").values_list("year", flat=True).distinct()
        self.fields["year"].choices = [("", _("全部年度")), *((y, str(y)) for y in years)]
        english = get_language() == "en"
        batches: dict[str, str] = {}
        rows = spaces.order_by("batch_number", "batch").values_list("batch", "batch_en")
        for zh, en in rows.distinct():
            if zh and zh not in batches:
                batches[zh] = en if english and en else zh
        self.fields["batch"].choices = [("", _("全部批次")), *batches.items()]
        self.fields["field"].choices = self._field_choices()

    def _field_choices(self) -> list[tuple[str, str]]:
        """The first-level catalogue items; a deeper code asked for (from a link) is added."""
        catalogue = HighTechField.objects.filter(catalogue="2016")
        choices = [("", _("全部领域"))]
        choices += [(f.code, f"{f.code} {f.name}") for f in catalogue.filter(level=1)]
        asked = (self.data.get(self.add_prefix("field")) or "").strip()[:12]
        if asked and asked not in {code for code, _label in choices}:
            item = catalogue.filter(code=asked).first()
            if item is not None:
                choices.append((item.code, f"{item.code} {item.path}"))
        return choices

    def apply(self, spaces: FiledSpaceQuerySet) -> FiledSpaceQuerySet:
        """The entries the valid filters ask for."""
        self.is_valid()
        data = self.cleaned_data
        if data.get("q"):
            spaces = spaces.search(data["q"])
        if data.get("province"):
            spaces = spaces.filter(province=data["province"])
        if data.get("year"):
            spaces = spaces.filter(year=data["year"])
        if data.get("batch"):
            spaces = spaces.filter(batch=data["batch"])
        if data.get("field"):
            spaces = spaces.in_field(data["field"])
        if data.get("host", "").strip():
            spaces = spaces.filter(host_entity_name__icontains=data["host"].strip())
        if data.get("track_kind"):
            spaces = spaces.filter(track_kind=data["track_kind"])
        if data.get("level"):
            spaces = spaces.filter(level=data["level"])
        return spaces

    @property
    def is_filtered(self) -> bool:
        return any(self.cleaned_data.get(name) for name in self.fields)
