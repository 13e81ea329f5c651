"""Refreshes follow marks: a submission leaves one in its own transaction, and one refresh takes
every mark of the family, so submissions that pile up while a refresh runs are served together.
A failed refresh keeps the marks; with a task queue a worker does the refresh."""

import threading
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from filing.integrity import services, tasks
from filing.integrity.constants import SignalKind
from filing.integrity.models import Fingerprint, PendingRefresh, Signal
from filing.integrity.services import refresh_call_signals, refresh_pending
from filing.integrity.tests.making import make_application, submit
from filing.lib.tests.queue import redis_worker  # noqa: F401

GD_VALUES = {"ip_holder_count": "2"}


def snapshot():
    return sorted((s.application_id, s.kind, s.key, s.others, s.data) for s in Signal.objects.all())


def submit_without_refresh(client, capture, app, admin):
    """Submit through the page; what runs after the commit is held back, as when the refresh
    asked for waits behind another or sits in the queue."""
    client.force_login(admin)
    with capture():
        response = client.post(reverse("applications:submit", args=[app.pk]))
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == "submitted"


@pytest.fixture
def two_sharing_a_company(client, seed_calls, applicant, monkeypatch):
    a, _filler, admin_a = make_application(
        client, applicant, monkeypatch, n=1, name="甲专业化众创空间", values=GD_VALUES
    )
    company = a.rows.get(roster="companies", position=1).values["credit_code"]
    b, _filler, admin_b = make_application(
        client, applicant, monkeypatch, n=2, name="乙专业化众创空间", values=GD_VALUES,
        rows={("companies", 2): {"credit_code": company}},
    )  # fmt: skip
    return (a, admin_a), (b, admin_b)


def test_one_refresh_takes_the_marks_of_every_submission_waiting(
    client, two_sharing_a_company, django_capture_on_commit_callbacks
):
    for app, admin in two_sharing_a_company:
        submit_without_refresh(client, django_capture_on_commit_callbacks, app, admin)
    (a, _), (b, _) = two_sharing_a_company
    root = a.call.feeds_id or a.call_id
    assert sorted(PendingRefresh.objects.values_list("application_id", flat=True)) == [a.pk, b.pk]
    assert not Signal.objects.exists() and not Fingerprint.objects.exists()

    assert refresh_pending(root) == 2
    assert refresh_pending(root) == 0  # the refresh asked for by the second submission
    assert not PendingRefresh.objects.exists()
    assert [s.others for s in Signal.objects.filter(application=a)] == [[b.pk]]
    assert [s.others for s in Signal.objects.filter(application=b)] == [[a.pk]]
    assert Signal.objects.get(application=a).kind == SignalKind.SHARED_COMPANY
    served_together = snapshot()
    refresh_call_signals(a.call)
    assert snapshot() == served_together


def test_a_failed_refresh_keeps_the_marks_and_the_submission(
    client, two_sharing_a_company, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    (a, admin_a), (b, admin_b) = two_sharing_a_company
    with monkeypatch.context() as m:
        m.setattr(services, "_write_fingerprints", broken)
        client.force_login(admin_a)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("applications:submit", args=[a.pk]))
        assert response.status_code == 302
        a.refresh_from_db()
        assert a.status == "submitted"  # the refresh failed after the commit, out of sight
        assert list(PendingRefresh.objects.values_list("application_id", flat=True)) == [a.pk]
        assert not Fingerprint.objects.exists()
    # The next refresh (here: the next submission's) takes the mark left behind as well.
    client.force_login(admin_b)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("applications:submit", args=[b.pk]))
    assert not PendingRefresh.objects.exists()
    assert [s.others for s in Signal.objects.filter(application=a)] == [[b.pk]]


def test_a_full_refresh_leaves_no_mark(
    client, two_sharing_a_company, django_capture_on_commit_callbacks
):
    (a, admin_a), _b = two_sharing_a_company
    submit_without_refresh(client, django_capture_on_commit_callbacks, a, admin_a)
    refresh_call_signals(a.call)
    assert not PendingRefresh.objects.exists()
    assert Fingerprint.objects.filter(application=a).exists()


@pytest.mark.django_db(transaction=True)
def test_with_a_task_queue_a_worker_refreshes_after_the_submission_commits(
    client,
    two_sharing_a_company,
    redis_worker,  # noqa: F811
    monkeypatch,
):
    ran_in: list[str] = []

    def noting(root_pk):
        ran_in.append(threading.current_thread().name)
        return refresh_pending(root_pk)

    monkeypatch.setattr(tasks, "refresh_pending", noting)
    (a, admin_a), (b, admin_b) = two_sharing_a_company
    for app, admin in ((a, admin_a), (b, admin_b)):
        client.force_login(admin)
        assert client.post(reverse("applications:submit", args=[app.pk])).status_code == 302
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and PendingRefresh.objects.exists():
        time.sleep(0.2)
    assert not PendingRefresh.objects.exists()
    assert [s.others for s in Signal.objects.filter(application=a)] == [[b.pk]]
    assert ran_in and threading.current_thread().name not in ran_in


def test_an_application_that_leaves_without_signals_is_not_matched_by_a_later_submission(
    client, seed_calls, applicant, monkeypatch, django_capture_on_commit_callbacks
):
    """A refresh that follows submissions alone does not look for what left: leaving marks the
    family whenever the application had fingerprints, not only signals."""
    capture = django_capture_on_commit_callbacks
    a, _filler, admin_a = make_application(
        client, applicant, monkeypatch, n=1, name="甲专业化众创空间", values=GD_VALUES
    )
    submit(client, capture, a, admin_a)
    assert Fingerprint.objects.filter(application=a).exists()
    assert not Signal.objects.exists()  # nothing shared yet
    client.force_login(admin_a)
    with capture(execute=True):
        client.post(reverse("applications:withdraw", args=[a.pk]), {"reason": "补充材料"})
    a.refresh_from_db()
    assert a.status == "draft"
    assert not Fingerprint.objects.filter(application=a).exists()
    assert not PendingRefresh.objects.exists()

    company = a.rows.get(roster="companies", position=1).values["credit_code"]
    b, _filler, admin_b = make_application(
        client, applicant, monkeypatch, n=2, name="乙专业化众创空间", values=GD_VALUES,
        rows={("companies", 2): {"credit_code": company}},
    )  # fmt: skip
    submit(client, capture, b, admin_b)
    assert not Signal.objects.filter(kind=SignalKind.SHARED_COMPANY).exists()


def test_a_refresh_after_submissions_alone_skips_looking_for_departures(
    client, two_sharing_a_company, django_capture_on_commit_callbacks
):
    (a, admin_a), (b, admin_b) = two_sharing_a_company
    submit_without_refresh(client, django_capture_on_commit_callbacks, a, admin_a)
    root = a.call.feeds_id or a.call_id
    with CaptureQueriesContext(connection) as captured:
        refresh_pending(root)
    submissions_only = list(captured.captured_queries)  # read now: the log is a bounded deque
    submit_without_refresh(client, django_capture_on_commit_callbacks, b, admin_b)
    services.mark_for_refresh(a.call)  # as a departure leaves it
    with CaptureQueriesContext(connection) as captured:
        refresh_pending(root)
    with_a_departure = list(captured.captured_queries)

    def looked_for_departures(queries) -> bool:
        return any(
            q["sql"].startswith('DELETE FROM "integrity_fingerprint"') and "NOT" in q["sql"]
            for q in queries
        )

    assert not looked_for_departures(submissions_only)
    assert looked_for_departures(with_a_departure)
    assert [s.others for s in Signal.objects.filter(application=a)] == [[b.pk]]
