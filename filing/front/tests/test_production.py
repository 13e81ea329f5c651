"""What production relies on: request ids in responses and logs, JSON log lines, the settings
that switch to Redis and object storage, and the gunicorn configuration."""

import io
import json
import logging
import logging.config
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from filing.lib.request_id import RequestIdMiddleware

ROOT = Path(__file__).resolve().parents[3]


def test_every_response_carries_a_request_id(client, db):
    first = client.get(reverse("front:health"))
    second = client.get(reverse("front:health"))
    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]
    given = client.get(reverse("front:health"), HTTP_X_REQUEST_ID="proxy-abc.123")
    assert given["X-Request-ID"] == "proxy-abc.123"
    hostile = client.get(reverse("front:health"), HTTP_X_REQUEST_ID="a b\n<script>")
    assert hostile["X-Request-ID"] != "a b\n<script>" and len(hostile["X-Request-ID"]) == 32


def test_json_log_lines_carry_the_request_id():
    stream = io.StringIO()
    config = json.loads(json.dumps(settings.LOGGING, default=str))
    config["formatters"]["json"] = dict(settings.LOGGING["formatters"]["json"])
    config["handlers"] = {
        "test": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]}
    }
    config["root"] = {"handlers": [], "level": "INFO"}
    config["loggers"] = {"filing.test": {"handlers": ["test"], "level": "INFO"}}
    logging.config.dictConfig(config)
    logging.getLogger("filing.test").handlers[0].stream = stream
    try:

        def view(request):
            logging.getLogger("filing.test").info("收到申报 %s", 7)
            return HttpResponse("ok")

        request = RequestFactory().get("/", HTTP_X_REQUEST_ID="req-42")
        RequestIdMiddleware(view)(request)
    finally:
        logging.config.dictConfig(settings.LOGGING)
    line = json.loads(stream.getvalue().strip().splitlines()[-1])
    assert line["request_id"] == "req-42"
    assert line["message"] == "收到申报 7" and line["level"] == "INFO"


def _settings_with(**env) -> dict:
    """Import the settings module in a fresh interpreter with the given environment."""
    code = (
        "import json, filing.settings as s;"
        "print(json.dumps({'cache': s.CACHES['default']['BACKEND'],"
        "'storage': s.STORAGES['default']['BACKEND'],"
        "'options': {k: v for k, v in s.STORAGES['default']['OPTIONS'].items() if 'key' not in k},"
        "'eager': s.CELERY_TASK_ALWAYS_EAGER, 'hsts': s.SECURE_HSTS_SECONDS}, default=str))"
    )
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    environment.update(env)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_defaults_need_no_services():
    found = _settings_with()
    assert found["cache"].endswith("LocMemCache")
    assert found["storage"].endswith("FileSystemStorage")
    assert found["eager"] is True
    assert found["hsts"] == 31536000


def test_production_services_by_setting():
    found = _settings_with(
        REDIS_URL="redis://127.0.0.1:6379/1",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/2",
        S3_BUCKET="filing-files",
        S3_ENDPOINT_URL="http://127.0.0.1:9000",
        S3_ACCESS_KEY="key",
        S3_SECRET_KEY="secret",
    )
    assert found["cache"].endswith("RedisCache")
    assert found["storage"] == "storages.backends.s3.S3Storage"
    assert found["options"]["bucket_name"] == "filing-files"
    assert found["options"]["default_acl"] == "private"
    assert found["eager"] is False


def test_the_gunicorn_configuration_loads():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "deploy/gunicorn.conf.py",
            "--check-config",
            "filing.wsgi",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "GUNICORN_WORKERS": "2"},
    )
    assert result.returncode == 0, result.stderr + result.stdout
