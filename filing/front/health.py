"""/health/: whether this app server can reach what it needs, for a load balancer or monitor.

Answers 200 when every check passes and 503 otherwise, as JSON with one word per check, and
says nothing else about the installation.
"""

from __future__ import annotations

import logging
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not keep a value")
    cache.delete(key)


def _storage() -> None:
    name = default_storage.save(f"health/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name, "rb") as handle:
            if handle.read() != b"ok":
                raise RuntimeError("storage returned other bytes")
    finally:
        default_storage.delete(name)


def _broker() -> None:
    from filing.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def checks() -> dict[str, callable]:
    found = {"database": _database, "cache": _cache, "storage": _storage}
    if settings.CELERY_BROKER_URL:
        found["queue"] = _broker
    return found


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    results: dict[str, str] = {}
    started = time.monotonic()
    for name, check in checks().items():
        try:
            check()
        except Exception:
            logger.exception("health check %s failed", name)
            results[name] = "failing"
        else:
            results[name] = "ok"
    healthy = all(value == "ok" for value in results.values())
    body = {
        "status": "ok" if healthy else "failing",
        "checks": results,
        "ms": round((time.monotonic() - started) * 1000),
    }
    return JsonResponse(body, status=200 if healthy else 503)
