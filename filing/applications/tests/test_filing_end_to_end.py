"""For every seed call and track, an application is filled through the web pages, sent by the
filler to the organisation admin, submitted by the admin to the right first level, frozen as a
version, and printed as Word and PDF with every value and roster row in it."""

import pytest
from django.urls import reverse

from filing.applications.constants import Status
from filing.applications.tests.filling import WebFiller, docx_text, pdf_text, start


def squash(text: str) -> str:
    return "".join(text.split())


CASES = [
    # (rehearsal call, track, applicant's city, zone, expected first level)
    ("guangdong-2020-rehearsal", "professional", "440100", None, "gd-440100"),
    ("jiangsu-2020-rehearsal", "professional", "320100", None, "js-320100"),
    ("national-2020-4th-rehearsal", "professional", "440300", None, "gd"),
    ("liaoning-2021-rehearsal", "maker_space", "210100", None, "ln-210100"),
    ("liaoning-2021-rehearsal", "professional", "210200", "ln-shenfu", "ln-shenfu"),
    ("hunan-2016-2-rehearsal", "maker_space", "430100", "hn-zone-changsha", "hn-zone-changsha"),
    ("hunan-2016-2-rehearsal", "maker_space", "430200", None, "hn-430200"),
]


@pytest.mark.parametrize(("code", "track", "city", "zone", "first_level"), CASES)
def test_an_application_is_filled_submitted_and_printed(
    client, seed_calls, applicant, code, track, city, zone, first_level
):
    org, filler, admin = applicant(city, zone)
    client.force_login(filler)
    app = start(client, code, track, "智能制造专业化众创空间")
    filler_web = WebFiller(client, app)
    texts, names = filler_web.fill_everything()

    check = client.get(reverse("applications:check", args=[app.pk])).content.decode()
    assert "必填内容、名单和附件均已齐全" in check, check[
        check.find("problems") : check.find("problems") + 3000
    ]

    # A filler cannot submit to the authority; they send it to their admin.
    assert client.post(reverse("applications:submit", args=[app.pk])).status_code == 302
    app.refresh_from_db()
    assert app.status == Status.DRAFT
    client.post(reverse("applications:send_to_admin", args=[app.pk]))
    app.refresh_from_db()
    assert app.status == Status.AWAITING_APPROVAL

    client.force_login(admin)
    response = client.post(reverse("applications:submit", args=[app.pk]))
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED, [m.message for m in response.wsgi_request._messages]
    assert app.first_level.code == first_level
    submission = app.submissions.get()
    assert submission.content["values"] == app.values

    pages = pdf_text(client.get(reverse("applications:print_pdf", args=[app.pk])).content)
    whole = squash("".join(pages))
    for key, value in texts.items():
        assert squash(value)[:40] in whole, key
    for name in names:
        assert squash(name) in whole
    assert all(submission.verification_code in page for page in pages)
    assert not any("草稿" in page for page in pages)

    words = docx_text(client.get(reverse("applications:print_docx", args=[app.pk])).content)
    for name in names:
        assert name in words
    assert submission.verification_code in words
