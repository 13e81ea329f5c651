from filing.celery import app
from filing.integrity.services import refresh_pending


@app.task(name="integrity.refresh_pending")
def refresh_pending_task(root_pk: int) -> int:
    return refresh_pending(root_pk)
