"""With a task queue, the e-mails of a step's notices are sent by a worker through Redis, as in
production: the step's request does not talk to the mail server. The worker is the
`redis_worker` fixture (filing/lib/tests/queue.py)."""

import threading
import time

import pytest
from django.core import mail

from filing.applications import services as applications
from filing.applications.tests.filling import start
from filing.notices.tests.backends import SENT_FROM
from filing.notices.tests.helpers import notices_of


@pytest.mark.django_db(transaction=True)
def test_a_worker_sends_the_e_mail_after_the_step_commits(
    client,
    seed_calls,
    applicant,
    redis_worker,
    settings,  # noqa: F811
):
    settings.EMAIL_BACKEND = "filing.notices.tests.backends.ThreadNotingBackend"
    mail.outbox = []
    SENT_FROM.clear()
    _org, filler, admin = applicant("440100")
    client.force_login(filler)
    app = start(client, "guangdong-2020-rehearsal", "professional", "广州测试专业化众创空间")
    applications.send_to_admin(app, actor=filler)
    [notice] = notices_of(admin)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        notice.refresh_from_db()
        if notice.emailed_at:
            break
        time.sleep(0.2)
    assert notice.emailed_at is not None
    assert [m.to for m in mail.outbox] == [[admin.email]]
    assert SENT_FROM and threading.current_thread().name not in SENT_FROM  # the worker's thread
