"""`manage.py refresh_integrity_signals` rebuilds one call's signals (with the rounds feeding
it) or every call's, and refuses a code it does not know."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from filing.integrity.models import Fingerprint, Signal
from filing.integrity.tests.making import submitted


@pytest.fixture
def two_sharing(client, seed_calls, applicant, monkeypatch, django_capture_on_commit_callbacks):
    def made(n, name, **kwargs):
        return submitted(
            client, applicant, monkeypatch, django_capture_on_commit_callbacks,
            n=n, name=name, values={"ip_holder_count": "2"}, **kwargs,
        )  # fmt: skip

    a = made(1, "甲专业化众创空间")
    code = a.rows.get(roster="companies", position=1).values["credit_code"]
    b = made(2, "乙专业化众创空间", rows={("companies", 1): {"credit_code": code}})
    return a, b


def run(*args) -> str:
    out = StringIO()
    call_command("refresh_integrity_signals", *args, stdout=out)
    return out.getvalue()


def test_it_rebuilds_the_signals_of_a_rounds_national_call(two_sharing):
    a, b = two_sharing
    Signal.objects.all().delete()
    Fingerprint.objects.all().delete()
    output = run("--call", "guangdong-2020-rehearsal")
    assert output == "national-2020-4th-rehearsal: 2 signal(s)\n"
    assert sorted(Signal.objects.values_list("application_id", flat=True)) == sorted([a.pk, b.pk])


def test_without_a_code_it_goes_through_every_call(two_sharing):
    Signal.objects.all().delete()
    output = run()
    assert "national-2020-4th-rehearsal: 2 signal(s)" in output
    assert "hunan-2016-2: 0 signal(s)" in output
    assert Signal.objects.count() == 2


def test_an_unknown_code_is_refused(db):
    with pytest.raises(CommandError, match="no call with the code 'nope'"):
        run("--call", "nope")
