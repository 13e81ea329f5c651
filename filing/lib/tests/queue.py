"""A real Celery worker consuming from Redis, as in production, for tests of background jobs.

Import the `redis_worker` fixture into a test module to use it; it skips without Redis, and on
SQLite (see the fixture).
"""

import uuid

import pytest
import redis
from django.db import connection

from filing.celery import app as celery_app

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
