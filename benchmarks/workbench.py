"""The reviewer's workbench at growing numbers of applications: server time and queries.

Each request goes through the whole Django stack in this process (every middleware, the
session in the database, the template), against PostgreSQL, as the Guangzhou city reviewer
past both login steps; all applications wait at that one bureau, the worst case for its list.
The ceiling is a minimal view (one trivial query) requested the same way.
"""

from __future__ import annotations

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
    timed,
)

CASES = [
    ("no filter", {}),
    ("call", {"call": "guangdong-2020-rehearsal"}),
    ("status", {"status": "received"}),
    ("eligibility + field", {"eligibility": "passes", "field": "1"}),
    ("integrity signals", {"integrity": "any"}),
    ("search a space name", {"q": "空间17"}),
    ("search a credit code", {"q": "91440101"}),
    ("sorted by name", {"sort": "name"}),
    ("page 3, newest first", {"sort": "-received", "page": "3"}),
    ("whole area, one city", {"scope": "area", "city": "440100"}),
    ("last page", {"page": "last"}),
]
TARGET_MS = 100


def main() -> None:
    args = arguments(__doc__)
    started = time.time()
    django_setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from benchmarks.seed import analyse, reviewer_session, workbench_reviews

    sizes = [1_000, 5_000] if args.quick else [1_000, 20_000, 100_000]
    # Forty samples a case: the 95th percentile of fifteen would be their slowest one.
    repeat = 10 if args.quick else 40
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = reviewer_session()

    def get(path: str, params: dict):
        response = client.get(path, params)
        assert response.status_code == 200, (path, params, response.status_code)
        return response

    def queries(path: str, params: dict) -> int:
        with CaptureQueriesContext(connection) as ctx:
            get(path, params)
        return len(ctx)

    result = Result(
        key="workbench",
        title="Reviewer workbench",
        what=(
            "`GET /reviews/` (filing/reviews/views.py `workbench`) for the Guangzhou city reviewer "
            "with every application of the benchmark waiting at that bureau; server time through "
            "the whole Django stack in one process (Django test client, PostgreSQL, sessions in "
            f"the database), {repeat} requests per case after a warm-up, and the number of SQL "
            "queries of one request. Ceiling: a minimal view doing one trivial query "
            "(`benchmarks/views.py`), requested the same way."
        ),
        columns=["applications", "case", "median", "p95", "queries"],
        quick=args.quick,
    )
    counts: dict[str, dict[int, int]] = {}
    worst: dict[int, float] = {}
    ceilings = []
    for size in sizes:
        log(f"workbench: seeding {size} applications")
        workbench_reviews(size)
        analyse()
        ceiling = timed(lambda: get("/bench/ceiling/", {}), repeat, warmup=2)
        ceilings.append((size, ceiling))
        result.rows.append(
            [
                f"{size:,}",
                "ceiling (minimal view)",
                ms(median(ceiling)),
                ms(p95(ceiling)),
                str(queries("/bench/ceiling/", {})),
            ]
        )
        for label, params in CASES:
            samples = timed(lambda p=params: get("/reviews/", p), repeat, warmup=2)
            n = queries("/reviews/", params)
            counts.setdefault(label, {})[size] = n
            worst[size] = max(worst.get(size, 0.0), p95(samples))
            result.rows.append([f"{size:,}", label, ms(median(samples)), ms(p95(samples)), str(n)])
            log(f"workbench {size} {label}: median {ms(median(samples))} p95 {ms(p95(samples))}")
        page = get("/reviews/", {}).content.decode()
        assert f"共 {size} 件" in page, "the workbench does not count every application"

    largest = sizes[-1]
    slow = [
        row[1]
        for row in result.rows
        if row[0] == f"{largest:,}" and not row[1].startswith("ceiling") and _ms(row[3]) > TARGET_MS
    ]
    result.checks.append(
        Check(
            target=f"p95 under {TARGET_MS} ms at {largest:,} applications, every case",
            measured=f"worst p95 {ms(worst[largest])}"
            + (f"; over the target: {', '.join(slow)}" if slow else ""),
            passed=worst[largest] * 1000 < TARGET_MS,
        )
    )
    uneven = [label for label, by_size in counts.items() if len(set(by_size.values())) > 1]
    result.checks.append(
        Check(
            target=f"query count flat from {sizes[0]:,} to {largest:,} applications",
            measured="the same in every case" if not uneven else f"grows in: {', '.join(uneven)}",
            passed=not uneven,
        )
    )
    ceiling_p95 = p95(ceilings[-1][1])
    result.notes.append(
        f"At {largest:,} applications the slowest case's p95 is "
        f"{worst[largest] / ceiling_p95:.1f}× the ceiling's ({ms(ceiling_p95)})."
    )
    result.seconds = time.time() - started
    result.write(args.out)


def _ms(text: str) -> float:
    value, unit = text.split()
    return float(value) * (1000 if unit == "s" else 1)


if __name__ == "__main__":
    main()
