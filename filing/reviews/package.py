"""What a level sends up: the recommendation letter, the summary table and all materials.

The summary table's columns and their values come from the call definition (``summary_table``:
each column's ``value`` is an expression over the application), so no call is coded here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any, BinaryIO

from django.utils import timezone, translation

from filing.applications.evaluation import Context, names_with_inputs
from filing.applications.printable import Printable
from filing.applications.printing import display
from filing.calls.models import CallVersion
from filing.documents.letter import LetterData
from filing.documents.package import build_zip, folder_name
from filing.documents.pdf import render_pdf
from filing.documents.summary import SummaryData
from filing.lib.expressions import evaluate, referenced_names
from filing.reference.models import HighTechField
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


def summary_rows(lst: LevelList) -> list[list[str]]:
    """One row per recommended application, in rank order, each column evaluated from the
    definition.

    A city's list can hold thousands: the applications are read in chunks with their rows and
    files (a few queries per chunk, not two per application), and they share one parsed
    definition per version instead of each loading and parsing its own.
    """
    table = lst.call.definition.summary_table
    paths = dict(HighTechField.objects.filter(is_leaf=True).values_list("code", "path"))
    # Only the fields the columns read are put into words (display); the others are not shown.
    wanted = frozenset().union(*(referenced_names(c.value) for c in table.columns))
    # Roster rows are read only where a column needs them (a count of teams, say).
    definition = lst.call.definition
    needs_rows = bool(names_with_inputs(definition, wanted) & {r.key for r in definition.rosters})
    versions: dict[int, CallVersion] = {}
    reviews = (
        list_reviews(lst)
        .filter(status__in=STATUSES_SENT_UP)
        .select_related(
            "application",
            "application__organisation",
            "application__organisation__city",
            "application__organisation__province",
            "application__organisation__zone",
        )
        .order_by("rank", "pk")
    )
    if needs_rows:
        reviews = reviews.prefetch_related("application__rows")
    today = timezone.localdate()
    site_checks = {k: str(v) for k, v in Review._meta.get_field("site_check").flatchoices}
    rows = []
    for review in reviews.iterator(chunk_size=SUMMARY_CHUNK):
        app = review.application
        if app.call_version_id not in versions:
            versions[app.call_version_id] = CallVersion.objects.get(pk=app.call_version_id)
        app.call_version = versions[app.call_version_id]
        ctx = Context.of(app, today=today, with_rows=needs_rows, with_files=False)
        typed = ctx.typed(only=wanted)
        shown = {
            f.key: display(f, ctx.values.get(f.key), typed.get(f.key), paths)
            for f in app.definition.all_fields()
            if f.key in wanted
        }
        names = {
            **typed,
            **shown,
            "rank": review.rank,
            "track_title": app.track_title,
            "field_path": paths.get(app.field_code, ""),
            "site_check": site_checks.get(review.site_check, review.site_check),
            "level_opinion": review.opinion,
        }
        row = []
        for column in table.columns:
            outcome = evaluate(column.value, names, today=ctx.today)
            row.append(_cell(outcome.value) if not outcome.missing else "")
        rows.append(row)
    return rows


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
                printable = Printable.from_dict(submission.content["printable"])
                yield f"{folder}/申报书.pdf", render_pdf(printable)
            for attachment in app.files.all().order_by("item", "pk"):
                with attachment.file.open("rb") as stream:
                    yield f"{folder}/附件/{attachment.item}_{attachment.original_name}", stream
            if progress is not None:
                progress(i, total)

    build_zip(entries(), target)
    return total
