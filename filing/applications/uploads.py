"""Checking an uploaded file before it is kept: real type from its content, size, a safe name.

Django streams uploads above FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file, and everything
here reads in chunks, so a large file is never held in memory whole. A .docx or .xlsx is a ZIP
archive: its directory is read (never its entries) to refuse a "ZIP bomb" before anything
unpacks it. A request body cut off midway is refused whole (``CompleteBodyHandler``).
"""

from __future__ import annotations

import hashlib
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

import filetype
from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler
from django.http.multipartparser import MultiPartParserError
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

# Limits on what a .docx or .xlsx may unpack to, read from the archive's directory. Python's
# zipfile never inflates an entry past the size its directory declares (and fails on a CRC
# mismatch), so the declared sizes bound what openpyxl or python-docx could ever read.
MAX_ARCHIVE_ENTRIES = 2000
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # all entries together
MAX_COMPRESSION_RATIO = 100  # per entry, for entries above RATIO_FLOOR_BYTES
RATIO_FLOOR_BYTES = 1024 * 1024


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


def refuse_archive_bomb(infos: list[zipfile.ZipInfo], name: str) -> None:
    """Refuse an archive whose entries would unpack to far more than it weighs.

    Checked from the directory alone, before any entry is inflated: the number of entries, the
    declared total size and each large entry's compression ratio. A real Word or Excel file
    stays far below each limit (its XML compresses about 5 to 20 times).
    """
    total = sum(info.file_size for info in infos)
    too_dense = any(
        info.file_size > RATIO_FLOOR_BYTES
        and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)
        for info in infos
    )
    if len(infos) > MAX_ARCHIVE_ENTRIES or total > MAX_UNPACKED_BYTES or too_dense:
        raise UploadRefused(
            _(
                "文件“%(name)s”解压后过大（压缩包内容异常，可能是“压缩炸弹”），已拒收。"
                "请上传正常保存的 Word 或 Excel 文件。"
            )
            % {"name": name}
        )


def archive_entries(upload) -> list[zipfile.ZipInfo] | None:
    """The directory of a ZIP file (nothing inflated), or None when it is not a readable ZIP."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            return archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    finally:
        upload.seek(0)


def _office_kind(upload) -> str | None:
    """A .docx and a .xlsx are both ZIP files; tell them apart by their main part."""
    infos = archive_entries(upload)
    if infos is None:
        return None
    refuse_archive_bomb(infos, safe_name(upload.name))
    names = {info.filename for info in infos}
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


def refuse_oversized(name: str, size: int) -> None:
    """The one size limit of every upload (MAX_UPLOAD_BYTES), with the same message everywhere."""
    if size > max_bytes():
        raise UploadRefused(
            _("文件“%(name)s”过大：%(size)s MB，单个文件不超过 %(limit)s MB。")
            % {
                "name": name,
                "size": round(size / 1048576, 1),
                "limit": max_bytes() // 1048576,
            }
        )


def check(upload) -> CheckedUpload:
    """Refuse a file that is too large, empty, of a kind not allowed, or whose content is not
    what its name says; otherwise return its safe name, type, size and SHA-256."""
    name = safe_name(upload.name)
    refuse_oversized(name, upload.size)
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


def serve_private(stored, *, filename: str, content_type: str):
    """A kept file as a download, never shown inline and never sniffed into another type.

    Files have no public address: views that have checked who may see them serve them here.
    """
    from django.http import FileResponse

    response = FileResponse(
        stored.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


class CompleteBodyHandler(FileUploadHandler):
    """Refuses a multipart body that ends before it is complete, so no part of it is kept.

    Django drops a file whose closing boundary never came, but keeps the complete files before
    it; a connection cut midway would then store some files of a request and not others. This
    handler (first in FILE_UPLOAD_HANDLERS) sees the end of parsing: if the last part was
    interrupted or fewer bytes arrived than Content-Length announced, it raises
    MultiPartParserError, which Django answers with 400 before any view runs.
    """

    interrupted = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None

    def upload_interrupted(self) -> None:
        self.interrupted = True

    def upload_complete(self) -> None:
        stream = getattr(self.request, "_stream", None)
        received, announced = getattr(stream, "_pos", None), getattr(stream, "limit", None)
        short = received is not None and announced is not None and received < announced
        if self.interrupted or short:
            raise MultiPartParserError("The request body ended before it was complete.")
