"""The summary table of a long list: its rows come in rank order with every column filled, and
building it costs the same number of queries for two applications as for forty. The cells that
depend on the submitted content are kept on each version at submission; applications without
them (submitted before the call's columns changed) are worked out again, read in chunks with
their rows, never one query per application, and give the same cells."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from filing.applications.models import Application, RosterRow, Submission
from filing.reviews import package
from filing.reviews.models import LevelList, Review
from filing.reviews.package import submission_cells, summary_data
from filing.reviews.tests.test_package import recommended_pair

CODE = "guangdong-2020-rehearsal"


def _copies(review: Review, count: int, *, kept: bool) -> None:
    """`count` more recommended applications like the reviewed one, ranked after it; with
    `kept`, each with a submitted version holding its summary cells, as a submission makes."""
    rows = list(review.application.rows.all())
    version = review.application.submissions.get()
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
        if kept:
            copy_version = Submission.objects.get(pk=version.pk)
            copy_version.pk = None
            copy_version.application = app
            copy_version.verification_code = f"COPY-{n:04d}-{app.pk:04d}"
            copy_version.summary_cells = submission_cells(app)
            copy_version.save()
        copy = Review.objects.get(pk=review.pk)
        copy.pk = None
        copy.application = app
        copy.rank = 10 + n
        copy.save()


def _summary(lst: LevelList):
    with CaptureQueriesContext(connection) as queries:
        data = summary_data(lst, draft=True)
    return data, len(queries)


@pytest.fixture
def pair(client, seed_calls, applicant):
    return recommended_pair(
        client,
        applicant,
        CODE,
        "professional",
        "440100",
        None,
        ["甲专业化众创空间", "乙专业化众创空间"],
    )


def _forget_kept_cells() -> None:
    Submission.objects.update(summary_cells={})


def _check_copies(large) -> None:
    assert len(large.rows) == 40
    assert [row[0] for row in large.rows] == ["1", "2", *[str(10 + n) for n in range(38)]]
    assert large.rows[2][1] == "复制0专业化众创空间"
    # A copy prints like its original, column for column, apart from rank and name.
    original = next(row for row in large.rows if row[1] == "甲专业化众创空间")
    assert large.rows[2][2:] == original[2:]


def test_a_submission_keeps_its_cells_of_the_summary_table(pair):
    version = pair[0].application.submissions.get()
    assert set(version.summary_cells) == {"table", "cells"}
    # The rank and the site check belong to the review, not to the version: never kept.
    assert "rank" not in version.summary_cells["cells"]
    assert "site_check" not in version.summary_cells["cells"]
    assert version.summary_cells["cells"]["space_name"] == "甲专业化众创空间"


def test_forty_applications_cost_no_more_queries_than_two(pair):
    lst = LevelList.objects.get(call__code=CODE, level_key="city")
    _summary(lst)  # the high-tech catalogue's answers are kept from the first time on
    small, small_queries = _summary(lst)
    assert [row[1] for row in small.rows] == ["乙专业化众创空间", "甲专业化众创空间"]
    # Taken from the reviews after submission: the rank and the site check.
    assert [row[0] for row in small.rows] == ["1", "2"]
    assert all(row[-1] == "已核查" for row in small.rows)

    _copies(pair[0], 38, kept=True)
    large, large_queries = _summary(lst)
    assert large_queries == small_queries
    _check_copies(large)


def test_without_kept_cells_the_table_is_worked_out_the_same(pair):
    lst = LevelList.objects.get(call__code=CODE, level_key="city")
    _copies(pair[0], 38, kept=True)
    kept, _n = _summary(lst)
    _forget_kept_cells()
    worked_out, _n = _summary(lst)
    assert worked_out.rows == kept.rows


def test_without_kept_cells_forty_cost_no_more_queries_than_two(pair):
    _forget_kept_cells()
    lst = LevelList.objects.get(call__code=CODE, level_key="city")
    _summary(lst)
    small, small_queries = _summary(lst)
    assert [row[1] for row in small.rows] == ["乙专业化众创空间", "甲专业化众创空间"]
    _copies(pair[0], 38, kept=False)
    large, large_queries = _summary(lst)
    assert large_queries == small_queries
    _check_copies(large)


def test_cells_kept_for_other_columns_are_not_used(pair):
    """A new version of the call may change the columns: cells kept for the old ones are
    worked out again."""
    version = pair[0].application.submissions.get()
    version.summary_cells = {"table": "other-columns", "cells": {"space_name": "旧名称"}}
    version.save()
    lst = LevelList.objects.get(call__code=CODE, level_key="city")
    data, _n = _summary(lst)
    assert [row[1] for row in data.rows] == ["乙专业化众创空间", "甲专业化众创空间"]


@pytest.mark.parametrize("kept", [True, False])
def test_chunks_keep_the_rank_order(pair, monkeypatch, kept):
    _copies(pair[0], 11, kept=kept)
    if not kept:
        _forget_kept_cells()
    lst = LevelList.objects.get(call__code=CODE, level_key="city")
    whole, _n = _summary(lst)
    monkeypatch.setattr(package, "SUMMARY_CHUNK", 4)
    chunked, _n = _summary(lst)
    assert chunked.rows == whole.rows
    assert [int(row[0]) for row in chunked.rows] == sorted(int(row[0]) for row in chunked.rows)


def test_a_column_reading_the_review_and_the_application_together(pair):
    """Such a column cannot come from kept cells: its rows are worked out whole."""
    lst = LevelList.objects.select_related("call").get(call__code=CODE, level_key="city")
    definition = lst.call.definition
    table = definition.summary_table
    both = table.columns[0].model_copy(
        update={"key": "first_name", "value": "space_name if rank == 1 else ''"}
    )
    patched = definition.model_copy(
        update={"summary_table": table.model_copy(update={"columns": [*table.columns, both]})}
    )
    lst.call.__dict__["definition"] = patched  # as if the call's current version said so
    for review in pair:
        app = review.application
        app.call.__dict__["definition"] = patched
        version = app.submissions.get()
        version.summary_cells = submission_cells(app)
        version.save()
        assert "first_name" not in version.summary_cells["cells"]
    rows = package.summary_rows(lst)
    assert [row[-1] for row in rows] == ["乙专业化众创空间", ""]
