"""The package an authority downloads: its letter, summary table and each space's files, zipped.

Files are streamed into the archive a mebibyte at a time, so a package of large scans is built in
little memory. Names inside the archive come from people (space names, uploaded file names), so
every segment is cleaned: no "..", no absolute paths, no control characters, nothing Windows
refuses, at most 120 characters; Chinese is kept and names are stored as UTF-8 (flag set), which
Windows Explorer and current unzip tools read.
"""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
import zipfile
from collections.abc import Iterable
from datetime import datetime
from typing import BinaryIO

from django.utils import timezone

__all__ = ["CHUNK_SIZE", "MAX_SEGMENT", "build_zip", "clean_path", "clean_segment", "folder_name"]

CHUNK_SIZE = 1024 * 1024
MAX_SEGMENT = 120
UTF8_FLAG = 0x800  # general purpose bit 11: the name is UTF-8
FILE_MODE = 0o644 << 16

# Characters Windows does not allow in a file name, and its reserved device names.
_FORBIDDEN = re.compile(r'[<>:"/|?*\\]')
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT") for n in range(1, 10)}

Source = bytes | str | os.PathLike | BinaryIO
Entry = tuple[str, Source]


def clean_segment(segment: str) -> str:
    """One folder or file name made safe; "" when nothing of it is left."""
    text = "".join(
        ch for ch in unicodedata.normalize("NFC", segment) if unicodedata.category(ch)[0] != "C"
    )
    text = _FORBIDDEN.sub("_", text).strip().rstrip(". ")  # Windows drops trailing dots
    if text in {"", ".", ".."} or set(text) == {"."}:
        return ""
    if text.split(".")[0].upper() in _RESERVED:
        text = f"_{text}"
    if len(text) > MAX_SEGMENT:
        stem, dot, ext = text.rpartition(".")
        if dot and stem and 0 < len(ext) <= 10:
            text = stem[: MAX_SEGMENT - len(ext) - 1].rstrip() + "." + ext
        else:
            text = text[:MAX_SEGMENT].rstrip()
    return text


def clean_path(path: str) -> str:
    """A relative path inside the archive: segments cleaned, empty ones, "." and ".." dropped."""
    segments = [clean_segment(s) for s in re.split(r"[/\\]", path)]
    cleaned = "/".join(s for s in segments if s)
    if not cleaned:
        raise ValueError(f"no file name is left of {path!r}")
    return cleaned


def folder_name(rank: int, space_name: str, *, total: int | None = None) -> str:
    """The folder of one recommended space: "01_智慧家庭专业化众创空间".

    Two digits, or three once there are more than 99 spaces (`total`, or the rank itself), so
    that the folders sort in rank order.
    """
    digits = 3 if max(rank, total or 0) > 99 else 2
    name = clean_segment(space_name) or "众创空间"
    return clean_segment(f"{rank:0{digits}d}_{name}")


class _Utf8Info(zipfile.ZipInfo):
    """An entry whose name is always stored as UTF-8 with the flag set.

    zipfile sets the flag itself only for names that are not ASCII (and clears flag_bits when an
    entry is opened for writing, so setting it beforehand does not last).
    """

    __slots__ = ()

    def _encodeFilenameFlags(self):  # noqa: N802 - zipfile's name
        return self.filename.encode("utf-8"), self.flag_bits | UTF8_FLAG


def _unique(path: str, taken: set[str]) -> str:
    """`path`, or "name（2）.pdf" and so on when an earlier entry has that name already."""
    if path.casefold() not in taken:
        return path
    parent, _, name = path.rpartition("/")
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        stem, ext = name, ""
    n = 2
    while True:
        candidate = f"{stem}（{n}）" + (f".{ext}" if ext else "")
        candidate = f"{parent}/{candidate}" if parent else candidate
        if candidate.casefold() not in taken:
            return candidate
        n += 1


def _size(stream: BinaryIO) -> int | None:
    """Bytes left in `stream`, when it can tell; None for a pipe or a socket."""
    try:
        if not stream.seekable():
            return None
        here = stream.tell()
        end = stream.seek(0, os.SEEK_END)
        stream.seek(here)
    except (AttributeError, OSError, ValueError):
        return None
    return max(end - here, 0)


def _copy(zf: zipfile.ZipFile, info: zipfile.ZipInfo, stream: BinaryIO) -> None:
    size = _size(stream)
    if size is not None:
        info.file_size = size
    # Without a known size zipfile must be told that the entry may pass 4 GiB.
    with zf.open(info, "w", force_zip64=size is None) as out:
        shutil.copyfileobj(stream, out, CHUNK_SIZE)


def build_zip(
    entries: Iterable[Entry], target: str | os.PathLike | BinaryIO, *, now: datetime | None = None
) -> None:
    """Write a ZIP of `entries` to `target`, a file path or a binary file open for writing.

    Each entry is (path inside the archive, source), the source being bytes, a file path or a
    binary file open for reading (read from where it stands, not closed here). Paths are cleaned
    (see `clean_path`); two entries that end up with one name are kept apart as "name（2）".
    """
    moment = timezone.localtime(now or timezone.now())
    date_time = (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
    taken: set[str] = set()
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        for path, source in entries:
            name = _unique(clean_path(path), taken)
            taken.add(name.casefold())
            info = _Utf8Info(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = FILE_MODE
            if isinstance(source, bytes | bytearray | memoryview):
                zf.writestr(info, bytes(source))
            elif isinstance(source, str | os.PathLike):
                with open(source, "rb") as stream:
                    _copy(zf, info, stream)
            else:
                _copy(zf, info, source)
