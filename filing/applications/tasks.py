from filing.applications.kept_pdf import draw_ahead
from filing.celery import app


@app.task(name="applications.draw_pdf")
def draw_pdf_task(submission_id: int) -> None:
    draw_ahead(submission_id)
