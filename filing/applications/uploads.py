"""Checking an uploaded file before it is kept: real type from its content, size, a safe name.

Django streams uploads above FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file, and everything
here reads in chunks, so a large file is never held in memory whole.
"""

from __future__ import annotations

import hashlib
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

import filetype
from django.conf import settings
from django.utils.translation import gettext as _

# Kind -> (MIME type, extensions it may carry, label for messages)
KINDS = {
    "pdf": ("application/pdf", {".pdf"}, "PDF"),
    "jpeg": ("image/jpeg", {".jpg", ".jpeg"}, "JPEG"),
    "png": ("image/png", {".png"}, "PNG"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        {".docx"},
        "Word (.docx)",
    ),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        {".xlsx"},
        "Excel (.xlsx)",
    ),
    "doc": ("application/msword", {".doc"}, "Word (.doc)"),
    "xls": ("application/vnd.ms-excel", {".xls"}, "Excel (.xls)"),
}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class UploadRefused(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass
class CheckedUpload:
    safe_name: str
    content_type: str
    size: int
    sha256: str


def max_bytes() -> int:
    return int(getattr(settings, "MAX_UPLOAD_BYTES", 50 * 1024 * 1024))


def safe_name(name: str) -> str:
    """The last path component, without control characters, at most 120 characters."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    cleaned = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip().strip(".")
    if not cleaned:
        cleaned = "file"
    stem, dot, ext = cleaned.rpartition(".")
    if dot and len(ext) <= 8:
        return f"{stem[:110]}.{ext.lower()}"
    return cleaned[:120]


def _office_kind(upload) -> str | None:
    """A .docx and a .xlsx are both ZIP files; tell them apart by their main part."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def sniff(upload) -> str | None:
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(OLE_MAGIC):
        return {".doc": "doc", ".xls": "xls"}.get(
            PurePosixPath(upload.name or "").suffix.lower(), "doc"
        )
    if head.startswith(b"PK\x03\x04"):
        return _office_kind(upload)
    guess = filetype.guess(head)
    if guess is not None and guess.extension in {"jpg", "png"}:
        return "jpeg" if guess.extension == "jpg" else "png"
    return None


def check(upload) -> CheckedUpload:
    """Refuse a file that is too large, empty, of a kind not allowed, or whose content is not
    what its name says; otherwise return its safe name, type, size and SHA-256."""
    name = safe_name(upload.name)
    if upload.size > max_bytes():
        raise UploadRefused(
            _("文件“%(name)s”过大：%(size)s MB，单个文件不超过 %(limit)s MB。")
            % {
                "name": name,
                "size": round(upload.size / 1048576, 1),
                "limit": max_bytes() // 1048576,
            }
        )
    if upload.size == 0:
        raise UploadRefused(_("文件“%(name)s”是空文件。") % {"name": name})
    kind = sniff(upload)
    if kind is None:
        raise UploadRefused(
            _("文件“%(name)s”的内容不是允许的类型（PDF、JPEG、PNG、Word、Excel）。")
            % {"name": name}
        )
    mime, extensions, label = KINDS[kind]
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in extensions:
        raise UploadRefused(
            _("文件“%(name)s”的内容是 %(kind)s，与扩展名“%(ext)s”不符，请核对后重新上传。")
            % {"name": name, "kind": label, "ext": suffix or _("（无）")}
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(
        safe_name=name, content_type=mime, size=upload.size, sha256=digest.hexdigest()
    )
