"""Reading and doctoring archives in tests: damaged, truncated, or rewritten consistently."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from collections.abc import Callable
from pathlib import Path

from filing.backups.archive import DATA_PREFIX, MANIFEST


def members(path: Path) -> dict[str, bytes]:
    """Every member's bytes, in archive order (test archives are small)."""
    with tarfile.open(path, "r:*") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}


def manifest(path: Path) -> dict:
    return json.loads(members(path)[MANIFEST])


def write(path: Path, content: dict[str, bytes]) -> Path:
    mode = "w:gz" if path.name.endswith(".gz") else "w"
    with tarfile.open(path, mode, format=tarfile.PAX_FORMAT) as tar:
        for name, data in content.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def rewrite(
    src: Path,
    dst: Path,
    edit: Callable[[str, bytes], bytes],
    *,
    refresh_manifest: bool = False,
) -> Path:
    """Copy an archive, passing each member through ``edit``. With ``refresh_manifest`` the
    manifest is made to match the edited members, so only the content is wrong, not the hashes:
    what a bug or a bad disk before the backup could produce."""
    content = {name: edit(name, data) for name, data in members(src).items()}
    if refresh_manifest:
        document = json.loads(content[MANIFEST])
        entries = list(document["models"].values()) + document["files"]
        for entry in entries:
            data = content[entry["member"]]
            entry["size"] = len(data)
            entry["sha256"] = hashlib.sha256(data).hexdigest()
            if entry["member"].startswith(DATA_PREFIX):
                entry["rows"] = data.count(b"\n")
        content[MANIFEST] = json.dumps(document).encode()
    return write(dst, content)


def edit_manifest(src: Path, dst: Path, change: Callable[[dict], None]) -> Path:
    def edit(name: str, data: bytes) -> bytes:
        if name != MANIFEST:
            return data
        document = json.loads(data)
        change(document)
        return json.dumps(document).encode()

    return rewrite(src, dst, edit)
