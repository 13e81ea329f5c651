from filing.celery import app
from filing.notices.services import deliver


@app.task(name="notices.deliver")
def deliver_task(notice_ids: list[int]) -> None:
    deliver(notice_ids)
