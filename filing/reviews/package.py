"""What a level sends up: the recommendation letter, the summary table and all materials.

The summary table's columns and their values come from the call definition (``summary_table``:
each column's ``value`` is an expression over the application), so no call is coded here.
"""

from __future__ import annotations

from datetime import date
from typing import Any, BinaryIO

from django.utils import timezone, translation

from filing.applications.evaluation import Context
from filing.applications.printable import Printable
from filing.applications.printing import display
from filing.documents.letter import LetterData
from filing.documents.package import build_zip, folder_name
from filing.documents.pdf import render_pdf
from filing.documents.summary import SummaryData
from filing.lib.expressions import evaluate
from filing.reference.models import HighTechField
from filing.reviews.constants import ReviewStatus
from filing.reviews.models import LevelList, Review
from filing.reviews.services import list_reviews, next_authority


def ranked(lst: LevelList) -> list[Review]:
    statuses = {ReviewStatus.RECOMMENDED, ReviewStatus.FORWARDED}
    return list(
        list_reviews(lst)
        .filter(status__in=statuses)
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


def summary_rows(lst: LevelList, reviews: list[Review]) -> list[list[str]]:
    """One row per recommended application, each column evaluated from the definition."""
    table = lst.call.definition.summary_table
    paths = dict(HighTechField.objects.filter(is_leaf=True).values_list("code", "path"))
    rows = []
    for review in reviews:
        app = review.application
        ctx = Context.of(app)
        typed = ctx.typed()
        shown = {
            f.key: display(f, ctx.values.get(f.key), typed.get(f.key), paths)
            for f in app.definition.all_fields()
        }
        names = {
            **typed,
            **shown,
            "rank": review.rank,
            "track_title": app.track_title,
            "field_path": paths.get(app.field_code, ""),
            "site_check": review.get_site_check_display(),
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
        reviews = ranked(lst)
        return SummaryData(
            title=table.title.zh,
            authority_name=lst.authority.name,
            call_title=definition.title.zh,
            document_number=definition.document_number or "",
            columns=[c.label.zh for c in table.columns],
            rows=summary_rows(lst, reviews),
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


def build_package(lst: LevelList, target: BinaryIO | str) -> int:
    """All materials as one ZIP: letter, table, and per application (in rank order, in folders
    named by rank and space name) its submitted 申报书 PDF and every file. Returns the count."""
    from filing.documents.letter import render_letter_pdf
    from filing.documents.summary import render_summary_xlsx

    reviews = ranked(lst)
    if not reviews:
        return 0
    entries: list[tuple[str, Any]] = [("推荐函.pdf", render_letter_pdf(letter_data(lst)))]
    table = summary_data(lst, draft=not lst.signed_off_at)
    if table is not None:
        entries.append(("推荐汇总表.xlsx", render_summary_xlsx(table)))
    total = len(reviews)
    for i, review in enumerate(reviews, start=1):
        app = review.application
        folder = folder_name(review.rank or i, app.space_name, total=total)
        submission = app.submissions.filter(withdrawn_at__isnull=True).first()
        if submission is not None:
            printable = Printable.from_dict(submission.content["printable"])
            entries.append((f"{folder}/申报书.pdf", render_pdf(printable)))
        for attachment in app.files.all().order_by("item", "pk"):
            entries.append(
                (
                    f"{folder}/附件/{attachment.item}_{attachment.original_name}",
                    attachment.file.open("rb"),
                )
            )
    build_zip(entries, target)
    return total
