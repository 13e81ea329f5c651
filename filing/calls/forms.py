from django import forms
from django.utils.translation import gettext_lazy as _

MAX_DEFINITION_BYTES = 2 * 1024 * 1024


class DefinitionUploadForm(forms.Form):
    file = forms.FileField(label=_("批次定义文件（YAML）"))
    check_only = forms.BooleanField(label=_("只检查，不载入"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_DEFINITION_BYTES:
            raise forms.ValidationError(_("文件过大：定义文件不应超过 2 MB。"))
        try:
            return upload.name, upload.read().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(_("文件不是 UTF-8 编码的文本。")) from exc
