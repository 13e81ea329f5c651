"""/health/ answers for the database, cache, file storage and (when configured) the queue."""

from django.urls import reverse


def test_healthy(client, db):
    response = client.get(reverse("front:health"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "cache": "ok", "storage": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")


def test_an_unreachable_queue_fails_the_check(client, db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    from filing.celery import app

    app.conf.broker_url = settings.CELERY_BROKER_URL
    try:
        response = client.get(reverse("front:health"))
    finally:
        app.conf.broker_url = None
    assert response.status_code == 503
    assert response.json()["checks"]["queue"] == "failing"


def test_unwritable_storage_fails_the_check(client, db, settings, tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where a folder should be")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(blocked)},
        },
    }
    response = client.get(reverse("front:health"))
    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == "failing"


def test_a_reachable_redis_queue_passes(client, db, settings):
    import pytest
    import redis

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.CELERY_BROKER_URL = url
    from filing.celery import app

    app.conf.broker_url = url
    try:
        response = client.get(reverse("front:health"))
    finally:
        app.conf.broker_url = None
    assert response.status_code == 200
    assert response.json()["checks"]["queue"] == "ok"
