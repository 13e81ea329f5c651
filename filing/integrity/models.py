"""Integrity signals (诚信提示): what reviewers should look at twice.

The notices warn against false filings (弄虚作假). Within one call — a national call together with
the provincial rounds that feed it — the same resident company, team, mentor or evidence file
should not turn up in several applications, and the numbers an application declares should agree
with its rosters. A Signal says so to reviewers; it is a hint, never a verdict, and applicants
never see it.

Signals are derived data, rebuilt by services.refresh_call_signals: cross-application ones for a
whole call at once, grouped in the database from Fingerprints (what each submitted application's
roster rows identify) and from the files' SHA-256.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from filing.integrity.constants import SignalKind


class Fingerprint(models.Model):
    """One roster row of a submitted application, reduced to what identifies it across
    applications: a company's credit code, or a team's or mentor's name with its number."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="fingerprints"
    )
    # The root of the call's family: the national call for its provincial rounds.
    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=SignalKind.choices)
    key = models.CharField(max_length=300)
    roster = models.CharField(max_length=60)
    position = models.PositiveIntegerField()
    label = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("名单行标识")
        verbose_name_plural = _("名单行标识")
        indexes = [models.Index(fields=["call", "kind", "key"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"


class Signal(models.Model):
    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="integrity_signals"
    )
    # The root of the call's family, as for Fingerprint.
    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("类型"), max_length=20, choices=SignalKind.choices)
    # What is shared or wrong: the credit code, "name|number" of a team or mentor, the file's
    # SHA-256, or the declared field's key ("rule:<key>" for a consistency rule of the call).
    key = models.CharField(_("标识"), max_length=300)
    # Where it is in this application (rows, files, numbers) — never anything of the others, so
    # the same signal can be shown to reviewers of any area.
    data = models.JSONField(default=dict)
    # The ids of the other applications with the same key (empty for a count mismatch).
    others = models.JSONField(default=list)
    found_at = models.DateTimeField(_("发现时间"))

    class Meta:
        ordering = ["kind", "key"]
        verbose_name = _("诚信提示")
        verbose_name_plural = _("诚信提示")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind", "key"], name="one_signal_per_application_and_key"
            )
        ]
        indexes = [models.Index(fields=["call", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key}"


class PendingRefresh(models.Model):
    """A change the family's signals do not reflect yet: an application just submitted, or (no
    application) one that left the reviewers' hands. Written in the same transaction as the
    change, so it cannot be lost; the next refresh of the family takes and deletes every mark,
    however many arrived while another refresh ran."""

    # The root of the call's family, as for Fingerprint.
    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("待更新的诚信提示")
        verbose_name_plural = _("待更新的诚信提示")
        indexes = [models.Index(fields=["call"])]

    def __str__(self) -> str:
        return f"{self.call_id}: {self.application_id or '-'}"
