from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A publicity runs for days or weeks; a date years away is a typing mistake.
MAX_DAYS = 366


class PublicityForm(forms.Form):
    title = forms.CharField(label=_("公示标题"), max_length=200)
    closes_on = forms.DateField(
        label=_("公示截止日期"),
        help_text=_("公示至该日 24:00（北京时间）结束。"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    contact = forms.CharField(
        label=_("受理异议的单位联系方式"),
        max_length=200,
        required=False,
        help_text=_("单位办公电话或地址，不要填写个人手机号。"),
    )
    statement = forms.CharField(
        label=_("公示说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_closes_on(self):
        day = self.cleaned_data["closes_on"]
        today = timezone.localdate()
        if day < today:
            raise forms.ValidationError(_("公示截止日期不能早于今天。"))
        if day > today + timedelta(days=MAX_DAYS):
            raise forms.ValidationError(_("公示期不能超过一年，请核对截止日期。"))
        return day

    def closes_at(self) -> datetime:
        """The end of the chosen day, Beijing time."""
        day = self.cleaned_data["closes_on"] + timedelta(days=1)
        return timezone.make_aware(datetime.combine(day, time.min))


class ObjectionForm(forms.Form):
    entry = forms.TypedChoiceField(label=_("异议对象"), coerce=int)
    name = forms.CharField(label=_("异议人姓名或单位"), max_length=100)
    phone = forms.CharField(label=_("联系电话"), max_length=30)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    content = forms.CharField(
        label=_("异议内容"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("写明异议的事实和理由；以单位名义提出的请写明单位名称。"),
    )

    def __init__(self, *args, entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = [("", "—")] + [
            (e.pk, f"{e.position}. {e.space_name}（{e.operator_name}）") for e in entries
        ]
