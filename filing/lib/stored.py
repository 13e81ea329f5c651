"""Files written while a database change is under way go again if the change does not happen.

A service stores an upload's bytes, then writes the row that names them; if anything after the
write fails (a constraint, the audit record, a lost connection), the transaction rolls back and
the bytes would stay in storage with nothing pointing at them. A service decorated with
`removes_files_on_failure` that stores through `save` has those files deleted when it raises.
A process killed in between cannot clean up after itself: the `remove_orphan_files` command
sweeps what such a crash leaves.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from django.db.models.fields.files import FieldFile

logger = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])

_written: ContextVar[list[tuple[Any, str]] | None] = ContextVar("files_written", default=None)


def save(field_file: FieldFile, name: str, content) -> None:
    """Store `content` in the field's storage (not yet saving the row), remembering it."""
    field_file.save(name, content, save=False)
    written = _written.get()
    if written is not None:
        written.append((field_file.storage, field_file.name))


def removes_files_on_failure(function: F) -> F:
    """The files `function` stored through `save` are deleted if it raises."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        outer = _written.get()
        written: list[tuple[Any, str]] = []
        token = _written.set(written)
        try:
            result = function(*args, **kwargs)
        except BaseException:
            for storage, name in written:
                try:
                    storage.delete(name)
                except Exception:  # noqa: BLE001 - the original error matters more
                    logger.exception("could not remove %s after a failed change", name)
            raise
        finally:
            _written.reset(token)
        if outer is not None:  # an enclosing service may still fail: its files now
            outer.extend(written)
        return result

    return wrapper  # type: ignore[return-value]
