"""Self-registration of an organisation with its first user as organisation admin."""

import pytest
from django.urls import reverse

from filing.audit.models import AuditEvent
from filing.orgs.constants import Role
from filing.orgs.models import Organisation, User
from filing.reference.models import Region

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    gz = Region.objects.get(code="440100")
    data = {
        "name": "广州示范众创空间运营有限公司",
        "credit_code": "91440101MA5F00050G",
        "nature": "private",
        "province": gz.parent_id,
        "city": gz.pk,
        "zone": "",
        "address": "广州市天河区示范路1号",
        "legal_representative": "李华",
        "phone": "020-83163286",
        "host_entity_name": "",
        "host_entity_kind": "none",
        "full_name": "王芳",
        "username": "wangfang",
        "email": "wangfang@example.cn",
        "mobile": "13812345678",
        "password1": "a-Long-passphrase-2026",
        "password2": "a-Long-passphrase-2026",
    }
    data.update(overrides)
    return data


def test_registering_creates_the_organisation_and_its_admin_and_logs_in(client):
    response = client.post(reverse("orgs:register"), form_data(), REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 302
    org = Organisation.objects.get(credit_code="91440101MA5F00050G")
    admin = User.objects.get(username="wangfang")
    assert admin.organisation == org
    assert admin.role == Role.ORG_ADMIN
    assert client.get(reverse("orgs:members")).status_code == 200
    event = AuditEvent.objects.get(event="org.registered")
    assert event.actor == admin
    assert event.ip_address == "192.0.2.7"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91440101MA5F00050H", "校验位错误"),
        ("9144010MA5F00050G", "应为18位"),
        ("91440101MA5F0005OG", "不允许的字符"),
    ],
)
def test_a_bad_credit_code_is_refused_with_its_reason_and_the_input_kept(client, code, message):
    response = client.post(reverse("orgs:register"), form_data(credit_code=code))
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "广州市天河区示范路1号" in page  # what was typed is still there
    assert not Organisation.objects.exists()


def test_a_bad_credit_code_is_explained_in_english_too(client):
    client.cookies["django_language"] = "en"
    response = client.post(reverse("orgs:register"), form_data(credit_code="91440101MA5F00050H"))
    assert "check character" in response.content.decode()


def test_a_registered_credit_code_cannot_register_twice(client):
    client.post(reverse("orgs:register"), form_data())
    client.logout()
    response = client.post(
        reverse("orgs:register"), form_data(username="other", email="other@example.cn")
    )
    assert "已注册" in response.content.decode()
    assert Organisation.objects.count() == 1


def test_a_city_of_another_province_is_refused(client):
    response = client.post(
        reverse("orgs:register"), form_data(city=Region.objects.get(code="320100").pk)
    )
    assert "所选地市不属于所选省份" in response.content.decode()
    assert not Organisation.objects.exists()


def test_a_weak_or_mismatched_password_is_refused(client):
    response = client.post(
        reverse("orgs:register"), form_data(password1="12345678", password2="12345678")
    )
    assert not User.objects.filter(username="wangfang").exists()
    response = client.post(reverse("orgs:register"), form_data(password2="something-else-2026"))
    assert "两次输入的密码不一致" in response.content.decode()
