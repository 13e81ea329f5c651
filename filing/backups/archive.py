"""The backup archive: one tar file, gzip-compressed when its name ends in .tar.gz or .tgz.

    data/<app_label>.<model>.jsonl   every row of one model, one JSON object a line, by primary key
    files/<stored name>              every stored file a FileField refers to, byte for byte
    manifest.json                    last: format, time, migration state, and for every member
                                     its size and SHA-256 (and each model's row count)

The manifest comes last because it records the hashes of what precedes it: the writer streams
every member once and never holds a whole file in memory. A reader checks an archive in one
pass over it (``scan`` then ``Manifest.check``) before anything is restored, and checks each
member again as it reads it for the restore (``read_checked``).

The hashes protect against damage (a truncated copy, a flipped bit), not against someone who
rewrites the manifest too: keep archives where only the operators can write.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.utils.dateparse import parse_datetime

from filing.backups.errors import ArchiveError

FORMAT = "filing-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATA_PREFIX = "data/"
FILES_PREFIX = "files/"
CHUNK = 1024 * 1024
# A member larger than this is spooled to a temporary file on disk while it is checked.
SPOOL_IN_MEMORY = 16 * 1024 * 1024
MAX_MANIFEST = 512 * 1024 * 1024


def data_member(label: str) -> str:
    return f"{DATA_PREFIX}{label}.jsonl"


def file_member(name: str) -> str:
    return f"{FILES_PREFIX}{name}"


def is_compressed(path: Path) -> bool:
    """True for .tar.gz and .tgz, False for .tar; any other name is refused."""
    name = path.name.lower()
    if name.endswith((".tar.gz", ".tgz")):
        return True
    if name.endswith(".tar"):
        return False
    raise ValueError(f"{path.name}: the archive's name must end in .tar, .tar.gz or .tgz")


@dataclass(frozen=True)
class Digest:
    size: int
    sha256: str
    lines: int = 0


class _Hashing:
    """Counts and hashes the bytes that pass through, read or written."""

    def __init__(self, stream: IO[bytes]):
        self.stream = stream
        self.hash = hashlib.sha256()
        self.size = 0
        self.lines = 0

    def _see(self, data: bytes) -> bytes:
        self.hash.update(data)
        self.size += len(data)
        self.lines += data.count(b"\n")
        return data

    def read(self, n: int = -1) -> bytes:
        return self._see(self.stream.read(n))

    def write(self, data: bytes) -> int:
        self.stream.write(self._see(bytes(data)))
        return len(data)

    def flush(self) -> None:
        self.stream.flush()

    @property
    def digest(self) -> Digest:
        return Digest(self.size, self.hash.hexdigest(), self.lines)


def digest_of(stream: IO[bytes]) -> Digest:
    reader = _Hashing(stream)
    while reader.read(CHUNK):
        pass
    return reader.digest


class Writer:
    """Writes an archive to ``<path>.partial`` and renames it to ``path`` once complete.

    The file is created readable by its owner only: it holds every person's data and password
    hashes. ``abort`` removes the partial file, so a failed backup leaves nothing behind.
    """

    def __init__(self, path: Path, *, mtime: datetime):
        self.path = path
        self.partial = path.with_name(path.name + ".partial")
        self.mtime = int(mtime.timestamp())
        fd = os.open(self.partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self._raw = os.fdopen(fd, "wb")
        self._hashing = _Hashing(self._raw)
        self._gzip = (
            gzip.GzipFile(fileobj=self._hashing, mode="wb", compresslevel=6, mtime=self.mtime)
            if is_compressed(path)
            else None
        )
        # Kept open across calls on purpose: close() or abort() ends it.
        self._tar = tarfile.open(  # noqa: SIM115
            fileobj=self._gzip or self._hashing, mode="w|", format=tarfile.PAX_FORMAT
        )

    def _info(self, name: str, size: int) -> tarfile.TarInfo:
        info = tarfile.TarInfo(name)
        info.size = size
        info.mtime = self.mtime
        info.mode = 0o600
        return info

    def add_stream(self, name: str, stream: IO[bytes], size: int) -> Digest:
        """Copy exactly ``size`` bytes; a stream that is shorter or longer is an error."""
        reader = _Hashing(stream)
        self._tar.addfile(self._info(name, size), reader)
        if stream.read(1):
            raise OSError(f"{name} grew while it was being copied")
        return reader.digest

    def add_path(self, name: str, path: Path) -> Digest:
        with open(path, "rb") as stream:
            return self.add_stream(name, stream, path.stat().st_size)

    def add_bytes(self, name: str, data: bytes) -> Digest:
        return self.add_stream(name, io.BytesIO(data), len(data))

    def close(self) -> Digest:
        """Finish the archive, put it in place, and return its own size and SHA-256."""
        self._tar.close()
        if self._gzip is not None:
            self._gzip.close()
        self._raw.flush()
        os.fsync(self._raw.fileno())
        self._raw.close()
        os.replace(self.partial, self.path)
        return self._hashing.digest

    def abort(self) -> None:
        for closing in (self._tar, self._gzip, self._raw):
            try:
                if closing is not None:
                    closing.close()
            except (OSError, tarfile.TarError, ValueError):
                pass
        self.partial.unlink(missing_ok=True)


# ----- reading ------------------------------------------------------------------------------

_DAMAGED = (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile)


def _check_member_name(name: str) -> None:
    path = PurePosixPath(name)
    if (
        path.is_absolute()
        or ".." in path.parts
        or "\\" in name
        or not (name == MANIFEST or name.startswith((DATA_PREFIX, FILES_PREFIX)))
    ):
        raise ArchiveError(f"the archive holds an entry it should not: {name!r}")


def _members(path: Path) -> Iterator[tuple[str, IO[bytes]]]:
    """Each member's name and a stream of its bytes, in archive order (read it before the next)."""
    try:
        with open(path, "rb") as raw, tarfile.open(fileobj=raw, mode="r|*") as tar:
            for info in tar:
                if not info.isfile():
                    raise ArchiveError(f"the archive holds an entry it should not: {info.name!r}")
                _check_member_name(info.name)
                stream = tar.extractfile(info)
                assert stream is not None
                yield info.name, stream
    except FileNotFoundError as exc:
        raise ArchiveError(f"{path}: no such file") from exc
    except _DAMAGED as exc:
        raise ArchiveError(f"the archive is damaged or truncated ({exc})") from exc


def scan(path: Path) -> tuple[dict[str, Digest], bytes | None]:
    """One pass: every member's size, SHA-256 and line count, and the manifest's bytes."""
    digests: dict[str, Digest] = {}
    manifest: bytes | None = None
    try:
        for name, stream in _members(path):
            if name in digests or (name == MANIFEST and manifest is not None):
                raise ArchiveError(f"the archive holds {name!r} twice")
            if name == MANIFEST:
                manifest = stream.read(MAX_MANIFEST + 1)
                if len(manifest) > MAX_MANIFEST:
                    raise ArchiveError("the manifest is implausibly large")
            else:
                digests[name] = digest_of(stream)
    except _DAMAGED as exc:
        raise ArchiveError(f"the archive is damaged or truncated ({exc})") from exc
    return digests, manifest


def read_checked(path: Path, manifest: Manifest) -> Iterator[tuple[str, IO[bytes]]]:
    """Each data and file member, copied to a temporary file and checked against the manifest
    before it is handed over; the manifest itself is skipped. Raises ArchiveError on any
    difference, and if a listed member never comes."""
    expected = manifest.members()
    seen: set[str] = set()
    try:
        for name, stream in _members(path):
            if name == MANIFEST:
                continue
            want = expected.get(name)
            if want is None:
                raise ArchiveError(f"{name} is not listed in the manifest")
            with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as copy:
                got = _Hashing(copy)
                while got.write(stream.read(CHUNK)):
                    pass
                if (got.size, got.hash.hexdigest()) != (want.size, want.sha256):
                    raise ArchiveError(f"{name} differs from the manifest")
                copy.seek(0)
                seen.add(name)
                yield name, copy
    except _DAMAGED as exc:
        raise ArchiveError(f"the archive is damaged or truncated ({exc})") from exc
    missing = sorted(set(expected) - seen)
    if missing:
        raise ArchiveError(f"the archive lacks {len(missing)} listed entries, e.g. {missing[0]}")


# ----- the manifest -------------------------------------------------------------------------


@dataclass(frozen=True)
class ModelEntry:
    label: str
    rows: int
    member: str
    size: int
    sha256: str


@dataclass(frozen=True)
class FileEntry:
    name: str
    member: str
    size: int
    sha256: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Manifest:
    created_at: datetime
    database: str
    migrations: dict[str, list[str]]
    models: dict[str, ModelEntry]
    files: list[FileEntry]
    missing_files: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> bytes:
        document = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": self.created_at.isoformat(),
            "database": self.database,
            "migrations": self.migrations,
            "models": {
                e.label: {"rows": e.rows, "member": e.member, "size": e.size, "sha256": e.sha256}
                for e in self.models.values()
            },
            "files": [
                {
                    "name": f.name,
                    "member": f.member,
                    "size": f.size,
                    "sha256": f.sha256,
                    "fields": list(f.fields),
                }
                for f in self.files
            ],
            "missing_files": self.missing_files,
        }
        return json.dumps(document, ensure_ascii=False, indent=1).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        try:
            document = json.loads(data)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ArchiveError("the manifest is not valid JSON: the archive is damaged") from exc
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise ArchiveError("this is not a backup of the filing platform (unknown manifest)")
        version = document.get("version")
        if not isinstance(version, int) or version > VERSION:
            raise ArchiveError(
                f"the archive is in backup format {version!r}, newer than this version of the "
                f"platform reads ({VERSION}): restore it with the version that made it"
            )
        try:
            created_at = parse_datetime(document["created_at"])
            if created_at is None:
                raise ValueError("created_at")
            return cls(
                created_at=created_at,
                database=str(document["database"]),
                migrations={
                    str(app): [str(n) for n in names]
                    for app, names in document["migrations"].items()
                },
                models={
                    str(label): ModelEntry(
                        label=str(label),
                        rows=int(e["rows"]),
                        member=str(e["member"]),
                        size=int(e["size"]),
                        sha256=str(e["sha256"]),
                    )
                    for label, e in document["models"].items()
                },
                files=[
                    FileEntry(
                        name=str(f["name"]),
                        member=str(f["member"]),
                        size=int(f["size"]),
                        sha256=str(f["sha256"]),
                        fields=tuple(str(x) for x in f["fields"]),
                    )
                    for f in document["files"]
                ],
                missing_files=list(document.get("missing_files", [])),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ArchiveError(f"the manifest is incomplete ({exc!r})") from exc

    def members(self) -> dict[str, Digest]:
        listed = {e.member: Digest(e.size, e.sha256, e.rows) for e in self.models.values()}
        listed.update({f.member: Digest(f.size, f.sha256) for f in self.files})
        return listed

    def check(self, digests: dict[str, Digest]) -> None:
        """Every listed member present with its size and hash, each model's rows counted, no
        member unlisted. Raises ArchiveError naming the first problems."""
        problems = []
        for entry in self.models.values():
            if entry.member != data_member(entry.label):
                problems.append(f"{entry.label} is listed under {entry.member!r}")
        for entry in self.files:
            if entry.member != file_member(entry.name):
                problems.append(f"{entry.name} is listed under {entry.member!r}")
        listed = self.members()
        for member, want in sorted(listed.items()):
            got = digests.get(member)
            if got is None:
                problems.append(f"{member} is missing")
            elif (got.size, got.sha256) != (want.size, want.sha256):
                problems.append(f"{member} differs from the manifest (size or SHA-256)")
            elif member.startswith(DATA_PREFIX) and got.lines != want.lines:
                problems.append(f"{member} holds {got.lines} rows, the manifest says {want.lines}")
        problems += [
            f"{m} is not listed in the manifest" for m in sorted(set(digests) - set(listed))
        ]
        if problems:
            shown = "; ".join(problems[:10])
            more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
            raise ArchiveError(f"the archive does not match its manifest: {shown}{more}")

    @property
    def rows(self) -> int:
        return sum(e.rows for e in self.models.values())

    @property
    def file_bytes(self) -> int:
        return sum(f.size for f in self.files)


def read_manifest(path: Path) -> Manifest:
    """Check the whole archive against its manifest, in one pass, and return the manifest."""
    digests, data = scan(path)
    if data is None:
        raise ArchiveError(
            "the archive has no manifest: it is truncated, or was not made by manage.py backup"
        )
    manifest = Manifest.from_json(data)
    manifest.check(digests)
    return manifest
