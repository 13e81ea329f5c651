"""Stored files that nothing refers to any more, left by a process that died mid-change.

A service deletes what it stored when its change fails (filing/lib/stored.py), but a server
killed between writing an upload's bytes and committing its row leaves the bytes behind. This
sweep lists every file under the folders the platform writes, keeps those a row names (any
FileField of any model) and the kept PDFs of existing versions, and removes the rest once they
are old enough that no upload can still be on its way to its commit.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.apps import apps
from django.core.files.storage import default_storage
from django.utils import timezone

from filing.backups.database import file_references

# The folders of default storage the platform writes into (upload_to of every FileField, and
# the kept PDFs); anything else in the store is left alone.
FOLDERS = ["applications", "objections", "packages", "printed"]


@dataclass
class Sweep:
    examined: int = 0
    orphans: list[str] = field(default_factory=list)
    too_young: int = 0


def _walk(folder: str) -> Iterator[str]:
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _walk(f"{folder}/{sub}")


def referenced() -> set[str]:
    """Every stored name a row refers to, and the kept PDF of every submitted version."""
    from filing.applications.kept_pdf import kept_name
    from filing.applications.models import Submission

    names = {
        name for model in apps.get_models() for _field, name in file_references(model, "default")
    }
    versions = Submission.objects.only("application_id", "number", "verification_code")
    names.update(kept_name(v) for v in versions.iterator(chunk_size=2000))
    return names


def sweep(*, older_than: timedelta, remove: bool, now: datetime | None = None) -> Sweep:
    """Find (and with `remove`, delete) stored files no row refers to, older than `older_than`."""
    now = now or timezone.now()
    known = referenced()
    result = Sweep()
    for folder in FOLDERS:
        for name in _walk(folder):
            result.examined += 1
            if name in known:
                continue
            if default_storage.get_modified_time(name) > now - older_than:
                result.too_young += 1
                continue
            result.orphans.append(name)
            if remove:
                default_storage.delete(name)
    return result
