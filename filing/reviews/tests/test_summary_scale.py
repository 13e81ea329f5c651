"""The summary table of a long list: its rows come in rank order with every column filled, and
building it costs the same number of queries for two applications as for forty (they are read
in chunks with their rows and files, never one query per application)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from filing.applications.models import Application, RosterRow
from filing.reviews import package
from filing.reviews.models import LevelList, Review
from filing.reviews.package import summary_data
from filing.reviews.tests.test_package import recommended_pair

CODE = "guangdong-2020-rehearsal"


def _copies(review: Review, count: int) -> None:
    """`count` more recommended applications like the reviewed one, ranked after it."""
    rows = list(review.application.rows.all())
    for n in range(count):
        app = Application.objects.get(pk=review.application_id)
        app.pk = None
        app.space_name = f"复制{n}专业化众创空间"
        app.values = {**app.values, "space_name": app.space_name}
        app.save()
        RosterRow.objects.bulk_create(
            [
                RosterRow(
                    application=app,
                    roster=r.roster,
                    position=r.position,
                    values=r.values,
                    name=f"{r.name}{n}",
                )
                for r in rows
            ]
        )
        copy = Review.objects.get(pk=review.pk)
        copy.pk = None
        copy.application = app
        copy.rank = 10 + n
        copy.save()


def _summary(lst: LevelList):
    with CaptureQueriesContext(connection) as queries:
        data = summary_data(lst, draft=True)
    return data, len(queries)


def test_forty_applications_cost_no_more_queries_than_two(client, seed_calls, applicant):
    reviews = recommended_pair(
        client,
        applicant,
        CODE,
        "professional",
        "440100",
        None,
        ["甲专业化众创空间", "乙专业化众创空间"],
    )
    lst = LevelList.objects.get(call__code=CODE, level_key="city")
    _summary(lst)  # the high-tech catalogue's answers are kept from the first time on
    small, small_queries = _summary(lst)
    assert [row[1] for row in small.rows] == ["乙专业化众创空间", "甲专业化众创空间"]

    _copies(reviews[0], 38)
    large, large_queries = _summary(lst)
    assert len(large.rows) == 40
    assert large_queries == small_queries
    assert [row[0] for row in large.rows] == ["1", "2", *[str(10 + n) for n in range(38)]]
    assert large.rows[2][1] == "复制0专业化众创空间"
    # A copy prints like its original, column for column, apart from rank and name.
    original = next(row for row in large.rows if row[1] == "甲专业化众创空间")
    assert large.rows[2][2:] == original[2:]


def test_chunks_keep_the_rank_order(client, seed_calls, applicant, monkeypatch):
    reviews = recommended_pair(
        client,
        applicant,
        CODE,
        "professional",
        "440100",
        None,
        ["甲专业化众创空间", "乙专业化众创空间"],
    )
    _copies(reviews[0], 11)
    lst = LevelList.objects.get(call__code=CODE, level_key="city")
    whole, _n = _summary(lst)
    monkeypatch.setattr(package, "SUMMARY_CHUNK", 4)
    chunked, _n = _summary(lst)
    assert chunked.rows == whole.rows
    assert [int(row[0]) for row in chunked.rows] == sorted(int(row[0]) for row in chunked.rows)
