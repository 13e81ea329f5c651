"""The platform served over HTTP from inside the test process, one request at a time.

The server runs in a thread of the pytest process (like pytest-django's `live_server`), so
the test and the server share one clock (`time_machine.travel` in the test moves the server's
time too), one e-mail outbox and, on SQLite, one in-memory database connection.

That shared connection is why requests are served one at a time: Chromium fetches several
things at once, and two requests interleaving their transactions on one SQLite connection
would corrupt each other's savepoints. Each request still gets its own thread (so an idle
socket Chromium opened in advance never blocks the server), but the application is entered
by one request at a time, from the call until its response is closed. The test takes the same
lock (`LiveServer.quiet`) whenever it reads the database itself.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connections
from django.test.testcases import LiveServerThread


class _Releasing:
    """A WSGI response that releases the lock once the server has closed it."""

    def __init__(self, result, lock: threading.Lock):
        self.result = result
        self.lock = lock
        self.released = False

    def __iter__(self):
        return iter(self.result)

    def close(self) -> None:
        try:
            if hasattr(self.result, "close"):
                self.result.close()
        finally:
            if not self.released:
                self.released = True
                self.lock.release()


class _OneAtATime:
    def __init__(self, app, lock: threading.Lock):
        self.app = app
        self.lock = lock

    def __call__(self, environ, start_response):
        self.lock.acquire()
        try:
            result = self.app(environ, start_response)
        except BaseException:
            self.lock.release()
            raise
        return _Releasing(result, self.lock)


class _SerialServer(ThreadedWSGIServer):
    lock = threading.Lock()

    def set_app(self, application) -> None:
        super().set_app(_OneAtATime(application, self.lock))


class _SerialServerThread(LiveServerThread):
    server_class = _SerialServer


class LiveServer:
    """Start with `LiveServer("127.0.0.1")`; `url` is its address; `stop()` ends it."""

    def __init__(self, host: str = "127.0.0.1"):
        from django.contrib.staticfiles.handlers import StaticFilesHandler

        override = {
            conn.alias: conn
            for conn in connections.all()
            if conn.vendor == "sqlite" and conn.is_in_memory_db()
        }
        self.thread = _SerialServerThread(
            host, static_handler=StaticFilesHandler, connections_override=override
        )
        self.thread.daemon = True
        for conn in override.values():
            conn.inc_thread_sharing()
        self.thread.start()
        self.thread.is_ready.wait()
        if self.thread.error:
            raise self.thread.error
        self.url = f"http://{host}:{self.thread.port}"

    @contextmanager
    def quiet(self) -> Iterator[None]:
        """While the test reads or writes the database, no request is being served."""
        with _SerialServer.lock:
            yield

    def stop(self) -> None:
        self.thread.terminate()
        for conn in self.thread.connections_override.values():
            conn.dec_thread_sharing()
