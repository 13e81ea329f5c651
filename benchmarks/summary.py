"""The summary table (推荐汇总表) as Excel for a city bureau's list of 10,000 applications.

Three measurements, each in a fresh process so that its peak memory is its own:
- build: what the download does, `summary_data` (reads the list with the cells each version
  kept at submission, evaluates the columns that belong to the review) then
  `render_summary_xlsx`;
- render: `render_summary_xlsx` alone, from the rows `summary_data` produced beforehand;
- floor: the same rows written with openpyxl's write-only mode alone (no styles, no widths).
Peak memory is the growth of the process's resident set (VmHWM after the work less VmRSS before).
"""

from __future__ import annotations

import gc
import io
import json
import os
import subprocess
import sys
import time

from benchmarks.common import (
    PYTHON,
    ROOT,
    Check,
    Result,
    arguments,
    django_setup,
    log,
    mb,
    median,
    ms,
    p95,
    peak_rss,
    reset_peak_rss,
    rss,
    secs,
)

TARGET_FACTOR = 2.0
TARGET_MB = 150


def measure(mode: str, list_pk: int) -> dict:
    """One measurement in this process."""
    django_setup()
    from openpyxl import Workbook

    from filing.documents.summary import render_summary_xlsx
    from filing.reviews.models import LevelList
    from filing.reviews.package import summary_data

    lst = LevelList.objects.select_related("call", "authority").get(pk=list_pk)
    _ = lst.call.definition  # the parsed definition, as a warm server has it
    data = None
    if mode != "build":
        data = summary_data(lst, draft=False)
    gc.collect()
    before = rss()
    reset_peak_rss()
    start = time.perf_counter()
    if mode == "build":
        data = summary_data(lst, draft=False)
        middle = time.perf_counter()
        content = render_summary_xlsx(data)
    elif mode == "render":
        middle = start
        content = render_summary_xlsx(data)
    else:
        middle = start
        wb = Workbook(write_only=True)
        ws = wb.create_sheet(data.title[:31])
        ws.append(data.columns)
        for row in data.rows:
            ws.append(row)
        out = io.BytesIO()
        wb.save(out)
        content = out.getvalue()
    end = time.perf_counter()
    return {
        "seconds": end - start,
        "data_seconds": middle - start,
        "peak": peak_rss() - before,
        "rows": len(data.rows),
        "bytes": len(content),
    }


def main() -> None:
    args = arguments(__doc__)
    started = time.time()
    django_setup()
    from benchmarks.seed import analyse, recommended_list

    count = 1_000 if args.quick else 10_000
    repeat = 2 if args.quick else 3
    log(f"summary: seeding {count} recommended applications")
    template = int(os.environ["BENCH_TEMPLATE_APPLICATION"])
    list_pk = recommended_list(template, count)
    analyse()
    from django.db import connections

    connections.close_all()

    samples: dict[str, list[dict]] = {"build": [], "render": [], "floor": []}
    for _ in range(repeat):
        for mode in samples:
            out = subprocess.run(
                [PYTHON, "-m", "benchmarks.summary", "--measure", mode, str(list_pk)],
                cwd=ROOT,
                env=os.environ,
                check=True,
                stdout=subprocess.PIPE,
                text=True,
            ).stdout
            samples[mode].append(json.loads(out.strip().splitlines()[-1]))
            log(f"summary {mode}: {samples[mode][-1]}")

    def row(label: str, mode: str) -> list[str]:
        times = [s["seconds"] for s in samples[mode]]
        peaks = [s["peak"] for s in samples[mode]]
        return [label, secs(median(times)), secs(p95(times)), mb(max(peaks))]

    result = Result(
        key="summary",
        title="Summary table (Excel)",
        what=(
            f"The city bureau's 推荐汇总表 of {count:,} recommended applications (copies of one "
            "application filled through the pages, so every column of the Guangdong annex has a "
            f"value), {repeat} runs of each measurement, each in a fresh process. *build* is "
            "what the download does: `summary_data` (filing/reviews/package.py: reads the list "
            "with the cells kept at submission, evaluates the review's own columns) and "
            "`render_summary_xlsx` "
            "(filing/documents/summary.py); *render* is `render_summary_xlsx` alone from the "
            "same rows; the floor writes the same rows with openpyxl's write-only mode alone. "
            "Peak memory is the growth of the process's resident set during the work."
        ),
        columns=["measurement", "median", "p95", "peak memory (max)"],
        rows=[
            row("build (summary_data + render_summary_xlsx)", "build"),
            row("render_summary_xlsx alone", "render"),
            row("floor: openpyxl write-only, same rows", "floor"),
        ],
        quick=args.quick,
    )
    floor = median([s["seconds"] for s in samples["floor"]])
    for label, mode in (("the download (build)", "build"), ("render_summary_xlsx", "render")):
        t = median([s["seconds"] for s in samples[mode]])
        peak = max(s["peak"] for s in samples[mode])
        result.checks.append(
            Check(
                target=f"{label} within {TARGET_FACTOR:.0f}× the floor",
                measured=f"{secs(t)} = {t / floor:.1f}× the floor ({secs(floor)})",
                passed=t <= TARGET_FACTOR * floor,
            )
        )
        result.checks.append(
            Check(
                target=f"{label} under {TARGET_MB} MB",
                measured=mb(peak),
                passed=peak < TARGET_MB * 1048576,
            )
        )
    from benchmarks.seed import CELLS_SECONDS

    if CELLS_SECONDS:
        result.notes.append(
            "The cells that depend on the submitted content alone are worked out once, when a "
            "version is submitted, and kept on it (filing/reviews/package.py "
            f"`submission_cells`): {ms(median(CELLS_SECONDS))} median, "
            f"{ms(p95(CELLS_SECONDS))} p95 per application, timed while seeding; the build "
            "reads them and looks up only the review's rank, site check and opinion."
        )
    data_share = median([s["data_seconds"] for s in samples["build"]])
    result.notes.append(
        f"Of the build, `summary_data` takes {secs(data_share)} (median) and writing the file "
        "the rest."
    )
    result.seconds = time.time() - started
    result.write(args.out)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        print(json.dumps(measure(sys.argv[2], int(sys.argv[3]))))
    else:
        main()
