"""Hostile uploads for tests: archives that unpack to gigabytes, bodies cut off midway, and a
storage folder of the test's own to check that nothing was kept."""

from __future__ import annotations

import functools
import io
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings

GIB = 1 << 30


@pytest.fixture(name="media")
def media_fixture(settings, tmp_path) -> Path:
    """Stored files go to a folder of this test's own, so 'nothing stored' can be checked."""
    root = tmp_path / "media"
    root.mkdir()
    settings.STORAGES = {
        **django_settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


@functools.cache
def bomb(main_part: str) -> bytes:
    """A .docx or .xlsx (by its main part) with one entry of 2 GiB of zeros: about 9 MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<root/>")
        with archive.open("customXml/item1.xml", "w", force_zip64=True) as entry:
            chunk = bytes(16 << 20)
            for _ in range(2 * GIB // len(chunk)):
                entry.write(chunk)
    return buffer.getvalue()


def measured(call):
    """The result of call(), the seconds it took and the peak memory Python allocated."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = call()
        return result, time.perf_counter() - started, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


BOUNDARY = "----FilingBoundary7MA4YWxkTrZu0gW"


def part(name: str, filename: str, content: bytes) -> bytes:
    return (
        (
            f"--{BOUNDARY}\r\n"
            f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + content
        + b"\r\n"
    )


def field(name: str, value: str) -> bytes:
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
    ).encode()


def closing() -> bytes:
    return f"--{BOUNDARY}--\r\n".encode()


def send_raw(client, url: str, body: bytes, announced: int):
    """POST a hand-built body through the WSGI handler, as a server passes on a cut connection:
    Content-Length says ``announced`` bytes, the input stream ends after ``body``."""
    environ = client._base_environ(
        PATH_INFO=url,
        REQUEST_METHOD="POST",
        CONTENT_TYPE=f"multipart/form-data; boundary={BOUNDARY}",
        CONTENT_LENGTH=str(announced),
        **{"wsgi.input": io.BytesIO(body)},
    )
    return client.handler(environ)
