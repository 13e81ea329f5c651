"""A submitted version's 申报书 PDF is drawn once and kept: later downloads, by anyone, are the
kept copy; a copy cut short is drawn again; drafts are drawn afresh every time; with a task
queue the worker draws it as soon as the version is submitted."""

import time
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from filing.applications import kept_pdf
from filing.applications.constants import Status
from filing.applications.tests.filling import pdf_text
from filing.documents import pdf
from filing.reviews.models import Review
from filing.reviews.tests.routing import staff
from filing.reviews.tests.test_review_guards import submit


@pytest.fixture
def draws(monkeypatch) -> list[bool]:
    """Every PDF drawn, as whether it was a draft."""
    drawn: list[bool] = []
    real = pdf.render_pdf

    def counted(printable, *args, **kwargs):
        drawn.append(printable.draft)
        return real(printable, *args, **kwargs)

    monkeypatch.setattr(pdf, "render_pdf", counted)
    return drawn


@pytest.fixture
def submitted(client, seed_calls, applicant):
    app, filler, admin = submit(client, applicant)
    return app, app.submissions.get(), filler, admin


def test_a_version_is_drawn_once_whoever_downloads_it(client, submitted, draws):
    app, version, filler, admin = submitted
    client.force_login(admin)
    first = client.get(reverse("applications:submission_pdf", args=[app.pk, 1])).content
    assert default_storage.exists(kept_pdf.kept_name(version))
    again = client.get(reverse("applications:print_pdf", args=[app.pk])).content
    client.force_login(staff(Review.objects.get(application=app).authority, "reviewer"))
    reviewer = client.get(reverse("applications:submission_pdf", args=[app.pk, 1])).content
    assert draws == [False]
    assert first == again == reviewer
    assert any(version.verification_code in page for page in pdf_text(first))


def test_a_kept_copy_cut_short_is_drawn_again(client, submitted, draws):
    app, version, filler, admin = submitted
    name = kept_pdf.kept_name(version)
    whole = kept_pdf.submission_pdf(version)
    default_storage.delete(name)
    default_storage.save(name, ContentFile(whole[: len(whole) // 2]))
    client.force_login(admin)
    served = client.get(reverse("applications:submission_pdf", args=[app.pk, 1])).content
    assert served.rstrip().endswith(b"%%EOF")
    assert len(draws) == 2
    assert any(version.verification_code in page for page in pdf_text(served))


def test_a_returned_application_prints_its_draft_not_the_kept_copy(client, submitted, draws):
    app, version, filler, admin = submitted
    client.force_login(admin)
    client.get(reverse("applications:print_pdf", args=[app.pk]))
    review = Review.objects.get(application=app)
    client.force_login(staff(review.authority, "reviewer"))
    client.post(reverse("reviews:take_up", args=[review.pk]))
    by = (timezone.localdate() + timedelta(days=30)).isoformat()
    client.post(
        reverse("reviews:return", args=[review.pk]), {"reasons": "请补充材料", "resubmit_by": by}
    )
    app.refresh_from_db()
    assert app.status == Status.RETURNED
    client.force_login(filler)
    for _ in range(2):
        pages = pdf_text(client.get(reverse("applications:print_pdf", args=[app.pk])).content)
        assert all("草稿" in page for page in pages)
        assert not any(version.verification_code in page for page in pages)
    assert draws == [False, True, True]
    # The version itself still downloads as it was submitted.
    kept = client.get(reverse("applications:submission_pdf", args=[app.pk, 1])).content
    assert any(version.verification_code in page for page in pdf_text(kept))
    assert len(draws) == 3


def test_run_inline_the_submission_does_not_wait_for_the_pdf(submitted):
    app, version, *_ = submitted
    assert not default_storage.exists(kept_pdf.kept_name(version))


def whole(name: str) -> bool:
    if not default_storage.exists(name):
        return False
    with default_storage.open(name, "rb") as handle:
        return handle.read().rstrip().endswith(b"%%EOF")


@pytest.mark.django_db(transaction=True)
def test_a_worker_draws_the_pdf_as_soon_as_the_version_is_submitted(
    client, seed_calls, applicant, redis_worker
):
    app, filler, admin = submit(client, applicant)
    version = app.submissions.get()
    name = kept_pdf.kept_name(version)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not whole(name):
        time.sleep(0.3)
    assert whole(name), "the worker did not draw the PDF"
    client.force_login(admin)
    served = client.get(reverse("applications:submission_pdf", args=[app.pk, 1])).content
    with default_storage.open(name, "rb") as handle:
        assert served == handle.read()
