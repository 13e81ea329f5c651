"""Signals follow submissions: refreshed after an application is submitted, and after one that
took part leaves the reviewers' hands (withdrawn, returned for revision).

Both run after the transaction commits (robust: a failure is logged and never undoes or hides
the submission; `manage.py refresh_integrity_signals` recomputes everything).
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from filing.applications.models import Application
from filing.applications.signals import application_submitted
from filing.integrity.constants import COUNTED
from filing.integrity.models import Signal
from filing.integrity.services import refresh_after_leaving, refresh_after_submission


@receiver(application_submitted)
def on_submitted(sender, application, **kwargs):
    transaction.on_commit(partial(refresh_after_submission, application.pk), robust=True)


@receiver(post_save, sender=Application)
def on_status_saved(sender, instance, created=False, update_fields=None, **kwargs):
    if created or not update_fields or "status" not in update_fields:
        return
    if instance.status in COUNTED:
        return
    # Cross-application signals are symmetric: an application named in another's signal has
    # one of its own, so this finds every case where leaving changes something.
    if Signal.objects.filter(application=instance).exists():
        transaction.on_commit(partial(refresh_after_leaving, instance.call_id), robust=True)
