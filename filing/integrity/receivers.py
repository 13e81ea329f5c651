"""Signals follow submissions: refreshed after an application is submitted, and after one that
took part leaves the reviewers' hands (withdrawn, returned for revision).

Each leaves a mark in the change's own transaction; the refresh runs after the commit, queued
when there is a task queue (services.mark_for_refresh; a failure is logged, never undoes or hides
the submission, and leaves the marks for the next refresh; `manage.py refresh_integrity_signals`
recomputes everything).
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from filing.applications.models import Application
from filing.applications.signals import application_submitted
from filing.integrity.constants import COUNTED
from filing.integrity.models import Fingerprint, Signal
from filing.integrity.services import mark_for_refresh


@receiver(application_submitted)
def on_submitted(sender, application, **kwargs):
    mark_for_refresh(application.call, application)


@receiver(post_save, sender=Application)
def on_status_saved(sender, instance, created=False, update_fields=None, **kwargs):
    if created or not update_fields or "status" not in update_fields:
        return
    if instance.status in COUNTED:
        return
    # Cross-application signals are symmetric: an application named in another's signal has
    # one of its own. Its fingerprints must go too, or a later submission would match them:
    # a refresh after submissions alone does not look for what left.
    if (
        Signal.objects.filter(application=instance).exists()
        or Fingerprint.objects.filter(application=instance).exists()
    ):
        mark_for_refresh(instance.call)
