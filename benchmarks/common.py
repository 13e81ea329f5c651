"""What every benchmark shares: statistics, memory readings, databases, results.

Each benchmark runs in a process of its own (`python -m benchmarks.<name>`), with its database
named in DATABASE_URL, and writes its result as JSON to the file named by `--out`. The runner
(benchmarks/__main__.py) starts them, one after another, and writes docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "bench"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/wt_bench"


# ----- statistics ----------------------------------------------------------------------------


def median(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    """The 95th percentile by nearest rank: the value 95 % of the samples do not exceed."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def timed(fn: Callable[[], Any], repeat: int, warmup: int = 1) -> list[float]:
    """Seconds taken by each of `repeat` calls, after `warmup` calls that are not counted."""
    return timed_cpu(fn, repeat, warmup)[0]


def timed_cpu(
    fn: Callable[[], Any], repeat: int, warmup: int = 1
) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds (of this process) of each of `repeat` calls, after `warmup`.

    On a shared machine the wall-clock time grows with the load; the CPU time much less.
    """
    for _ in range(warmup):
        fn()
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return wall, cpu


def ms(seconds: float) -> str:
    if seconds < 0.001:  # a kept file read back: tenths of a millisecond would all be 0.0
        return f"{seconds * 1000:.3f} ms"
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def secs(seconds: float) -> str:
    return f"{seconds:.2f} s"


def mb(n_bytes: float) -> str:
    return f"{n_bytes / 1048576:.1f} MB"


# ----- memory of a process (Linux /proc) -----------------------------------------------------


def _status(pid: int | str, key: str) -> int:
    """A `kB` line of /proc/<pid>/status, in bytes."""
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    raise KeyError(key)


def rss(pid: int | str = "self") -> int:
    return _status(pid, "VmRSS")


def peak_rss(pid: int | str = "self") -> int:
    return _status(pid, "VmHWM")


def reset_peak_rss(pid: int | str = "self") -> None:
    """Start the high-water mark again from the present size (Linux ≥ 4.0)."""
    with open(f"/proc/{pid}/clear_refs", "w") as handle:
        handle.write("5")


# ----- results -------------------------------------------------------------------------------


@dataclass
class Check:
    target: str
    measured: str
    passed: bool


@dataclass
class Result:
    key: str
    title: str
    what: str  # what was measured, how, against which ceiling or floor
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    quick: bool = False
    started: str = ""
    seconds: float = 0.0
    load: str = ""

    def write(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(asdict(self), ensure_ascii=False, indent=1))

    @classmethod
    def read(cls, path: str | Path) -> Result:
        data = json.loads(Path(path).read_text())
        data["checks"] = [Check(**c) for c in data.get("checks", [])]
        return cls(**data)


def loadavg() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f}"


def arguments(description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--out", required=True, help="where to write the result (JSON)")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer repeats")
    return parser.parse_args()


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def database_url(suffix: str = "") -> str:
    base = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    return base + (f"_{suffix}" if suffix else "")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())}] {message}", file=sys.stderr, flush=True)
