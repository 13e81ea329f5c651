"""What a level sends up: the recommendation letter, the summary table and all materials.

The summary table's columns and their values come from the call definition (``summary_table``:
each column's ``value`` is an expression over the application), so no call is coded here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any, BinaryIO

from django.db.models import JSONField, OuterRef, Subquery
from django.utils import timezone, translation

from filing.applications import kept_pdf
from filing.applications.evaluation import Context, names_with_inputs
from filing.applications.models import Application, Submission
from filing.applications.printing import display
from filing.calls.models import CallVersion
from filing.calls.schema import SummaryColumn, SummaryTable
from filing.documents.letter import LetterData
from filing.documents.package import build_zip, folder_name
from filing.documents.summary import SummaryData
from filing.lib.expressions import bare_name, evaluate, referenced_names, wrap
from filing.reference.models import leaf_paths
from filing.reviews.constants import ReviewStatus
from filing.reviews.models import LevelList, Review
from filing.reviews.services import list_reviews, next_authority

STATUSES_SENT_UP = {ReviewStatus.RECOMMENDED, ReviewStatus.FORWARDED}
# Applications read at once when the summary table is built: each chunk brings its rows and
# files in two queries, and only one chunk is in memory at a time.
SUMMARY_CHUNK = 500


def ranked(lst: LevelList) -> list[Review]:
    return list(
        list_reviews(lst)
        .filter(status__in=STATUSES_SENT_UP)
        .select_related(
            "application",
            "application__call_version",
            "application__organisation",
            "application__organisation__city",
            "application__organisation__province",
            "application__organisation__zone",
        )
        .order_by("rank")
    )


def _cell(value: Any) -> str:
    if value is None or value is False:
        return ""
    if value is True:
        return "是"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# Names a summary column may read that belong to the review at the list's level, not to the
# application: they are looked up when the table is built.
REVIEW_NAMES = frozenset({"rank", "site_check", "level_opinion"})


def _kept(column: SummaryColumn) -> bool:
    """Whether a column's cell depends on the submitted content alone (never on the review, or
    on the day the table is built), so it can be worked out once, at submission."""
    return not (referenced_names(column.value) & REVIEW_NAMES) and "today" not in column.value


def table_key(table: SummaryTable, call_version_id: int) -> str:
    """What kept cells were worked out for: the columns and the call version read."""
    columns = [(c.key, c.value) for c in table.columns]
    text = json.dumps([call_version_id, columns], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class _Cells:
    """Works out the summary cells of applications of one call, sharing what they share: the
    parsed definition of each version, the catalogue's paths, the names the columns read."""

    def __init__(self, table: SummaryTable, today: date):
        self.table = table
        self.today = today
        self.paths = leaf_paths()
        self.site_checks = {k: str(v) for k, v in Review._meta.get_field("site_check").flatchoices}
        # Only the fields the columns read are put into words (display).
        self.wanted = frozenset().union(*(referenced_names(c.value) for c in table.columns))
        self.versions: dict[int, CallVersion] = {}

    def needs_rows(self, definition) -> bool:
        """Whether a column reads roster rows (a count of teams, say)."""
        rosters = {r.key for r in definition.rosters}
        return bool(names_with_inputs(definition, self.wanted) & rosters)

    def application_names(self, app, *, with_rows: bool) -> dict[str, Any]:
        # Applications of one version share its parsed definition (a large document).
        if app.call_version_id not in self.versions:
            self.versions[app.call_version_id] = app.call_version
        app.call_version = self.versions[app.call_version_id]
        ctx = Context.of(app, today=self.today, with_rows=with_rows, with_files=False)
        typed = ctx.typed(only=self.wanted)
        shown = {
            f.key: display(f, ctx.values.get(f.key), typed.get(f.key), self.paths)
            for f in app.definition.all_fields()
            if f.key in self.wanted
        }
        return {
            **typed,
            **shown,
            "track_title": app.track_title,
            "field_path": self.paths.get(app.field_code, ""),
        }

    def review_names(self, rank: int | None, site_check: str, opinion: str) -> dict[str, Any]:
        return {
            "rank": rank,
            "site_check": self.site_checks.get(site_check, site_check),
            "level_opinion": opinion,
        }

    def cell(self, column: SummaryColumn, names: dict[str, Any]) -> str:
        if (name := bare_name(column.value)) is not None:
            # As evaluate would answer for a bare name, without building its outcome.
            value = names.get(name)
            return "" if value in (None, "") else _cell(wrap(value))
        outcome = evaluate(column.value, names, today=self.today)
        return "" if outcome.missing else _cell(outcome.value)


def submission_cells(app: Application) -> dict[str, Any]:
    """The cells of the call's summary table that depend on the submitted content alone, worked
    out once when the version is submitted (kept on the Submission): a city's list of ten
    thousand then builds its table without reading any application's content again."""
    table = app.call.definition.summary_table
    if table is None:
        return {}
    kept = [c for c in table.columns if _kept(c)]
    cells = _Cells(table, timezone.localdate())
    with translation.override("zh-hans"):
        names = cells.application_names(app, with_rows=cells.needs_rows(app.definition))
        return {
            "table": table_key(table, app.call_version_id),
            "cells": {c.key: cells.cell(c, names) for c in kept},
        }


def summary_rows(lst: LevelList) -> list[list[str]]:
    """One row per recommended application, in rank order, each column evaluated from the
    definition.

    The cells that depend on the submitted content alone were worked out at submission and kept
    on the version (submission_cells); only the review's own (rank, site check, opinion) are
    looked up here. Applications without kept cells for this table (submitted before a new
    version of the call changed its columns) are worked out again, read in chunks with their
    rows: a few queries per chunk, never two per application.
    """
    table = lst.call.definition.summary_table
    cells = _Cells(table, timezone.localdate())
    latest = Submission.objects.filter(
        application=OuterRef("application"), withdrawn_at__isnull=True
    ).order_by("-number")
    # Plain tuples, not model instances: a list of ten thousand spends most of its time there.
    reviews = (
        list_reviews(lst)
        .filter(status__in=STATUSES_SENT_UP)
        .annotate(kept=Subquery(latest.values("summary_cells")[:1], output_field=JSONField()))
        .order_by("rank", "pk")
        .values_list(
            "application_id",
            "application__call_version_id",
            "rank",
            "site_check",
            "opinion",
            "kept",
        )
    )
    kept_columns = [_kept(c) for c in table.columns]
    # A column that reads the review (or the day) and the application together cannot come
    # from kept cells: then every row is worked out whole.
    mixed = any(
        not kept and referenced_names(c.value) - REVIEW_NAMES
        for c, kept in zip(table.columns, kept_columns, strict=True)
    )
    keys: dict[int, str] = {}
    rows: list[list[str]] = []
    stale: dict[int, tuple[dict[str, Any], int]] = {}  # application -> (review's names, row)
    for app_id, version_id, rank, site_check, opinion, kept in reviews.iterator(
        chunk_size=SUMMARY_CHUNK
    ):
        if version_id not in keys:
            keys[version_id] = table_key(table, version_id)
        names = cells.review_names(rank, site_check, opinion)
        kept = kept or {}
        if mixed or kept.get("table") != keys[version_id]:
            stale[app_id] = (names, len(rows))
            rows.append([])
            continue
        kept_cells = kept["cells"]
        rows.append(
            [
                kept_cells.get(c.key, "") if is_kept else cells.cell(c, names)
                for c, is_kept in zip(table.columns, kept_columns, strict=True)
            ]
        )
    if stale:
        _work_out(lst, cells, stale, rows)
    return rows


def _work_out(
    lst: LevelList,
    cells: _Cells,
    stale: dict[int, tuple[dict[str, Any], int]],
    rows: list[list[str]],
) -> None:
    """Every cell of the applications without kept cells, read in chunks with their rows."""
    definition = lst.call.definition
    apps = Application.objects.filter(pk__in=list(stale)).select_related(
        "organisation",
        "organisation__city",
        "organisation__province",
        "organisation__zone",
    )
    with_rows = cells.needs_rows(definition)
    if with_rows:
        apps = apps.prefetch_related("rows")
    for app in apps.iterator(chunk_size=SUMMARY_CHUNK):
        review_names, index = stale[app.pk]
        names = {**cells.application_names(app, with_rows=with_rows), **review_names}
        rows[index] = [cells.cell(c, names) for c in cells.table.columns]


def _date_text(when: date) -> str:
    return f"{when.year}年{when.month}月{when.day}日"


def summary_data(lst: LevelList, *, draft: bool) -> SummaryData | None:
    """The level's summary table, or None where the call has none at this level."""
    definition = lst.call.definition
    table = definition.summary_table
    if table is None or table.level != lst.level_key:
        return None
    with translation.override("zh-hans"):
        return SummaryData(
            title=table.title.zh,
            authority_name=lst.authority.name,
            call_title=definition.title.zh,
            document_number=definition.document_number or "",
            columns=[c.label.zh for c in table.columns],
            rows=summary_rows(lst),
            notes=list(table.notes),
            date_text=_date_text(timezone.localdate(lst.signed_off_at))
            if lst.signed_off_at
            else "",
            draft=not lst.signed_off_at,
        )


def letter_data(lst: LevelList) -> LetterData:
    definition = lst.call.definition
    reviews = ranked(lst)
    level_index = next(i for i, lvl in enumerate(definition.route) if lvl.key == lst.level_key)
    to_authority = ""
    if level_index + 1 < len(definition.route) and reviews:
        to_authority = next_authority(
            reviews[0].application, definition.route[level_index + 1]
        ).name
    commitment = next(
        (c for c in definition.commitments if c.by == "level" and c.level == lst.level_key), None
    )
    return LetterData(
        from_authority=lst.authority.name,
        to_authority=to_authority,
        call_title=definition.title.zh,
        call_document_number=definition.document_number or "",
        year=definition.year,
        spaces=[
            (r.rank or i, r.application.space_name, r.application.organisation.name)
            for i, r in enumerate(reviews, 1)
        ],
        date_text=_date_text(timezone.localdate(lst.signed_off_at)) if lst.signed_off_at else "",
        draft=not lst.signed_off_at,
        commitment_title=commitment.title.zh if commitment else "",
        commitment_text=commitment.text if commitment else "",
    )


def build_package(
    lst: LevelList, target: BinaryIO | str, progress: Callable[[int, int], None] | None = None
) -> int:
    """All materials as one ZIP: letter, table, and per application (in rank order, in folders
    named by rank and space name) its submitted 申报书 PDF and every file. Returns the count.

    Entries are produced one at a time while the archive is written, so only one application's
    申报书 is in memory at once; ``progress(done, total)`` is called after each application.
    """
    from filing.documents.letter import render_letter_pdf
    from filing.documents.summary import render_summary_xlsx

    reviews = ranked(lst)
    if not reviews:
        return 0
    total = len(reviews)

    def entries() -> Iterator[tuple[str, Any]]:
        yield "推荐函.pdf", render_letter_pdf(letter_data(lst))
        table = summary_data(lst, draft=not lst.signed_off_at)
        if table is not None:
            yield "推荐汇总表.xlsx", render_summary_xlsx(table)
        for i, review in enumerate(reviews, start=1):
            app = review.application
            folder = folder_name(review.rank or i, app.space_name, total=total)
            submission = app.submissions.filter(withdrawn_at__isnull=True).first()
            if submission is not None:
                yield f"{folder}/申报书.pdf", kept_pdf.submission_pdf(submission)
            for attachment in app.files.all().order_by("item", "pk"):
                with attachment.file.open("rb") as stream:
                    yield f"{folder}/附件/{attachment.item}_{attachment.original_name}", stream
            if progress is not None:
                progress(i, total)

    build_zip(entries(), target)
    return total
