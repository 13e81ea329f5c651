"""The production server for a benchmark: scripts/serve (gunicorn with deploy/gunicorn.conf.py,
WhiteNoise, PostgreSQL), started on a free local port and stopped afterwards."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager, suppress
from pathlib import Path

from benchmarks.common import ROOT, WORK, log


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    """Processes whose parent is `pid` (gunicorn's workers under its master)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces, so split after its closing bracket.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def gunicorn_master(root_pid: int) -> int | None:
    """The gunicorn master below scripts/serve's shell."""
    for pid in children(root_pid):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"gunicorn" in cmdline:
            return pid
    return None


class Server:
    def __init__(self, url: str, process: subprocess.Popen, log_path: Path):
        self.url = url
        self.process = process
        self.log_path = log_path

    @property
    def master(self) -> int | None:
        return gunicorn_master(self.process.pid)

    @property
    def workers(self) -> list[int]:
        master = self.master
        return children(master) if master else []

    @property
    def queue_workers(self) -> list[int]:
        """The Celery worker's processes (its main process and its pool), when one runs."""
        found, todo = [], [self.process.pid]
        while todo:
            pid = todo.pop()
            for child in children(pid):
                todo.append(child)
                try:
                    if b"celery" in Path(f"/proc/{child}/cmdline").read_bytes():
                        found.append(child)
                except OSError:
                    continue
        return found

    @contextmanager
    def queue_stopped(self):
        """The Celery worker stopped (SIGSTOP) inside the block and resumed (SIGCONT) after it,
        so that a measurement of the ceiling shares the cores with nothing but the server."""
        workers = self.queue_workers
        for pid in workers:
            _signal(pid, signal.SIGSTOP)
        try:
            yield
        finally:
            for pid in workers:
                _signal(pid, signal.SIGCONT)


def _signal(pid: int, sig: int) -> None:
    with suppress(ProcessLookupError):  # a pool process may have been replaced meanwhile
        os.kill(pid, sig)


@contextmanager
def serving(name: str, **env: str):
    """scripts/serve with the benchmark's settings; yields a Server once it answers."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = WORK / f"server-{name}.log"
    environment = {
        **os.environ,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "SECURE_COOKIES": "0",  # plain HTTP on the loopback, no proxy in front
        "DB_CONN_MAX_AGE": "60",  # as docs/deployment.md recommends
        **env,
    }
    with open(log_path, "w") as out:
        process = subprocess.Popen(  # noqa: S603 - our own script
            [str(ROOT / "scripts" / "serve")],
            cwd=ROOT,
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.time() + 300
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"scripts/serve stopped; see {log_path}")
            try:
                with urllib.request.urlopen(f"{url}/bench/ceiling/", timeout=5) as r:  # noqa: S310
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.time() > deadline:
                raise RuntimeError(f"the server did not answer; see {log_path}")
            time.sleep(1)
        log(f"server {name} on {url}")
        yield Server(url, process, log_path)
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=40)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
