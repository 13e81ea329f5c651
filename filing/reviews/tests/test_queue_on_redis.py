"""The materials ZIP built by a real Celery worker through Redis, as in production: the page
answers at once with a queued build, the worker builds it, the page then offers the download."""

import time
import uuid

import pytest
import redis
from django.db import connection
from django.urls import reverse

from filing.celery import app as celery_app
from filing.reviews.models import PackageBuild
from filing.reviews.tests.test_package import recommended_pair

BROKER = "redis://127.0.0.1:6379/14"


def redis_reachable() -> bool:
    try:
        redis.Redis.from_url(BROKER, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False
    return True


def _use_broker(url: str | None, **conf) -> None:
    """Point the app at a broker, forgetting the producers made for another one (even an inline
    task takes a producer, so one for the default broker may already be cached). The pools stay
    open: kombu shares them process-wide by address, and later tests take them again."""
    celery_app.conf.update(broker_url=url, **conf)
    celery_app._pool = None
    celery_app.__dict__.pop("amqp", None)


@pytest.fixture
def redis_worker(settings):
    """A worker thread consuming from Redis; tasks are no longer run inline. The queue has a name
    of its own, so no other worker on the same Redis takes this run's tasks."""
    if not redis_reachable():
        pytest.skip("no Redis on 127.0.0.1:6379")
    if connection.vendor == "sqlite":
        # The in-memory test database is shared between threads with table locks that a second
        # writer does not wait for; production runs workers on PostgreSQL (the suite's second run).
        pytest.skip("a worker thread needs PostgreSQL")
    from celery.contrib.testing.worker import start_worker

    previous = {key: celery_app.conf.get(key) for key in ("broker_url", "task_always_eager")}
    settings.CELERY_BROKER_URL = BROKER
    _use_broker(
        BROKER,
        task_always_eager=False,
        result_backend=None,
        task_default_queue=f"filing-test-{uuid.uuid4().hex}",
    )
    celery_app.set_current()
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
            yield
    finally:
        _use_broker(previous["broker_url"], task_always_eager=previous["task_always_eager"])
        celery_app.conf.task_default_queue = "celery"


@pytest.mark.django_db(transaction=True)
def test_a_worker_builds_the_package_through_redis(client, seed_calls, applicant, redis_worker):
    code = "liaoning-2021-rehearsal"
    recommended_pair(
        client, applicant, code, "maker_space", "210100", None, ["甲众创空间", "乙众创空间"]
    )
    started = client.post(reverse("reviews:package", args=[code, "city"]))
    build = PackageBuild.objects.get()
    # The request did not build it: a worker does, a moment later.
    assert build.status in {"queued", "running"}
    assert started["Location"] == reverse("reviews:package_build", args=[build.pk])
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        build.refresh_from_db()
        if build.status in {"done", "failed"}:
            break
        time.sleep(0.5)
    assert build.status == "done", build.error
    assert (build.done, build.total) == (2, 2)
    page = client.get(started["Location"]).content.decode()
    assert reverse("reviews:package_download", args=[build.pk]) in page
    download = client.get(reverse("reviews:package_download", args=[build.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"
