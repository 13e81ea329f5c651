"""Uploading a 500 MB file: the peak memory of the server process that receives it.

The production server (scripts/serve) runs with one worker process, so that its memory is
the one read, and MAX_UPLOAD_MB raised above the file's size for this run. A filler already
logged in streams a 500 MB PDF (a PDF header, then filler bytes) to an attachment of their
draft; the worker's resident set is read every 20 ms from /proc while the upload runs. The
ceiling is the same file posted to a minimal view that only lets Django receive it (Django
streams uploads above FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file). Afterwards the stored
file's size and SHA-256 are compared with what was sent.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import os
import threading
import time
from urllib.parse import urlparse

from benchmarks.common import (
    WORK,
    Check,
    Result,
    arguments,
    django_setup,
    log,
    mb,
    median,
    p95,
    rss,
    secs,
)
from benchmarks.server import serving

CHUNK = 1024 * 1024
TARGET_GROWTH_MB = 50
BOUNDARY = "----benchmark-upload-boundary-7d3f"


def body_parts(size: int, name: str, csrf: str) -> tuple[bytes, bytes]:
    head = (
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{csrf}\r\n'
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    return head, tail


def file_chunks(size: int):
    """A PDF header, then bytes that vary (so nothing along the way can compress them away)."""
    first = b"%PDF-1.4\n% benchmark upload\n"
    yield first
    sent = len(first)
    block = bytes(range(256)) * (CHUNK // 256)
    n = 0
    while sent < size:
        piece = block[: min(CHUNK, size - sent)]
        piece = n.to_bytes(8, "big") + piece[8:] if len(piece) > 8 else piece
        yield piece
        sent += len(piece)
        n += 1


def upload(url: str, path: str, size: int, cookie: str, csrf: str) -> dict:
    """POST the file in a streamed multipart body; return the status, time and SHA-256."""
    head, tail = body_parts(size, "扫描件.pdf", csrf)
    target = urlparse(url)
    conn = http.client.HTTPConnection(target.hostname, target.port, timeout=600)
    digest = hashlib.sha256()
    start = time.perf_counter()
    conn.putrequest("POST", path)
    conn.putheader("Content-Type", f"multipart/form-data; boundary={BOUNDARY}")
    conn.putheader("Content-Length", str(len(head) + size + len(tail)))
    conn.putheader("Cookie", cookie)
    conn.endheaders()
    conn.send(head)
    for chunk in file_chunks(size):
        digest.update(chunk)
        conn.send(chunk)
    conn.send(tail)
    response = conn.getresponse()
    response.read()
    seconds = time.perf_counter() - start
    conn.close()
    return {
        "status": response.status,
        "location": response.getheader("Location", ""),
        "seconds": seconds,
        "sha256": digest.hexdigest(),
    }


class Sampler:
    """The largest resident set of a process while it runs, read every 20 ms."""

    def __init__(self, pid: int):
        self.pid = pid
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(OSError, KeyError):
                self.peak = max(self.peak, rss(self.pid))
            time.sleep(0.02)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def measured_upload(server, path: str, size: int, cookie: str, csrf: str) -> dict:
    (worker,) = server.workers
    before = rss(worker)
    with Sampler(worker) as sampler:
        answer = upload(server.url, path, size, cookie, csrf)
    answer.update(before=before, peak=sampler.peak, growth=sampler.peak - before)
    return answer


def main() -> None:
    args = arguments(__doc__)
    started = time.time()
    django_setup()
    from django.db import connections

    from benchmarks.seed import upload_plan

    size_mb = 50 if args.quick else 500
    size = size_mb * 1024 * 1024
    repeat = 1 if args.quick else 3
    template = int(os.environ["BENCH_TEMPLATE_APPLICATION"])
    plan = upload_plan(template)
    connections.close_all()
    csrf = plan["csrf"]
    cookie = f"sessionid={plan['session']}; csrftoken={csrf}"

    runs: list[dict] = []
    ceiling: list[dict] = []
    with serving(
        "upload", GUNICORN_WORKERS="1", MAX_UPLOAD_MB=str(size_mb + 100), GUNICORN_TIMEOUT="600"
    ) as server:
        import urllib.request

        request = urllib.request.Request(server.url + plan["page"], headers={"Cookie": cookie})
        with urllib.request.urlopen(request) as page:  # noqa: S310 - our own server
            assert page.status == 200
        for n in range(repeat):
            log(f"upload {n + 1}/{repeat}: {size_mb} MB to the ceiling view, then the attachment")
            ceiling.append(measured_upload(server, "/bench/upload/", size, cookie, csrf))
            runs.append(measured_upload(server, plan["upload"], size, cookie, csrf))
            log(f"upload: {json.dumps(runs[-1])}")

    from filing.applications.models import Attachment

    stored = list(Attachment.objects.filter(application_id=plan["application"], size=size))
    intact = [a for a in stored if a.sha256 == runs[0]["sha256"]]
    for attachment in stored:  # half a gigabyte each: not kept
        attachment.file.delete(save=False)

    growth = max(r["growth"] for r in runs)
    ok = all(r["status"] == 302 for r in runs)

    def row(label: str, samples: list[dict]) -> list[str]:
        times = [s["seconds"] for s in samples]
        return [
            label,
            secs(median(times)),
            secs(p95(times)),
            mb(median([s["before"] for s in samples])),
            mb(max(s["growth"] for s in samples)),
        ]

    result = Result(
        key="upload",
        title="Upload of a 500 MB file" if not args.quick else f"Upload of a {size_mb} MB file",
        what=(
            f"A {size_mb} MB PDF streamed by a logged-in filler to an attachment of their draft "
            "(`POST /applications/<id>/attachments/<item>/`), against the production server "
            "(`scripts/serve`) with one worker process and `MAX_UPLOAD_MB` raised for the run; "
            f"{repeat} uploads. The worker's resident set is read from /proc every 20 ms. "
            "Ceiling: the same file posted to a minimal view that only lets Django receive it."
        ),
        columns=["upload", "median", "p95", "worker before", "worker growth (max)"],
        rows=[row("attachment upload", runs), row("ceiling: Django receives it", ceiling)],
        quick=args.quick,
    )
    result.checks += [
        Check(
            target=f"the server process grows by under {TARGET_GROWTH_MB} MB",
            measured=f"{mb(growth)} (ceiling {mb(max(c['growth'] for c in ceiling))})",
            passed=growth < TARGET_GROWTH_MB * 1048576,
        ),
        Check(
            target="the file is stored whole",
            measured=f"{len(runs)} uploads answered "
            + ("with a redirect" if ok else str([r["status"] for r in runs]))
            + f"; {len(intact)} stored with the size and SHA-256 sent",
            passed=ok and len(intact) == len(runs),
        ),
    ]
    result.seconds = time.time() - started
    result.write(args.out)
    (WORK / "upload-runs.json").write_text(json.dumps({"runs": runs, "ceiling": ceiling}))


if __name__ == "__main__":
    main()
