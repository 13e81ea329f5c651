"""The materials ZIP built by a real Celery worker through Redis, as in production: the page
answers at once with a queued build, the worker builds it, the page then offers the download.
The worker is the `redis_worker` fixture (filing/lib/tests/queue.py)."""

import time

import pytest
from django.urls import reverse

from filing.reviews.models import PackageBuild
from filing.reviews.tests.test_package import recommended_pair


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
