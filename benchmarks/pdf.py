"""The 申报书 PDF of an application with a 200-row roster.

A submitted version is drawn once and kept (filing/applications/kept_pdf.py): what a download
costs is reading the kept copy, measured by `kept_pdf.submission_pdf` of a version whose copy
is kept. Drawing it, `render_pdf` (filing/documents/pdf.py) of the documents' own test material
(filing/documents/tests/sample.py: a Guangdong application, submitted, 200 resident teams), is
measured too: it happens once per version, in the background where a task queue runs, or at
the first download. The floor of drawing is WeasyPrint alone laying out the same 200 rows as a
bare table in the same fonts: what any PDF of that roster costs, before the form's cover,
contents, headers and page marks.
"""

from __future__ import annotations

import io
import time

from benchmarks.common import (
    Check,
    Result,
    arguments,
    django_setup,
    log,
    median,
    ms,
    p95,
    secs,
    timed,
    timed_cpu,
)

TARGET_SECONDS = 2.0


def bare_table(rows: list[list[str]], columns: list[str], font: str) -> bytes:
    from weasyprint import HTML

    cells = "".join(
        "<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in [columns, *rows]
    )
    html = (
        f"<html><body style='font-family: \"{font}\"; font-size: 8.5pt'>"
        f"<table style='border-collapse: collapse'>{cells}</table></body></html>"
    )
    return HTML(string=html).write_pdf()


def main() -> None:
    args = arguments(__doc__)
    started = time.time()
    django_setup()
    from pypdf import PdfReader

    from filing.applications import kept_pdf
    from filing.applications.models import Submission
    from filing.documents.fonts import font_family
    from filing.documents.pdf import render_pdf
    from filing.documents.tests.sample import sample_printable

    repeat = 3 if args.quick else 9
    printable = sample_printable(draft=False, team_rows=200)
    teams = printable.rosters[0]
    log(f"pdf: {repeat} renders of a 申报书 with {len(teams.rows)} team rows")
    pages = 0

    def render() -> None:
        nonlocal pages
        pages = len(PdfReader(io.BytesIO(render_pdf(printable))).pages)

    samples, cpu = timed_cpu(render, repeat, warmup=1)
    # A version that is never saved: kept_pdf needs only its numbers and content.
    version = Submission(
        application_id=0,
        number=1,
        verification_code=f"BNCH-{int(started) % 10000:04d}-PDF0",
        content={"printable": printable.to_dict()},
    )
    kept_pdf.submission_pdf(version)  # drawn and kept, as the first download does
    downloads = timed(lambda: kept_pdf.submission_pdf(version), repeat * 10, warmup=1)
    floor, floor_cpu = timed_cpu(
        lambda: bare_table(teams.rows, teams.columns, font_family()), repeat, warmup=1
    )
    result = Result(
        key="pdf",
        title="申报书 PDF",
        what=(
            "`render_pdf` (filing/documents/pdf.py) of the documents' test application "
            "(filing/documents/tests/sample.py: submitted, with a 200-row team roster, two "
            f"shorter rosters, narratives and the attachment list; about {pages} pages), "
            f"{repeat} renders after a warm-up, in one process. Floor: WeasyPrint alone laying "
            "out the same 200 rows as a bare table in the same font. A submitted version is "
            "drawn once and kept (filing/applications/kept_pdf.py): every download after the "
            "first, and every one when a task queue drew it at submission, reads the kept copy "
            f"(`kept_pdf.submission_pdf`, {repeat * 10} reads)."
        ),
        columns=["measurement", "median", "p95", "CPU median", "CPU p95"],
        rows=[
            [
                "download: the kept copy",
                ms(median(downloads)),
                ms(p95(downloads)),
                "",
                "",
            ],
            [
                "drawing: render_pdf, 200 roster rows",
                *map(secs, (median(samples), p95(samples), median(cpu), p95(cpu))),
            ],
            [
                "floor: bare 200-row table",
                *map(secs, (median(floor), p95(floor), median(floor_cpu), p95(floor_cpu))),
            ],
        ],
        quick=args.quick,
    )
    result.checks.append(
        Check(
            target=f"the download under {TARGET_SECONDS:.0f} s",
            measured=f"p95 {ms(p95(downloads))}, median {ms(median(downloads))}",
            passed=p95(downloads) < TARGET_SECONDS,
        )
    )
    result.checks.append(
        Check(
            target=f"drawing it under {TARGET_SECONDS:.0f} s (once per version)",
            measured=f"p95 {secs(p95(samples))}, median {secs(median(samples))}",
            passed=p95(samples) < TARGET_SECONDS,
        )
    )
    result.checks.append(
        Check(
            target=f"drawing it under {TARGET_SECONDS:.0f} s of CPU (what an idle machine takes)",
            measured=f"p95 {secs(p95(cpu))}, median {secs(median(cpu))}",
            passed=p95(cpu) < TARGET_SECONDS,
        )
    )
    result.notes.append(
        f"The whole 申报书 takes {median(samples) / median(floor):.1f}× the bare table "
        "(median against median)."
    )
    result.seconds = time.time() - started
    result.write(args.out)


if __name__ == "__main__":
    main()
