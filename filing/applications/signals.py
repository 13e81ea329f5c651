"""Signals other apps listen to, so that filing does not import what comes after it."""

from django.dispatch import Signal

# Sent inside the submitting transaction with application=, submission=, actor=, now=.
application_submitted = Signal()
