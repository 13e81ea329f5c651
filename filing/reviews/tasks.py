from filing.celery import app
from filing.reviews.jobs import run_package_build


# Bound to the project's app, not to whichever app is "current" in the calling thread, so a
# build is always sent to the broker configured for this platform.
@app.task(name="reviews.build_package")
def build_package_task(build_id: int) -> None:
    run_package_build(build_id)
