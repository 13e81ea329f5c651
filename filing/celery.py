"""The task queue for long jobs (building big packages, sending mail).

With no broker configured (the default) every task runs inline, in the request that asked for
it, so one process is all a small installation needs. Set CELERY_BROKER_URL (e.g.
redis://127.0.0.1:6379/0) and run a worker (`celery -A filing worker`) to move jobs out of the
web servers.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "filing.settings")

app = Celery("filing")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
