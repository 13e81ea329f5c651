"""A submitted application arrives at its level: the first one, or the one that returned it."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from filing.applications.signals import application_submitted
from filing.reviews.constants import ReviewStatus
from filing.reviews.models import Review
from filing.reviews.package import submission_cells
from filing.reviews.services import receive
from filing.reviews.workbench import choices_changed


@receiver(application_submitted)
def on_submitted(sender, application, submission, actor, now, **kwargs):
    returned = Review.objects.filter(application=application, status=ReviewStatus.RETURNED).first()
    if returned is not None:
        receive(
            application, level_index=returned.level_index, authority=returned.authority, now=now
        )
    else:
        receive(application, level_index=0, authority=application.first_level, now=now)
    application.review_comment = ""
    application.resubmit_by = None
    application.save(update_fields=["review_comment", "resubmit_by"])
    submission.summary_cells = submission_cells(application)
    submission.save(update_fields=["summary_cells"])


@receiver(post_save, sender=Review)
def on_review_added(sender, instance, created, **kwargs):
    """A new review may bring a call or a city to a workbench's filters: now, for this
    transaction's own reads, and again once committed, for everyone else's."""
    if created:
        choices_changed()
        transaction.on_commit(choices_changed)
