"""Files on S3-compatible object storage (django-storages), against a local S3 server (moto's
standalone server, spoken to over HTTP like any S3 endpoint): an upload is kept in the bucket,
not on disk; the download through the platform gives the same bytes; /health/ checks it."""

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
from django.urls import reverse

from filing.applications.models import Attachment
from filing.applications.tests.filling import start

BUCKET = "filing-test"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    server = shutil.which("moto_server") or str(Path(sys.executable).parent / "moto_server")
    if not Path(server).exists():
        pytest.skip("moto_server is not installed")
    port = free_port()
    process = subprocess.Popen(
        [server, "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        client = boto3.client(
            "s3",
            endpoint_url=url,
            aws_access_key_id="test",
            aws_secret_access_key="test",
            region_name="us-east-1",
        )
        client.create_bucket(Bucket=BUCKET)
        yield url, client
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def on_s3(settings, s3_endpoint, tmp_path):
    url, client = s3_endpoint
    settings.MEDIA_ROOT = str(tmp_path / "media-unused")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": url,
                "access_key": "test",
                "secret_key": "test",
                "region_name": "us-east-1",
                "default_acl": "private",
                "file_overwrite": False,
            },
        },
    }
    # Django's setting_changed handler makes default_storage follow the new STORAGES.
    yield client


def test_an_attachment_lives_in_the_bucket_and_downloads_whole(
    client, seed_calls, applicant, on_s3, tmp_path
):
    org, filler, admin = applicant("440100")
    client.force_login(filler)
    app = start(client, "guangdong-2020-rehearsal", "professional", "对象存储专业化众创空间")
    item = app.definition.attachments[0].key
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(
        reverse("applications:attachment_upload", args=[app.pk, item]),
        {"file": SimpleUploadedFile("营业执照.pdf", PDF, content_type="application/pdf")},
    )
    attachment = Attachment.objects.get(application=app)
    keys = [o["Key"] for o in on_s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    assert attachment.file.name in keys
    assert not (tmp_path / "media-unused").exists()  # nothing written to the local disk
    response = client.get(reverse("applications:file_download", args=[app.pk, attachment.pk]))
    assert b"".join(response.streaming_content) == PDF
    health = client.get(reverse("front:health")).json()
    assert health["checks"]["storage"] == "ok"
