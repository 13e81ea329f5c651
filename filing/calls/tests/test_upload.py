"""The platform admin loads a definition by uploading it; a broken one is refused with its
line numbers and nothing is loaded; nobody else may upload."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from filing.calls.models import Call

MINIMAL = (Path(__file__).parent / "data" / "minimal.yaml").read_bytes()
URL = reverse("calls:upload_definition")

pytestmark = pytest.mark.django_db


def upload(client, content, **extra):
    return client.post(URL, {"file": SimpleUploadedFile("call.yaml", content), **extra})


def test_the_admin_loads_a_sound_file_and_lands_on_its_page(admin_client):
    response = upload(admin_client, MINIMAL)
    assert response.status_code == 302
    assert response["Location"] == reverse("calls:detail", args=["minimal-2021"])


def test_check_only_loads_nothing(admin_client):
    response = upload(admin_client, MINIMAL, check_only="on")
    assert "检查通过" in response.content.decode()
    assert not Call.objects.exists()


def test_a_broken_file_lists_its_problems_and_loads_nothing(admin_client):
    response = upload(admin_client, MINIMAL.replace(b"max_chars: 50", b"max_chars: 0"))
    page = response.content.decode()
    assert "call.yaml:18" in page
    assert "greater than 0" in page
    assert not Call.objects.exists()


def test_a_file_that_is_not_text_is_refused(admin_client):
    response = upload(admin_client, b"\xff\xfe\x00binary")
    assert "UTF-8" in response.content.decode()


def test_staff_of_an_authority_cannot_upload(cast, client):
    client.force_login(cast.province_reviewer)
    assert client.get(URL).status_code in (302, 403)
    assert upload(client, MINIMAL).status_code in (302, 403)
    assert not Call.objects.exists()
