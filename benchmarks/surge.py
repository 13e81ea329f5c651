"""The deadline surge: simulated applicants saving drafts and submitting, against the
production server (scripts/serve: gunicorn, deploy/gunicorn.conf.py) on PostgreSQL.

locust (benchmarks/locustfile.py) runs the applicants with no pause between requests and, with
the same number of users and the same sessions, the minimal view (the ceiling) for half as long
just before and half as long just after, so that the ceiling stands for the same moment of a
machine whose speed drifts. Afterwards the database is read: the last save each applicant saw
acknowledged must be there (in the draft, and in the frozen version for those that submitted),
and every submission must have gone through.

As in production (docs/deployment.md), the server has a task queue: a Celery worker on Redis
draws each submitted version's PDF, refreshes the integrity signals and sends the e-mails. It runs
beside gunicorn with the lowest priority (`CELERY_NICE=19`), standing in for the worker machines
of a real installation, and is stopped while the ceiling is measured; after the run the
benchmark waits for it to finish every job and reports how long that took.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import time

from benchmarks.common import (
    ROOT,
    WORK,
    Check,
    Result,
    arguments,
    django_setup,
    log,
    median,
    ms,
    timed,
)
from benchmarks.server import serving

LOCUST = str(ROOT / ".venv" / "bin" / "locust")
# Database numbers of this machine's Redis kept for the benchmark (the tests use 14 and 15).
BROKER = "redis://127.0.0.1:6379/13"
CACHE = "redis://127.0.0.1:6379/12"
DRAIN_TIMEOUT = 1800
MARKER = re.compile(r"【保存(\d+)-(\d+)】")


def run_locust(url: str, user_class: str, users: int, seconds: int, prefix: str) -> dict:
    """Run one locust load; return its rows by name from the stats CSV."""
    out = WORK / f"{prefix}-users.json"
    env = {
        **os.environ,
        "BENCH_SURGE_PLAN": str(WORK / "surge-plan.json"),
        "BENCH_SURGE_OUT": str(out),
        "BENCH_SURGE_SECONDS": str(seconds),
    }
    with open(WORK / f"{prefix}-locust.log", "w") as output:
        _locust(url, user_class, users, seconds, prefix, env, output)
    with open(WORK / f"{prefix}_stats.csv") as handle:
        stats = {row["Name"]: row for row in csv.DictReader(handle)}
    failures = []
    failures_csv = WORK / f"{prefix}_failures.csv"
    if failures_csv.exists():
        with open(failures_csv) as handle:
            failures = list(csv.DictReader(handle))
    users_out = json.loads(out.read_text()) if out.exists() else {}
    return {"stats": stats, "failures": failures, "users": users_out}


def _locust(url, user_class, users, seconds, prefix, env, output) -> None:
    subprocess.run(  # noqa: S603 - our own locustfile
        [
            LOCUST,
            "-f",
            str(ROOT / "benchmarks" / "locustfile.py"),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(users),
            "--run-time",
            f"{seconds}s",
            "--host",
            url,
            "--csv",
            str(WORK / prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
            "--stop-timeout",
            "30",
            user_class,
        ],
        cwd=ROOT,
        env=env,
        check=False,  # locust exits 1 when any request failed; the counts tell
        stdout=output,
        stderr=subprocess.STDOUT,
    )


def _row(label: str, s: dict) -> list[str]:
    return [
        label,
        s["Request Count"],
        s["Failure Count"],
        f"{float(s['Requests/s']):.1f}",
        f"{s['50%']} ms",
        f"{s['95%']} ms",
    ]


SPARE = 5  # applications of the plan that locust leaves alone, for one_at_a_time


def one_at_a_time(entries: list[dict], repeat: int = 20) -> dict[str, float]:
    """Median seconds of each kind of request the applicants make, and of the ceiling, each
    alone, in this process (Django's test client, the same database and task queue): what each
    costs without a crowd. Signing and submitting use each of `entries` once."""
    import html

    from django.conf import settings
    from django.test import Client

    def client_for(entry: dict) -> Client:
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = entry["session"]
        client.get("/bench/ceiling/")  # a client's first request builds its middleware chain
        return client

    entry = entries[0]
    client = client_for(entry)
    revision = re.compile(r'name="_revision" value="(\d+)"')
    base = re.compile(r'name="_base" value="([^"]*)"')
    state: dict[str, str] = {}

    def page() -> None:
        text = client.get(entry["section"]).content.decode()
        state["revision"] = revision.search(text).group(1)
        state["base"] = html.unescape(base.search(text).group(1))

    saves = []
    for n in range(repeat + 2):  # the first two warm up
        page()
        form = dict(entry["form"])
        text = str(form.get(entry["vary"], ""))
        form[entry["vary"]] = text[: entry["vary_limit"] - 8] + f"（单独{n}）"
        form.update(_revision=state["revision"], _base=state["base"])
        start = time.perf_counter()
        response = client.post(entry["section"], form)
        if n >= 2:
            saves.append(time.perf_counter() - start)
        assert response.status_code == 302, response.status_code
    costs = {
        "section page": median(timed(page, repeat, warmup=2)),
        "save draft": median(saves),
    }
    signing, submitting = [], []
    clients = [client_for(other) for other in entries]
    for other, other_client in zip(entries, clients, strict=True):
        for name, url, data, times in (
            (
                "sign",
                other["commitment"],
                {"signer_name": other["signer"], "confirm": "on"},
                signing,
            ),
            ("submit", other["submit"], {}, submitting),
        ):
            start = time.perf_counter()
            response = other_client.post(url, data)
            times.append(time.perf_counter() - start)
            assert response.status_code == 302, (name, response.status_code)
    costs["sign commitment"] = median(signing)
    costs["submit"] = median(submitting)
    costs["overview (submitted)"] = median(
        timed(lambda: clients[-1].get(entries[-1]["overview"]), repeat, warmup=2)
    )
    costs["ceiling (minimal view)"] = median(
        timed(lambda: client.get("/bench/ceiling/"), repeat, warmup=2)
    )
    return costs


def predicted_share(alone: dict[str, float], stats: dict) -> float | None:
    """The share of the ceiling's throughput that the costs alone predict for the run's mix of
    requests: the ceiling's cost over the mean cost of the applicants' requests."""
    counts = {name: int(stats[name]["Request Count"]) for name in alone if name in stats}
    total = sum(counts.values())
    if not total:
        return None
    mean = sum(alone[name] * n for name, n in counts.items()) / total
    return alone["ceiling (minimal view)"] / mean


def _queue():
    from celery import Celery

    return Celery("surge", broker=BROKER)


def _wait_for_queue_worker(timeout: float = 180) -> None:
    """Until the Celery worker answers: its start must not share the ceiling's cores."""
    queue = _queue()
    deadline = time.time() + timeout
    while time.time() < deadline:
        if queue.control.ping(timeout=1.0):
            return
    raise RuntimeError("the Celery worker did not answer")


def _jobs_left(submissions: list) -> dict[str, int]:
    """What the queue still owes: versions without their kept PDF, integrity marks not yet
    taken, and tasks waiting in Redis or running in the worker."""
    import redis
    from django.core.files.storage import default_storage

    from filing.applications.kept_pdf import kept_name
    from filing.integrity.models import PendingRefresh

    active = _queue().control.inspect(timeout=1.0).active() or {}
    return {
        "unkept": sum(1 for s in submissions if not default_storage.exists(kept_name(s))),
        "marks": PendingRefresh.objects.count(),
        "queued": redis.Redis.from_url(BROKER).llen("celery"),
        "running": sum(len(tasks) for tasks in active.values()),
    }


def _versions() -> list:
    """Every submitted version, with what its kept PDF's name is made of."""
    from filing.applications.models import Submission

    return list(Submission.objects.only("application_id", "number", "verification_code"))


def _drain(submissions: list, timeout: float) -> tuple[float, dict[str, int]]:
    """Seconds until the queue owes nothing (or `timeout`), and what it owed at the end."""
    start = time.time()
    while True:
        left = _jobs_left(submissions)
        if not any(left.values()) or time.time() - start > timeout:
            return time.time() - start, left
        time.sleep(2)


def main() -> None:
    args = arguments(__doc__)
    started = time.time()
    # Submissions made here queue their jobs, as the server's do (settings read it at setup).
    os.environ["CELERY_BROKER_URL"] = BROKER
    django_setup()
    from django.db import connections

    from benchmarks.seed import analyse, surge_plan
    from filing.applications.models import Application, Submission

    users = 50 if args.quick else 200
    seconds = 20 if args.quick else 60
    template = int(os.environ["BENCH_TEMPLATE_APPLICATION"])
    log(f"surge: {users} applicants with complete drafts")
    plan = surge_plan(template, users + SPARE)
    plan, spare = plan[:users], plan[users:]
    analyse()
    (WORK / "surge-plan.json").write_text(json.dumps(plan, ensure_ascii=False))
    import redis

    for url in (BROKER, CACHE):
        redis.Redis.from_url(url).flushdb()
    alone = one_at_a_time(spare)  # its jobs wait in the queue for the server's worker
    connections.close_all()
    queue_env = {
        "CELERY_BROKER_URL": BROKER,
        "REDIS_URL": CACHE,
        "CELERY_NICE": "19",
        "CELERY_CONCURRENCY": "2",
    }
    with serving("surge", **queue_env) as server:
        _wait_for_queue_worker()
        # The ceiling is measured for half the time just before the applicants and half just
        # after: the machine's speed drifts within minutes, and the mean of the two stands for
        # the same moment as the applicants' run.
        half = max(seconds // 2, 1)
        log(f"surge: ceiling, {users} users for {half} s (the worker stopped)")
        with server.queue_stopped():
            before = run_locust(server.url, "Ceiling", users, half, "surge-ceiling-before")
        log(f"surge: applicants, {users} users for {seconds} s")
        surge = run_locust(server.url, "Applicant", users, seconds, "surge")
        at_end_versions = _versions()
        at_end = _jobs_left(at_end_versions)
        log(f"surge: ceiling again, {users} users for {half} s (the worker stopped)")
        with server.queue_stopped():
            after = run_locust(server.url, "Ceiling", users, half, "surge-ceiling-after")
        log("surge: waiting for the task queue to finish its jobs")
        versions = _versions()  # those submitted until the run's last second
        drain_seconds, left = _drain(versions, DRAIN_TIMEOUT)
        workers = len(server.workers)
        connections.close_all()

    # What the database holds after the run.
    acknowledged = {int(k): v for k, v in surge["users"].get("acknowledged", {}).items()}
    attempts = {int(k): v for k, v in surge["users"].get("submit_attempts", {}).items()}
    by_app = {p["application"]: p for p in plan}
    lost, lost_in_version, refused = [], [], []
    apps = Application.objects.in_bulk(list(by_app))
    for pk, n in acknowledged.items():
        field = by_app[pk]["vary"]
        found = MARKER.search(str((apps[pk].values or {}).get(field, "")))
        if not found or int(found.group(2)) < n:
            lost.append(pk)
    for pk in attempts:
        submission = Submission.objects.filter(application_id=pk).first()
        if apps[pk].status != "submitted" or submission is None:
            refused.append(pk)
            continue
        field = by_app[pk]["vary"]
        found = MARKER.search(str(submission.content["values"].get(field, "")))
        if pk in acknowledged and (not found or int(found.group(2)) < acknowledged[pk]):
            lost_in_version.append(pk)

    total = surge["stats"]["Aggregated"]
    ceilings = [before["stats"]["Aggregated"], after["stats"]["Aggregated"]]
    throughput = float(total["Requests/s"])
    ceiling_throughput = sum(float(c["Requests/s"]) for c in ceilings) / 2
    errors = int(total["Failure Count"])
    result = Result(
        key="surge",
        title="Deadline surge",
        what=(
            f"{users} simulated applicants (locust, benchmarks/locustfile.py) for {seconds} s "
            "against the production server (`scripts/serve`: gunicorn with "
            f"deploy/gunicorn.conf.py, {workers} worker processes × 4 threads, WhiteNoise, "
            "PostgreSQL, `DB_CONN_MAX_AGE=60`, and the task queue: a Celery worker on Redis with "
            "two processes at the lowest priority, `CELERY_NICE=19`), each an organisation admin "
            "already logged in "
            "with a complete draft. With no pause between requests, each opens a section page, "
            "saves it with a numbered change, and again; at a random moment between 20 % and "
            "90 % of the run it signs the credit commitment and submits, then only looks at its "
            "application. The ceiling is the minimal view (one trivial query) requested by the "
            f"same number of users with the same sessions, for {seconds // 2} s just before and "
            f"{seconds // 2} s just after (their mean is compared: the machine's speed drifts), "
            "with the worker stopped. "
            "The load generator runs on the same two cores as the server and the database. "
            "Afterwards the database is "
            "checked: the last acknowledged save of every application must be in its draft (and "
            "in the frozen version of those submitted), and every submission must have gone "
            "through; then the benchmark waits for the worker to finish every job (each "
            "version's PDF drawn and kept, the integrity signals refreshed, the e-mails sent)."
        ),
        columns=["requests", "count", "errors", "per second", "median", "p95"],
        quick=args.quick,
    )
    for name in ("section page", "save draft", "sign commitment", "submit", "overview (submitted)"):
        if name in surge["stats"]:
            result.rows.append(_row(name, surge["stats"][name]))
    result.rows.append(_row("**all applicant requests**", total))
    result.rows.append(_row("ceiling (minimal view), before", ceilings[0]))
    result.rows.append(_row("ceiling (minimal view), after", ceilings[1]))
    saves = sum(surge["users"].get("saves", {}).values())
    result.checks += [
        Check(
            target="zero errors",
            measured=f"{errors} of {total['Request Count']} requests"
            + (
                f" ({'; '.join(f['Error'] + ' ×' + f['Occurrences'] for f in surge['failures'][:5])})"
                if surge["failures"]
                else ""
            ),
            passed=errors == 0,
        ),
        Check(
            target="zero lost saves (checked in the database after the run)",
            measured=f"{len(lost)} drafts and {len(lost_in_version)} submitted versions without "
            f"their last acknowledged save, of {len(acknowledged)} applications and "
            f"{saves} acknowledged saves",
            passed=not lost and not lost_in_version,
        ),
        Check(
            target="every submission goes through",
            measured=f"{len(attempts) - len(refused)} of {len(attempts)} submitted",
            passed=not refused and bool(attempts),
        ),
        Check(
            target="throughput at least half the ceiling's",
            measured=f"{throughput:.1f} requests/s = {throughput / ceiling_throughput:.0%} of the "
            f"ceiling's {ceiling_throughput:.1f} (mean of {float(ceilings[0]['Requests/s']):.1f} "
            f"before and {float(ceilings[1]['Requests/s']):.1f} after)",
            passed=throughput >= 0.5 * ceiling_throughput,
        ),
        Check(
            target="the task queue finishes every job after the run",
            measured=(
                f"done {drain_seconds:.0f} s after the run"
                if not any(left.values())
                else f"after {drain_seconds:.0f} s still owed: {left}"
            )
            + f" ({len(versions)} versions drawn and kept)",
            passed=not any(left.values()),
        ),
    ]
    result.notes.append(
        f"When the applicants stopped, the worker (at the lowest priority) still owed "
        f"{at_end['unkept']} of {len(at_end_versions)} PDFs, {at_end['marks']} integrity marks and "
        f"{at_end['queued']} queued tasks: during the surge the pages came first."
    )
    result.notes.append(
        "Each alone, one request at a time in one process (Django's test client, the same "
        f"database and task queue; median of 20, signing and submitting median of {SPARE}, "
        "each on an application locust leaves alone): "
        + ", ".join(f"{name} {ms(t)}" for name, t in alone.items())
        + ". Two cores serve the crowd, and the load generator shares them: the throughput "
        "under load follows from these costs."
    )
    predicted = predicted_share(alone, surge["stats"])
    if predicted is not None:
        result.notes.append(
            f"Weighted by how often the run asked for each, these costs predict {predicted:.0%} "
            f"of the ceiling's throughput; the run reached {throughput / ceiling_throughput:.0%}. "
            "Half would need the applicants' requests to cost, on average, no more than twice "
            "the minimal view."
        )
    ceiling_errors = sum(int(c["Failure Count"]) for c in ceilings)
    if ceiling_errors:
        result.notes.append(f"The ceiling itself had {ceiling_errors} errors.")
    result.seconds = time.time() - started
    result.write(args.out)


if __name__ == "__main__":
    main()
