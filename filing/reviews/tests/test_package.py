"""What a level sends up: the letter lists the recommended spaces in rank order; the summary
table has exactly the columns of the call's annex, in rank order; the ZIP holds every
application's 申报书 and files in folders named by rank and space name."""

import io
import zipfile

import openpyxl
from django.urls import reverse

from filing.applications.tests.filling import WebFiller, pdf_text, start
from filing.reviews.models import PackageBuild, Review
from filing.reviews.tests.routing import staff

HUNAN_COLUMNS = [
    "众创空间名称",
    "运营管理主体",
    "地址",
    "成立时间",
    "机构性质（事业、国有企业、民营企业等）",
    "负责人",
    "联系人",
    "办公电话",
    "手机",
    "传真",
    "电子邮件",
    "是否在国家高新区（请注明所在高新区名称）",
    "是否在国家级科技企业孵化器或大学科技园（请注明所在机构名称）",
]


def recommended_pair(client, applicant, code, track, city, zone, names):
    reviews = []
    for n, name in enumerate(names, start=1):
        org, filler, admin = applicant(city, zone, n=n)
        client.force_login(filler)
        app = start(client, code, track, name)
        WebFiller(client, app).fill_everything()
        client.force_login(admin)
        client.post(reverse("applications:submit", args=[app.pk]))
        reviews.append(Review.objects.get(application=app))
    reviewer = staff(reviews[0].authority, "reviewer")
    client.force_login(reviewer)
    for review in reviews:
        client.post(reverse("reviews:take_up", args=[review.pk]))
        client.post(
            reverse("reviews:save", args=[review.pk]),
            {
                "site_check": "checked",
                "site_check_date": "2026-11-20",
                "site_check_inspectors": "王五",
            },
        )
        client.post(reverse("reviews:decide", args=[review.pk]), {"decision": "recommend"})
    # Put the second one first.
    client.post(
        reverse("reviews:rank", args=[code, reviews[0].level_key]),
        {f"rank_{reviews[0].pk}": "2", f"rank_{reviews[1].pk}": "1"},
    )
    client.force_login(staff(reviews[0].authority, "leader"))
    client.post(reverse("reviews:sign_off", args=[code, reviews[0].level_key]))
    return reviews


def test_hunans_summary_has_its_thirteen_columns_in_rank_order(client, seed_calls, applicant):
    code = "hunan-2016-2-rehearsal"
    recommended_pair(
        client,
        applicant,
        code,
        "maker_space",
        "430100",
        "hn-zone-changsha",
        ["甲众创空间", "乙众创空间"],
    )
    content = client.get(reverse("reviews:summary", args=[code, "city", "xlsx"])).content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header_at = next(i for i, row in enumerate(rows) if row[: len(HUNAN_COLUMNS)] == HUNAN_COLUMNS)
    assert len([v for v in rows[header_at] if v]) == 13
    body = [r for r in rows[header_at + 1 :] if r[0] in {"甲众创空间", "乙众创空间"}]
    assert [r[0] for r in body] == ["乙众创空间", "甲众创空间"]
    assert any(
        "长沙高新技术产业开发区管理委员会（盖章）" in str(v)
        for row in rows[:header_at]
        for v in row
        if v
    )
    docx = client.get(reverse("reviews:summary", args=[code, "city", "docx"]))
    assert docx.status_code == 200


def test_guangdongs_table_reports_the_site_check(client, seed_calls, applicant):
    code = "guangdong-2020-rehearsal"
    recommended_pair(
        client,
        applicant,
        code,
        "professional",
        "440100",
        None,
        ["甲专业化众创空间", "乙专业化众创空间"],
    )
    content = client.get(reverse("reviews:summary", args=[code, "city", "xlsx"])).content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(row for row in rows if row and "众创空间名称" in row)
    check_column = next(i for i, v in enumerate(header) if v and "核查" in v)
    body = [
        r
        for r in rows
        if r and r[header.index("众创空间名称")] in {"甲专业化众创空间", "乙专业化众创空间"}
    ]
    assert [r[check_column] for r in body] == ["已核查", "已核查"]


def test_the_letter_lists_the_spaces_in_rank_order_and_jiangsu_adds_its_commitment(
    client, seed_calls, applicant
):
    code = "jiangsu-2020-rehearsal"
    recommended_pair(
        client,
        applicant,
        code,
        "professional",
        "320100",
        None,
        ["甲专业化众创空间", "乙专业化众创空间"],
    )
    pages = pdf_text(client.get(reverse("reviews:letter", args=[code, "city", "pdf"])).content)
    text = "".join("".join(p.split()) for p in pages)
    assert text.index("乙专业化众创空间") < text.index("甲专业化众创空间")
    assert "苏科高发〔2020〕174号" in text
    assert "江苏省高新技术创业服务中心" in text  # sent to the receiving unit
    assert "主管部门信用承诺书" in text
    assert "草稿" not in text  # signed off
    assert (
        client.get(reverse("reviews:summary", args=[code, "city", "xlsx"])).status_code == 404
    )  # no annex


def test_the_zip_holds_each_application_in_a_folder_by_rank(
    client, seed_calls, applicant, django_capture_on_commit_callbacks
):
    code = "liaoning-2021-rehearsal"
    recommended_pair(
        client, applicant, code, "maker_space", "210100", None, ["甲众创空间", "乙众创空间"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse("reviews:package", args=[code, "city"]))
    assert started.status_code == 302
    build = PackageBuild.objects.get()
    assert started["Location"] == reverse("reviews:package_build", args=[build.pk])
    # No broker in tests: the task ran inline, so the build is done when the page is shown.
    page = client.get(started["Location"]).content.decode()
    assert reverse("reviews:package_download", args=[build.pk]) in page
    assert "hx-trigger" not in page
    build.refresh_from_db()
    assert (build.status, build.done, build.total) == ("done", 2, 2)
    response = client.get(reverse("reviews:package_download", args=[build.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = archive.namelist()
    assert "推荐函.pdf" in names and "推荐汇总表.xlsx" in names
    assert "01_乙众创空间/申报书.pdf" in names
    assert "02_甲众创空间/申报书.pdf" in names
    assert any(n.startswith("01_乙众创空间/附件/") for n in names)


def test_another_authority_gets_only_its_own_list(
    client, seed_calls, applicant, django_capture_on_commit_callbacks
):
    code = "liaoning-2021-rehearsal"
    recommended_pair(
        client, applicant, code, "maker_space", "210100", None, ["甲众创空间", "乙众创空间"]
    )
    from filing.orgs.models import Authority

    client.force_login(staff(Authority.objects.get(code="ln-210200"), "reviewer"))
    response = client.post(reverse("reviews:package", args=[code, "city"]), follow=True)
    assert "名单中没有拟推荐的申报" in response.content.decode()
    # Nor can it open or download the other city's build.
    client.force_login(staff(Authority.objects.get(code="ln-210100"), "reviewer"))
    client.post(reverse("reviews:package", args=[code, "city"]))
    build = PackageBuild.objects.get()
    client.force_login(staff(Authority.objects.get(code="ln-210200"), "reviewer"))
    assert client.get(reverse("reviews:package_build", args=[build.pk])).status_code == 404
    assert client.get(reverse("reviews:package_download", args=[build.pk])).status_code == 404


def test_a_build_in_progress_shows_a_polling_bar_and_is_not_started_twice(
    client, seed_calls, applicant
):
    """Without running the queued task (as when a worker has not picked it up yet)."""
    code = "liaoning-2021-rehearsal"
    recommended_pair(
        client, applicant, code, "maker_space", "210100", None, ["甲众创空间", "乙众创空间"]
    )
    first = client.post(reverse("reviews:package", args=[code, "city"]))
    again = client.post(reverse("reviews:package", args=[code, "city"]))
    assert first["Location"] == again["Location"]
    build = PackageBuild.objects.get()
    assert build.status == "queued" and build.total == 2
    page = client.get(first["Location"]).content.decode()
    assert 'hx-trigger="every 1s"' in page and "排队中" in page
    assert reverse("reviews:package_download", args=[build.pk]) not in page
    assert client.get(reverse("reviews:package_download", args=[build.pk])).status_code == 404
    # htmx asks for the bar alone.
    partial = client.get(first["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert partial.startswith('<div id="package-progress"')

    from filing.reviews.jobs import run_package_build

    run_package_build(build.pk)
    build.refresh_from_db()
    assert build.status == "done" and build.percent == 100 and build.size > 0


def test_a_failed_build_says_so(client, seed_calls, applicant, monkeypatch):
    code = "liaoning-2021-rehearsal"
    recommended_pair(
        client, applicant, code, "maker_space", "210100", None, ["甲众创空间", "乙众创空间"]
    )
    client.post(reverse("reviews:package", args=[code, "city"]))
    build = PackageBuild.objects.get()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("filing.reviews.package.build_package", broken)
    from filing.reviews.jobs import run_package_build

    run_package_build(build.pk)
    page = client.get(reverse("reviews:package_build", args=[build.pk])).content.decode()
    assert "打包失败" in page
