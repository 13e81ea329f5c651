"""benchmarks/run: set up the databases, run every benchmark, write docs/benchmarks.md.

    benchmarks/run                      everything, full sizes (about ten minutes)
    benchmarks/run --quick              smaller sizes and shorter runs (a few minutes)
    benchmarks/run --only pdf,upload    some of: workbench, summary, pdf, surge, upload
    benchmarks/run --keep               leave the wt_bench* databases behind for a look

The databases are PostgreSQL, as in production: BENCH_DATABASE_URL names the template database
(default postgres://postgres@127.0.0.1:5432/wt_bench); each benchmark gets a copy of it named
with a suffix (wt_bench_workbench, …). A benchmark run alone keeps the other benchmarks' last
results in docs/benchmarks.md, each with its own date.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import PYTHON, ROOT, WORK, Result, database_url, loadavg, log

BENCHMARKS = ["workbench", "summary", "pdf", "surge", "upload"]
NEEDS_DATABASE = {"workbench", "summary", "surge", "upload"}
RESULTS = WORK / "results.json"
MEDIA = WORK / "media"


def environment(url: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "GUNICORN_", "DATABASE_", "MAX_UPLOAD"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="benchmarks.settings",
        DATABASE_URL=url,
        MEDIA_ROOT=str(MEDIA),
        SECRET_KEY="benchmark-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    env.pop("DEBUG", None)
    return env


# ----- databases -----------------------------------------------------------------------------


def _admin(sql: str) -> None:
    import dj_database_url
    import psycopg

    c = dj_database_url.parse(database_url())
    with psycopg.connect(
        host=c["HOST"] or "127.0.0.1",
        port=c["PORT"] or 5432,
        user=c["USER"] or None,
        password=c["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(sql)


def _name(url: str) -> str:
    return url.rsplit("/", 1)[-1]


def recreate(url: str, template: str | None = None) -> None:
    _admin(f'DROP DATABASE IF EXISTS "{_name(url)}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{_name(url)}"' + (f' TEMPLATE "{template}"' if template else ""))


def drop(url: str) -> None:
    _admin(f'DROP DATABASE IF EXISTS "{_name(url)}" WITH (FORCE)')


def prepare_template() -> int:
    """Migrate, load the calls and demo accounts, fill the template application."""
    url = database_url()
    log(f"template database {_name(url)}: migrations, calls, demo accounts")
    recreate(url)
    env = environment(url)
    for command in (
        ["collectstatic", "--noinput", "-v0"],
        ["migrate", "--noinput", "-v0"],
        ["setup_demo"],
    ):
        subprocess.run(
            [PYTHON, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    log("template application: filled through the pages")
    out = subprocess.run(
        [PYTHON, "-m", "benchmarks.prepare"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])["template"]


# ----- the machine ---------------------------------------------------------------------------


def _first_line(command: list[str]) -> str:
    try:
        return subprocess.run(command, capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""


def machine() -> dict[str, str]:
    cpu = ""
    for line in _first_line(["lscpu"]).splitlines():
        if line.startswith("Model name:"):
            cpu = line.split(":", 1)[1].strip()
    memory = ""
    with open("/proc/meminfo") as handle:
        for line in handle:
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1048576:.1f} GiB"
    os_name = platform.platform()
    if Path("/etc/os-release").exists():
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = f"{line.split('=', 1)[1].strip(chr(34))}, Linux {platform.release()}"
    versions = subprocess.run(
        [
            PYTHON,
            "-c",
            "import django, weasyprint, openpyxl, gunicorn, locust;"
            "print(django.get_version(), weasyprint.__version__, openpyxl.__version__,"
            " gunicorn.__version__, locust.__version__)",
        ],
        capture_output=True,
        text=True,
    ).stdout.split()
    pg = ""
    try:
        import dj_database_url
        import psycopg

        c = dj_database_url.parse(database_url())
        with psycopg.connect(
            host=c["HOST"] or "127.0.0.1",
            port=c["PORT"] or 5432,
            user=c["USER"] or None,
            dbname="postgres",
        ) as conn:
            pg = conn.execute("SHOW server_version").fetchone()[0]
    except Exception as exc:  # noqa: BLE001 - only for the report
        pg = f"unknown ({exc.__class__.__name__})"
    names = ["Django", "WeasyPrint", "openpyxl", "gunicorn", "locust"]
    return {
        "CPU": f"{cpu or platform.processor()}, {os.cpu_count()} cores",
        "memory": memory,
        "OS": os_name,
        "Python": platform.python_version(),
        "PostgreSQL": pg,
        "packages": ", ".join(f"{n} {v}" for n, v in zip(names, versions, strict=False)),
    }


# ----- the report ----------------------------------------------------------------------------


def _table(columns: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return lines


def report(results: dict[str, dict], info: dict[str, str], path: Path) -> None:
    lines = [
        "# Benchmarks",
        "",
        "Written by `benchmarks/run` (see [benchmarks/README.md](../benchmarks/README.md)); do not",
        "edit by hand. Every benchmark compares, in the same run, with a ceiling or floor measured",
        "on the same machine, server and database. Times are wall-clock: on a shared machine they",
        "vary with what else runs, so the load average at the start and end of each benchmark is",
        "given with it.",
        "",
        "## Machine",
        "",
        *[f"- **{k}**: {v}" for k, v in info.items()],
        "",
        "## Targets",
        "",
    ]
    summary = []
    for key in BENCHMARKS:
        if key not in results:
            continue
        r = Result(**{**results[key], "checks": []})
        for c in results[key]["checks"]:
            summary.append(
                [r.title, c["target"], c["measured"], "PASS" if c["passed"] else "**FAIL**"]
            )
    lines += _table(["benchmark", "target", "measured", ""], summary)
    for key in BENCHMARKS:
        if key not in results:
            continue
        r = results[key]
        lines += [
            "",
            f"## {r['title']}",
            "",
            f"Run {r['started']}{' (quick mode: smaller sizes)' if r['quick'] else ''}, "
            f"{r['seconds']:.0f} s; load average {r['load']}.",
            "",
            r["what"],
            "",
            *_table(r["columns"], r["rows"]),
        ]
        if r["checks"]:
            lines += [
                "",
                *_table(
                    ["target", "measured", ""],
                    [
                        [c["target"], c["measured"], "PASS" if c["passed"] else "**FAIL**"]
                        for c in r["checks"]
                    ],
                ),
            ]
        if r["notes"]:
            lines += ["", *[f"- {n}" for n in r["notes"]]]
    path.write_text("\n".join(lines) + "\n")


# ----- running -------------------------------------------------------------------------------


def run_one(key: str, url: str, quick: bool, extra: dict[str, str]) -> Result | None:
    out = WORK / f"{key}.json"
    out.unlink(missing_ok=True)
    env = {**environment(url), **extra}
    command = [PYTHON, "-m", f"benchmarks.{key}", "--out", str(out)] + (
        ["--quick"] if quick else []
    )
    before = loadavg()
    started = time.strftime("%Y-%m-%d %H:%M %Z")
    status = subprocess.run(command, cwd=ROOT, env=env).returncode
    if status != 0 or not out.exists():
        log(f"{key}: failed (exit {status})")
        return None
    result = Result.read(out)
    result.started = started
    result.load = f"{before} at the start, {loadavg()} at the end (1 / 5 / 15 min)"
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="smaller sizes, shorter runs")
    parser.add_argument("--only", default="", help=f"comma-separated, of: {', '.join(BENCHMARKS)}")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark databases")
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args()
    chosen = [k.strip() for k in args.only.split(",") if k.strip()] or BENCHMARKS
    unknown = set(chosen) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")

    WORK.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(MEDIA, ignore_errors=True)
    MEDIA.mkdir(parents=True)
    info = machine()
    template = prepare_template() if NEEDS_DATABASE & set(chosen) else 0
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    failed = []
    for key in chosen:
        url = database_url(key)
        if key in NEEDS_DATABASE:
            recreate(url, template=_name(database_url()))
        log(f"== {key}")
        result = run_one(key, url, args.quick, {"BENCH_TEMPLATE_APPLICATION": str(template)})
        if key in NEEDS_DATABASE and not args.keep:
            drop(url)
        if result is None:
            failed.append(key)
            continue
        previous[key] = json.loads(json.dumps(result.__dict__, default=lambda o: o.__dict__))
        RESULTS.write_text(json.dumps(previous, ensure_ascii=False, indent=1))
    if NEEDS_DATABASE & set(chosen) and not args.keep:
        drop(database_url())
    shutil.rmtree(MEDIA, ignore_errors=True)
    report(previous, info, Path(args.output))
    log(f"written {args.output}")
    if failed:
        log(f"failed: {', '.join(failed)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
