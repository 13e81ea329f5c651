"""For every seed call, a submitted application is taken up, checked, recommended, signed off
and forwarded by each level with the right role, and filed by the last level: it then appears
in the public filed list."""

import pytest
from django.urls import reverse

from filing.applications.constants import Status
from filing.applications.tests.filling import WebFiller, start
from filing.registry.models import FiledSpace
from filing.reviews.constants import ReviewStatus
from filing.reviews.tests.routing import walk

CASES = [
    ("guangdong-2020-rehearsal", "professional", "440100", None, ["gd-440100", "gd", "most"]),
    (
        "jiangsu-2020-rehearsal",
        "professional",
        "320100",
        None,
        ["js-320100", "js-startup-center", "most"],
    ),
    ("national-2020-4th-rehearsal", "professional", "440300", None, ["gd", "most"]),
    ("liaoning-2021-rehearsal", "maker_space", "210100", None, ["ln-210100", "ln"]),
    ("liaoning-2021-rehearsal", "professional", "210200", "ln-shenfu", ["ln-shenfu", "ln"]),
    (
        "hunan-2016-2-rehearsal",
        "maker_space",
        "430100",
        "hn-zone-changsha",
        ["hn-zone-changsha", "hn-productivity-center", "most-torch"],
    ),
]


def submitted(client, applicant, code, track, city, zone):
    org, filler, admin = applicant(city, zone)
    client.force_login(filler)
    app = start(client, code, track, "智能制造专业化众创空间")
    WebFiller(client, app).fill_everything()
    client.force_login(admin)
    client.post(reverse("applications:submit", args=[app.pk]))
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED
    return app


@pytest.mark.parametrize(("code", "track", "city", "zone", "holders"), CASES)
def test_the_route_runs_from_submission_to_the_filed_list(
    client, seed_calls, applicant, code, track, city, zone, holders
):
    app = submitted(client, applicant, code, track, city, zone)
    reviews = walk(client, app)
    assert [r.authority.code for r in reviews] == holders
    assert [r.status for r in reviews[:-1]] == [ReviewStatus.FORWARDED] * (len(holders) - 1)
    assert reviews[-1].status == ReviewStatus.FILED
    app.refresh_from_db()
    assert app.status == Status.FILED
    assert all(r.site_check == "checked" for r in reviews)
    client.logout()
    page = client.get(reverse("registry:list"), {"q": app.space_name}).content.decode()
    assert app.space_name in page
    entry = FiledSpace.objects.get(application=app)
    assert entry.operator_name == app.organisation.name
    assert client.get(reverse("registry:detail", args=[entry.pk])).status_code == 200


def check_packages(client, app, reviews, django_capture_on_commit_callbacks) -> None:
    """Each level that forwarded: the letter names the space, the summary table (where the call
    has one at that level) has exactly the annex's columns with the space in it, and the ZIP
    holds its 申报书 and files in the rank-1 folder."""
    import io
    import zipfile

    import openpyxl

    from filing.applications.tests.filling import pdf_text
    from filing.reviews.models import PackageBuild
    from filing.reviews.tests.routing import staff

    definition = app.definition
    for review in reviews[:-1]:
        code, level = app.call.code, review.level_key
        client.force_login(staff(review.authority, "reviewer"))
        letter = "".join(
            "".join(p.split())
            for p in pdf_text(
                client.get(reverse("reviews:letter", args=[code, level, "pdf"])).content
            )
        )
        assert app.space_name in letter, (level, letter[:300])
        assert client.get(reverse("reviews:letter", args=[code, level, "docx"])).status_code == 200
        table = definition.summary_table
        summary = client.get(reverse("reviews:summary", args=[code, level, "xlsx"]))
        if table is not None and table.level == level:
            sheet = openpyxl.load_workbook(io.BytesIO(summary.content)).worksheets[0]
            rows = [[c.value for c in row] for row in sheet.iter_rows()]
            labels = [c.label.zh for c in table.columns]
            header_at = next(i for i, row in enumerate(rows) if row[: len(labels)] == labels)
            assert len([v for v in rows[header_at] if v]) == len(labels)
            assert any(app.space_name in (v or "") for r in rows[header_at + 1 :] for v in r)
        else:
            assert summary.status_code == 404
        with django_capture_on_commit_callbacks(execute=True):
            started = client.post(reverse("reviews:package", args=[code, level]))
        build = PackageBuild.objects.get(pk=int(started["Location"].rstrip("/").split("/")[-1]))
        assert build.status == "done"
        response = client.get(reverse("reviews:package_download", args=[build.pk]))
        names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
        assert "推荐函.pdf" in names
        assert f"01_{app.space_name}/申报书.pdf" in names
        files = [n for n in names if n.startswith(f"01_{app.space_name}/附件/")]
        assert len(files) == app.files.count()


@pytest.mark.parametrize(("code", "track", "city", "zone", "holders"), CASES)
def test_each_level_sends_up_its_letter_table_and_materials(
    client,
    seed_calls,
    applicant,
    django_capture_on_commit_callbacks,
    code,
    track,
    city,
    zone,
    holders,
):
    app = submitted(client, applicant, code, track, city, zone)
    reviews = walk(client, app)
    check_packages(client, app, reviews, django_capture_on_commit_callbacks)
