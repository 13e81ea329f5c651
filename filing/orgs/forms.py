from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import UsernameField
from django.utils.translation import gettext_lazy as _

from filing.lib.credit_code import normalise
from filing.lib.validators import credit_code_validator, mobile_validator, phone_validator
from filing.orgs.constants import AuthorityKind
from filing.orgs.models import Authority, Organisation, User
from filing.reference.models import Region

ORG_FIELDS = [
    "name",
    "credit_code",
    "nature",
    "province",
    "city",
    "zone",
    "address",
    "legal_representative",
    "phone",
    "host_entity_name",
    "host_entity_kind",
]


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ORG_FIELDS
        error_messages = {
            "credit_code": {
                "unique": _("该统一社会信用代码已注册。请联系本机构管理员邀请您加入。"),
            }
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = Region.objects.filter(level="province")
        self.fields["city"].queryset = Region.objects.filter(level="city").select_related("parent")
        self.fields["city"].label_from_instance = lambda r: f"{r.parent.name} {r.name}"
        self.fields["zone"].queryset = Authority.objects.filter(kind=AuthorityKind.ZONE)
        self.fields["zone"].empty_label = _("不在国家高新区或示范区内")
        self.fields["credit_code"].validators = [credit_code_validator]
        self.fields["credit_code"].help_text = _("18位，见营业执照或法人证书")
        self.fields["phone"].validators = [phone_validator]

    def clean_credit_code(self) -> str:
        return normalise(self.cleaned_data["credit_code"])

    def clean(self):
        data = super().clean()
        province, city, zone = data.get("province"), data.get("city"), data.get("zone")
        if province and city and city.parent_id != province.pk:
            self.add_error("city", _("所选地市不属于所选省份。"))
        if province and zone:
            province_authority = Authority.objects.filter(kind="province", region=province).first()
            if province_authority is None or not zone.path.startswith(province_authority.path):
                self.add_error("zone", _("所选园区不在本省。"))
        return data


class RegistrationForm(OrganisationForm):
    """An organisation and its first user, the organisation admin, in one form."""

    full_name = forms.CharField(label=_("管理员姓名"), max_length=50)
    username = UsernameField(label=_("登录账号"), max_length=150)
    email = forms.EmailField(label=_("电子邮箱"))
    mobile = forms.CharField(label=_("手机"), max_length=20, validators=[mobile_validator])
    password1 = forms.CharField(label=_("密码"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("确认密码"), widget=forms.PasswordInput, strip=False)

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("该登录账号已被使用。"))
        return username

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("该邮箱已有账号。"))
        return email

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif p1:
            probe = User(username=data.get("username", ""), email=data.get("email", ""))
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data

    def organisation_data(self) -> dict:
        return {k: self.cleaned_data[k] for k in ORG_FIELDS}

    def admin_data(self) -> dict:
        return {
            "username": self.cleaned_data["username"],
            "full_name": self.cleaned_data["full_name"],
            "email": self.cleaned_data["email"],
            "phone": self.cleaned_data["mobile"],
        }


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("填报人邮箱"))


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label=_("姓名"), max_length=50)
    username = UsernameField(label=_("登录账号"), max_length=150)
    password1 = forms.CharField(label=_("密码"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("确认密码"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, email: str = "", **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("该登录账号已被使用。"))
        return username

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif p1:
            try:
                password_validation.validate_password(
                    p1, User(username=data.get("username", ""), email=self.email)
                )
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data
